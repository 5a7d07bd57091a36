"""Subscriptions in the web view (each user their own; admins everyone's, and channels), and the
one-click unsubscribe page that every e-mail links to (RFC 8058: it needs no sign-in, the signed
link is the proof)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from monitor.reporting.selection import DigestError
from monitor.reporting.subscriptions import check_filters
from monitor.reporting.unsubscribe import subscriber_of
from monitor.settings.definitions import NAMED_PERIODS, DefinitionError
from monitor.settings.subscribers import subscriber_spec
from monitor.storage import subscribers
from monitor.understanding.classify import load_taxonomy
from monitor.web.auth import action, page
from monitor.web.context import web_of
from monitor.web.inputs import record_id

LANGUAGES = ("en", "ru", "kk")
MAX_SEARCHES = 10


def _choices(request: Request) -> dict[str, Any]:
    web = web_of(request)
    taxonomy = load_taxonomy(web.settings.taxonomy_path)
    return {
        "topics": [(t.key, taxonomy.label(t.key)) for t in taxonomy.topics]
        + [(s.name, "– " + s.name.split("/", 1)[1].replace("_", " ")) for t in taxonomy.topics for s in t.subtopics],
        "countries": [c.name for c in taxonomy.countries],
        "organisations": [o.name for o in taxonomy.organisations],
        "sources": [(s.key, s.name) for s in web.settings.sources.values()],
        "languages": LANGUAGES,
        "periods": list(NAMED_PERIODS),
        "digests": sorted(web.settings.digests),
    }


def view(request: Request, status_code: int = 200, message: list[str] | None = None) -> Response:
    web = web_of(request)
    user = request.scope["user"]
    admin = user.role == "admin"
    rows = subscribers.listed(web.store, owner_id=None if admin else user.id)
    return web.page(
        request,
        "subscriptions.html",
        status_code,
        rows=[(row, subscribers.spec_of(row)) for row in rows],
        admin=admin,
        flash=message or request.session.pop("flash", None),
        **_choices(request),
    )


@page("viewer")
def subscriptions(request: Request) -> Response:
    return view(request)


def _spec_from_form(request: Request, form: FormData) -> Any:
    web = web_of(request)
    user = request.scope["user"]
    address = str(form.get("address", "")).strip() or user.email
    if user.role != "admin" and address.lower() != user.email.lower():
        raise DefinitionError("you can subscribe your own address only; an admin can add others and channels")
    searches = [line.strip()[:200] for line in str(form.get("searches", "")).splitlines() if line.strip()]
    data: dict[str, Any] = {
        "address": address,
        "period": str(form.get("cron", "")).strip() or str(form.get("period", "weekly")),
        "timezone": str(form.get("timezone", "Asia/Almaty")).strip(),
        "empty": "skip" if form.get("skip_empty") else "note",
        "follows": str(form.get("follows", "")),
        "searches": searches[:MAX_SEARCHES],
    }
    for key in ("topics", "countries", "organisations", "sources", "languages"):
        data[key] = [str(v) for v in form.getlist(key)]
    name = str(form.get("name", "")).strip() or f"{address} {datetime.now(UTC):%Y%m%d%H%M%S}"
    return subscriber_spec(name[:200], data, web.settings.digests)


@action("viewer")
def change(request: Request, form: FormData) -> Response:
    web = web_of(request)
    user = request.scope["user"]
    what = str(form.get("do", ""))
    now = datetime.now(UTC)
    try:
        if what == "add":
            spec = _spec_from_form(request, form)
            check_filters(web.settings, load_taxonomy(web.settings.taxonomy_path), spec)
            subscribers.add(web.store, spec, "web", now, owner_id=user.id)
            request.session["flash"] = ["ok", f"Subscribed {spec.address}: {spec.describe()}."]
            return RedirectResponse("/subscriptions", status_code=303)
        if (subscriber_id := record_id(form.get("id", ""))) is None:
            return view(request, 400, ["error", "No such subscription."])
        row = subscribers.find(web.store, subscriber_id)
        if user.role != "admin" and row.owner_id != user.id:
            return view(request, 403, ["error", "That subscription is not yours."])
        if what == "remove":
            subscribers.remove(web.store, row.id)
        elif what == "unsubscribe":
            subscribers.unsubscribe(web.store, row.id, "web", now)
        elif what == "resubscribe":
            subscribers.resubscribe(web.store, row.id)
        else:
            return view(request, 400, ["error", "Unknown action."])
        request.session["flash"] = ["ok", f"{row.name}: {what} done."]
    except (DefinitionError, DigestError, subscribers.SubscriberError, ValueError) as exc:
        return view(request, 400, ["error", str(exc)])
    return RedirectResponse("/subscriptions", status_code=303)


async def unsubscribe(request: Request) -> Response:
    """GET: a page with one button (link checkers and previews must not unsubscribe anyone);
    POST: unsubscribed, from that button or from a mail client's one-click request."""
    web = web_of(request)
    subscriber_id = subscriber_of(web.settings, request.path_params["token"])
    row = None
    if subscriber_id is not None:
        try:
            row = await run_in_threadpool(subscribers.find, web.store, subscriber_id)
        except subscribers.SubscriberError:
            row = None
    if row is None:
        return web.page(request, "missing.html", 404, what="subscription behind this link (it may have been removed)")
    if request.method == "POST":
        await request.body()  # RFC 8058 sends List-Unsubscribe=One-Click; a form sends nothing else either
        row = await run_in_threadpool(subscribers.unsubscribe, web.store, row.id, "link", datetime.now(UTC))
    return web.page(request, "unsubscribe.html", row=row, done=request.method == "POST")


routes = [
    Route("/subscriptions", subscriptions),
    Route("/subscriptions", change, methods=["POST"]),
    Route("/unsubscribe/{token:str}", unsubscribe, methods=["GET", "POST"]),
]
