"""Sources (health, runs, problems, crawl now), digests (issues, PDFs, deliveries, issue and send
now, the e-mail preview) and user accounts for admins."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from monitor.reporting import ledger
from monitor.reporting.editions import load_edition
from monitor.reporting.render import render_email
from monitor.reporting.subscriptions import definition_named
from monitor.settings.config import ConfigError
from monitor.settings.subscribers import EVERY_SUBSCRIBER, FILTER_SET_PREFIX
from monitor.storage import job_runs, subscribers
from monitor.storage.leases import Busy, held
from monitor.storage.models import CrawlRunRow, DeliveryRow, DigestRunRow, UserRow
from monitor.understanding.classify import load_taxonomy
from monitor.web import accounts
from monitor.web.auth import action, page
from monitor.web.context import Web, web_of
from monitor.web.inputs import record_id
from monitor.web.security import EMAIL_CSP

REFRESH_S = 3  # while something runs, pages reload themselves (no script needed)


def _flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = [kind, message]


def _take_flash(request: Request) -> list[str] | None:
    return request.session.pop("flash", None)


def recent_runs(web: Web, source_key: str | None = None, limit: int = 10) -> list[CrawlRunRow]:
    with web.store.session() as session:
        query = select(CrawlRunRow).options(selectinload(CrawlRunRow.problems)).order_by(CrawlRunRow.id.desc())
        if source_key:
            query = query.where(CrawlRunRow.source_key == source_key)
        return list(session.scalars(query.limit(limit)))


def sources_view(request: Request, status_code: int = 200, message: list[str] | None = None) -> Response:
    web = web_of(request)
    rows = web.store.source_rows()
    last = web.store.last_runs()
    leases = {lease.name: lease for lease in held(web.store)}
    running = [run for run in recent_runs(web, limit=50) if run.status == "running"]
    return web.page(
        request,
        "sources.html",
        status_code,
        sources=list(web.settings.sources.values()),
        rows=rows,
        last=last,
        leases=leases,
        running=running,
        refresh=REFRESH_S if running or any(n.startswith("crawl:") for n in leases) else 0,
        flash=message or _take_flash(request),
        recent=[f for f in web.tasks.recent if f.job.startswith("crawl")],
    )


@page("viewer")
def sources(request: Request) -> Response:
    return sources_view(request)


@page("viewer")
def source_page(request: Request) -> Response:
    web = web_of(request)
    key = request.path_params["key"]
    if key not in web.settings.sources:
        return web.page(request, "missing.html", 404, what=f"source {key}")
    runs = recent_runs(web, key, 20)
    lease = next((lease for lease in held(web.store) if lease.name == f"crawl:{key}"), None)
    return web.page(
        request,
        "source.html",
        source=web.settings.sources[key],
        row=web.store.source_rows().get(key),
        runs=runs,
        lease=lease,
        refresh=REFRESH_S if lease or any(r.status == "running" for r in runs) else 0,
        flash=_take_flash(request),
    )


@action("operator")
def crawl_now(request: Request, form: FormData) -> Response:
    web = web_of(request)
    key = str(form.get("source", "all"))
    try:
        chosen = web.settings.enabled_sources() if key == "all" else [web.settings.source(key)]
    except ConfigError as exc:
        return sources_view(request, 400, ["error", str(exc)])
    user = request.scope["user"]
    try:
        started = web.tasks.crawl(chosen, user.email)
    except Busy as exc:
        return sources_view(request, 409, ["error", f"Not started: {exc}"])
    except RuntimeError as exc:
        return sources_view(request, 500, ["error", str(exc)])
    if started.queued:
        _flash(request, "Crawl " + "; ".join(f"{source}: {q.describe()}" for source, q in started.queued.items()) + ".")
    else:
        runs = ", ".join(f"{source} (run {run})" for source, run in started.runs.items())
        _flash(request, f"Crawl started: {runs}.")
    back = f"/sources/{key}" if key != "all" else "/sources"
    return RedirectResponse(back, status_code=303)


# --- digests -------------------------------------------------------------------------------------
@page("viewer")
def digests(request: Request) -> Response:
    web = web_of(request)
    with web.store.session() as session:
        issues = list(
            session.scalars(
                select(DigestRunRow)
                .options(selectinload(DigestRunRow.deliveries))
                .order_by(DigestRunRow.period_end.desc(), DigestRunRow.id.desc())
                .limit(100)
            )
        )
    user = request.scope["user"]
    own = _own_subscriptions(web, user)  # once, not for each issue
    issues = [run for run in issues if _may_see(user, own, run, run.deliveries)]
    last = {job: run for job, run in job_runs.latest(web.store).items() if job.startswith("digest")}
    busy = next((lease for lease in held(web.store) if lease.name == "digest"), None)
    return web.page(
        request,
        "digests.html",
        definitions=list(web.settings.digests.values()),
        subscriber_count=sum(not row.follows for row in subscribers.listed(web.store, active_only=True)),
        titles=subscribers.filter_set_titles(web.store) | {d.name: d.title for d in web.settings.digests.values()},
        issues=issues,
        last=last,
        busy=busy,
        refresh=REFRESH_S if busy else 0,
        flash=_take_flash(request),
        recent=[f for f in web.tasks.recent if f.job.startswith("digest")],
    )


def _private(run: DigestRunRow) -> bool:
    """A subscribers' filter set's issue: its title holds their saved searches, its deliveries
    their addresses. Configured digests are everyone's."""
    return run.name.startswith(FILTER_SET_PREFIX)


