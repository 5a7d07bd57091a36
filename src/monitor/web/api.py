"""The JSON API for other tools: stories (the fields of `monitor stories --json`), sources, and
starting a crawl. A Bearer token (`monitor users token EMAIL`) or a signed-in session."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from monitor.reporting.export import release_json, story_json
from monitor.settings.config import ConfigError
from monitor.storage.leases import Busy, held
from monitor.web import queries
from monitor.web.auth import action, page
from monitor.web.context import web_of
from monitor.web.inputs import record_id


def _when(moment: object) -> str | None:
    return moment.isoformat() if moment is not None else None  # type: ignore[attr-defined]


@page("viewer", api=True)
def api_stories(request: Request) -> Response:
    web = web_of(request)
    try:
        filters = queries.StoryFilters.from_query(request.query_params)
    except queries.BadFilter as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    result = queries.stories(web.store, filters)
    return JSONResponse(
        {
            "total": result.total,
            "total_is_lower_bound": result.capped,  # a period's count stops past 1,000
            "page": filters.page,
            "pages": result.pages,
            "size": filters.size,
            "stories": [story_json(story) for story in result.stories],
        }
    )


@page("viewer", api=True)
def api_story(request: Request) -> Response:
    web = web_of(request)
    story_id = record_id(request.path_params["story_id"])
    found = queries.story(web.store, story_id) if story_id else None
    if found is None:
        return JSONResponse({"error": "no such story"}, status_code=404)
    data = story_json(found)
    data["releases"] = [release_json(member.release) for member in found.members]
    return JSONResponse(data)


@page("viewer", api=True)
def api_sources(request: Request) -> Response:
    web = web_of(request)
    rows, last = web.store.source_rows(), web.store.last_runs()
    leases = {lease.name: lease.holder for lease in held(web.store)}
    out = []
    for source in web.settings.sources.values():
        row, run = rows.get(source.key), last.get(source.key)
        out.append(
            {
                "key": source.key,
                "name": source.name,
                "organisation": source.organisation,
                "kind": source.kind,
                "enabled": source.enabled,
                "health": row.health if row else "unknown",
                "health_reason": row.health_reason if row else "",
                "last_success": _when(row.last_success_at) if row else None,
                "crawling": leases.get(f"crawl:{source.key}"),
                "last_run": None
                if run is None
                else {
                    "id": run.id,
                    "status": run.status,
                    "started": _when(run.started_at),
                    "finished": _when(run.finished_at),
                    "pages": run.pages,
                    "new": run.new,
                    "updated": run.updated,
                    "unchanged": run.unchanged,
                    "errors": run.errors,
                    "message": run.message,
                },
            }
        )
    return JSONResponse(out)


@action("operator", api=True)
def api_crawl(request: Request, form: FormData) -> Response:
    """Start a crawl: `source` (a key) in a form, a JSON object or the query, or every enabled source. 202 with the
    runs started; 409 with the lease's holder while that source is being crawled. Where workers
    crawl: 202 with the jobs queued, 409 with the job already waiting or running."""
    web = web_of(request)
    given = form.get("source", request.query_params.get("source"))
    if given is not None and not str(given).strip():  # an unset variable in a script: not "all"
        return JSONResponse({"error": "source is empty: name a source, or send none to crawl every one"}, 400)
    if unknown := sorted(set(form) - {"source"}):
        return JSONResponse({"error": f"unknown field(s): {', '.join(unknown)}; the one field is source"}, 400)
    key = str(given or "")
    try:
        chosen = [web.settings.source(key)] if key else web.settings.enabled_sources()
    except ConfigError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    try:
        started = web.tasks.crawl(chosen, request.scope["user"].email)
    except Busy as exc:
        return JSONResponse({"error": str(exc), "lease": exc.name, "holder": exc.holder}, status_code=409)
    except RuntimeError as exc:
        return JSONResponse({"error": str(exc)}, status_code=500)
    if started.queued:  # workers crawl: 202 with the jobs queued, 409 with a job already there
        jobs = {key: {"job_id": q.job_id, "status": q.status, "worker": q.worker} for key, q in started.queued.items()}
        waiting = [key for key, q in started.queued.items() if not q.created]
        if waiting and len(waiting) == len(started.queued):
            return JSONResponse({"error": "already queued", "jobs": jobs}, status_code=409)
        return JSONResponse({"jobs": jobs, "sources_url": "/api/sources"}, status_code=202)
    first = next(iter(started.runs.values()), None)
    return JSONResponse(
        {"run_id": first, "runs": started.runs, "job": started.job, "sources_url": "/api/sources"}, status_code=202
    )


routes = [
    Route("/api/stories", api_stories),
    Route("/api/stories/{story_id:int}", api_story),
    Route("/api/sources", api_sources),
    Route("/api/crawls", api_crawl, methods=["POST"]),
]
