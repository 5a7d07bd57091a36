"""Signing in and out, the stories (list, search, one story), status and the health check."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from monitor.operations.status import gather
from monitor.storage.engine import current_revision
from monitor.web import accounts, queries
from monitor.web.auth import CSRF_FIELD, action, csrf_ok, page, resolve_user
from monitor.web.context import web_of
from monitor.web.inputs import NUL_REFUSED, holds_nul, record_id
from monitor.web.operate import undelivered_seen_by


def _next(value: object) -> str:
    """Only a path on this site: never a redirect elsewhere."""
    target = value if isinstance(value, str) else ""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/stories"


async def login(request: Request) -> Response:
    web = web_of(request)
    if request.method == "GET":
        user = await run_in_threadpool(resolve_user, request)
        if user is not None:
            return RedirectResponse(_next(request.query_params.get("next")), status_code=303)
        return web.page(request, "login.html", next=_next(request.query_params.get("next")), error="", email="")
    form: FormData = await request.form()
    email, password = str(form.get("email", ""))[:320], str(form.get("password", ""))[:1000]
    target = _next(form.get("next"))
    if not csrf_ok(request, str(form.get(CSRF_FIELD, ""))):
        return web.page(request, "login.html", 403, next=target, email=email, error="The form expired: try again.")
    if holds_nul(form):
        return web.page(request, "login.html", 400, next=target, email="", error=f"Not signed in: {NUL_REFUSED}.")
    address = request.client.host if request.client else "?"
    wait = web.limiter.retry_after(address, email)
    if wait:
        response = web.page(
            request, "login.html", 429, next=target, email=email,
            error=f"Too many failed sign-ins: try again in {int(wait / 60) + 1} minutes.",
        )  # fmt: skip
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    user = await run_in_threadpool(accounts.authenticate, web.store, email, password, datetime.now(UTC))
    if user is None:
        web.limiter.failed(address, email)
        return web.page(request, "login.html", 400, next=target, email=email, error="Wrong e-mail or password.")
    web.limiter.succeeded(address, email)
    request.session.clear()  # a new session on sign-in: nothing set before it carries over
    request.session["uid"], request.session["stamp"] = user.id, accounts.stamp(user)
    return RedirectResponse(target, status_code=303)


@action("viewer")
def logout(request: Request, form: FormData) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def home(request: Request) -> Response:
    return RedirectResponse("/stories", status_code=303)


@page("viewer")
def story_list(request: Request) -> Response:
    web = web_of(request)
    try:
        filters = queries.StoryFilters.from_query(request.query_params)
    except queries.BadFilter as exc:
        return web.page(request, "stories.html", 400, result=None, filters=queries.StoryFilters(), error=str(exc),
                        choices=web.choices.get())  # fmt: skip
    result = queries.stories(web.store, filters)
    return web.page(request, "stories.html", result=result, filters=filters, error="", choices=web.choices.get())


@page("viewer")
def story_page(request: Request) -> Response:
    web = web_of(request)
    story_id = record_id(request.path_params["story_id"])
    found = queries.story(web.store, story_id) if story_id else None
    if found is None:
        return web.page(request, "missing.html", 404, what=f"story {request.path_params['story_id']}")
    members = sorted(found.members, key=lambda m: (m.release_id != found.canonical_release_id, m.release_id))
    names = {key: source.name for key, source in web.settings.sources.items()}
    return web.page(request, "story.html", story=found, members=members, source_names=names)


@page("viewer")
def status_page(request: Request) -> Response:
    web = web_of(request)
    config = str(web.settings.config_path) if web.settings.config_path else None
    status = gather(web.settings, config)
    status.undelivered = undelivered_seen_by(web, request.scope["user"], status.undelivered)
    return web.page(request, "status.html", status=status)


def healthz(request: Request) -> Response:
    """200 while the database answers; says nothing else about the installation."""
    store = web_of(request).store
    try:
        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        schema = current_revision(store.engine)
    except Exception:
        return PlainTextResponse("database unreachable\n", status_code=503)
    return JSONResponse({"status": "ok", "schema": schema})


routes = [
    Route("/", home),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/stories", story_list),
    Route("/stories/{story_id:int}", story_page),
    Route("/status", status_page),
    Route("/healthz", healthz),
]