def _own_subscriptions(web: Web, user: UserRow) -> set[int]:
    return {row.id for row in subscribers.listed(web.store, owner_id=user.id)}


def _may_see(user: UserRow, own: set[int], run: DigestRunRow, deliveries: list[DeliveryRow]) -> bool:
    """An admin sees every issue; anyone else a filter set's only if it was made for them (`own`:
    their subscriptions' ids)."""
    if not _private(run) or user.role == "admin":
        return True
    return any(d.subscriber_id in own or d.recipient.lower() == user.email.lower() for d in deliveries)


HIDDEN_ADDRESS = "(a reader's address)"


def undelivered_seen_by(web: Web, user: UserRow, rows: list[list[object]]) -> list[list[object]]:
    """Status's undelivered deliveries (id, recipient, status, tries, next try, error) as `user`
    may see them: a filter set's reader's address, in the recipient column or an SMTP error,
    only by an admin or that reader."""
    if user.role == "admin" or not rows:
        return rows
    own = _own_subscriptions(web, user)
    with web.store.session() as session:
        found = session.scalars(
            select(DeliveryRow).options(selectinload(DeliveryRow.run)).where(DeliveryRow.id.in_([r[0] for r in rows]))
        )
        hidden = {d.id: d.recipient for d in found if _private(d.run) and not _may_see(user, own, d.run, [d])}
    seen = []
    for row in rows:
        if (address := hidden.get(row[0])) is not None:
            error = re.sub(re.escape(address), HIDDEN_ADDRESS, str(row[5] or ""), flags=re.I)
            row = [row[0], HIDDEN_ADDRESS, *row[2:5], error]
        seen.append(row)
    return seen


def _edition(web: Web, run_id: int, user: UserRow):  # type: ignore[no-untyped-def]
    run = ledger.get_run(web.store, run_id) if record_id(run_id) else None
    hidden = run is not None and _private(run) and user.role != "admin"
    if hidden and not _may_see(user, _own_subscriptions(web, user), run, ledger.run_deliveries(web.store, run.id)):
        return None  # as if it did not exist
    try:
        if run is None or definition_named(web.settings, web.store, run.name) is None:
            return None
    except ConfigError:  # its digest left the config
        return None
    return load_edition(web.settings, web.store, load_taxonomy(web.settings.taxonomy_path), run_id)


@page("viewer")
def digest_page(request: Request) -> Response:
    web = web_of(request)
    run_id = request.path_params["run_id"]
    edition = _edition(web, run_id, request.scope["user"])
    if edition is None:
        return web.page(request, "missing.html", 404, what=f"digest issue {run_id} (or its definition)")
    with web.store.session() as session:
        run = session.scalar(
            select(DigestRunRow).options(selectinload(DigestRunRow.deliveries)).where(DigestRunRow.id == run_id)
        )
    text, _ = render_email(edition.digest, web.settings.templates_dir)
    user = request.scope["user"]
    deliveries = run.deliveries
    if _private(run) and user.role != "admin":  # a filter set is shared by every reader who chose it
        own = _own_subscriptions(web, user)
        deliveries = [d for d in deliveries if _may_see(user, own, run, [d])]
    return web.page(
        request, "digest.html", edition=edition, run=run, deliveries=deliveries, email_text=text, stories=edition.digest
    )


@page("viewer")
def digest_email(request: Request) -> Response:
    """The e-mail's HTML as mailed, for the preview frame: its own policy (inline styles, no script)."""
    web = web_of(request)
    edition = _edition(web, request.path_params["run_id"], request.scope["user"])
    if edition is None:
        return HTMLResponse("no such issue", status_code=404)
    _, html = render_email(edition.digest, web.settings.templates_dir)
    return HTMLResponse(html, headers={"Content-Security-Policy": EMAIL_CSP, "X-Frame-Options": "SAMEORIGIN"})


@page("viewer")
def digest_pdf(request: Request) -> Response:
    web = web_of(request)
    edition = _edition(web, request.path_params["run_id"], request.scope["user"])
    if edition is None or edition.pdf is None or not Path(edition.pdf).is_file():
        return HTMLResponse("this issue has no PDF (it carried no story)", status_code=404)
    return FileResponse(edition.pdf, media_type="application/pdf", filename=Path(edition.pdf).name)


@action("operator")
def digest_now(request: Request, form: FormData) -> Response:
    web = web_of(request)
    name, send = str(form.get("name", "")), form.get("send") == "1"
    names = [*sorted(web.settings.digests), EVERY_SUBSCRIBER] if name == "all" else [name] if name else []
    unknown = [n for n in names if n not in web.settings.digests and n != EVERY_SUBSCRIBER]
    if unknown:
        _flash(request, f"Unknown digest {unknown[0]!r}.", "error")
        return RedirectResponse("/digests", status_code=303)
    try:
        started = web.tasks.digest(names, send, request.scope["user"].email)
    except Busy as exc:
        _flash(request, f"Not started: {exc}", "error")
        return RedirectResponse("/digests", status_code=303)
    what = (
        "Sending due deliveries" if not names else ("Issuing and sending " if send else "Issuing ") + ", ".join(names)
    )
    _flash(request, f"{what}: started ({started.job}).")
    return RedirectResponse("/digests", status_code=303)


# --- users ---------------------------------------------------------------------------------------
def users_view(request: Request, status_code: int = 200, message: list[str] | None = None) -> Response:
    web = web_of(request)
    return web.page(
        request,
        "users.html",
        status_code,
        users=accounts.users(web.store),
        roles=accounts.ROLES,
        definitions=list(web.settings.digests.values()),
        config_path=web.settings.config_path,
        flash=message or _take_flash(request),
    )


@page("admin")
def users(request: Request) -> Response:
    return users_view(request)


@action("admin")
def users_change(request: Request, form: FormData) -> Response:
    web = web_of(request)
    me = request.scope["user"]
    what = str(form.get("do", ""))
    try:
        if what == "add":
            if str(form.get("email", "")).strip().lower() == me.email.lower():  # as the role and remove actions
                return users_view(request, 400, ["error", "You cannot change or remove your own account here."])
            row = accounts.add_user(
                web.store, str(form.get("email", "")), str(form.get("role", "")), str(form.get("password", "")),
                datetime.now(UTC),
            )  # fmt: skip
            _flash(request, f"{row.email} can sign in as {row.role}.")
        elif what in ("role", "remove"):
            user_id = record_id(form.get("user_id", ""))
            if user_id is None:
                return users_view(request, 400, ["error", "No such account."])
            if user_id == me.id:
                return users_view(request, 400, ["error", "You cannot change or remove your own account here."])
            if what == "role":
                accounts.set_role(web.store, user_id, str(form.get("role", "")))
                _flash(request, "Role changed.")
            else:
                accounts.remove_user(web.store, user_id)
                _flash(request, "Account removed.")
        else:
            return users_view(request, 400, ["error", "Unknown action."])
    except (accounts.AccountError, ValueError) as exc:
        return users_view(request, 400, ["error", str(exc)])
    return RedirectResponse("/users", status_code=303)


routes = [
    Route("/sources", sources),
    Route("/sources/crawl", crawl_now, methods=["POST"]),
    Route("/sources/{key:str}", source_page),
    Route("/digests", digests),
    Route("/digests/issue", digest_now, methods=["POST"]),
    Route("/digests/{run_id:int}", digest_page),
    Route("/digests/{run_id:int}/email", digest_email),
    Route("/digests/{run_id:int}/pdf", digest_pdf),
    Route("/users", users),
    Route("/users", users_change, methods=["POST"]),
]
