"""Who is asking and may they: the session cookie (pages) or a Bearer token (API), roles, and a
per-session CSRF token that every form carries and every POST is checked against."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from monitor.storage.models import UserRow
from monitor.web import accounts
from monitor.web.context import csrf_token, current_user, web_of
from monitor.web.inputs import NUL_REFUSED, holds_nul

__all__ = ["csrf_token", "current_user"]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_ok(request: Request, given: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def resolve_user(request: Request) -> UserRow | None:
    """Blocking (reads the database): call from a thread. Remembered on the request."""
    if "user" in request.scope:
        return request.scope["user"]  # type: ignore[no-any-return]
    store = web_of(request).store
    found = None
    if (token := _bearer(request)) is not None:
        found = accounts.user_for_token(store, token, datetime.now(UTC))
        request.scope["by_token"] = found is not None
    elif isinstance(uid := request.session.get("uid"), int):
        found = accounts.user(store, uid)
        # The account must be the one signed in: SQLite gives a removed account's id to the next
        # one made, and a new password ends the sessions opened with the old one.
        if found is None or not hmac.compare_digest(accounts.stamp(found), str(request.session.get("stamp", ""))):
            found = None
            request.session.clear()
    request.scope["user"] = found
    return found


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?" + urlencode({"next": target}) if target != "/" else "/login", status_code=303)


def _denied(request: Request, api: bool, status: int, message: str) -> Response:
    if api:
        return JSONResponse({"error": message}, status_code=status)
    if status == 401:
        return login_redirect(request)
    return PlainTextResponse(message, status_code=status)


Handler = Callable[..., Awaitable[Response]]


def page(role: str = "viewer", api: bool = False) -> Callable[[Callable[..., Any]], Handler]:
    """A GET handler (blocking code, run in a thread) for a signed-in user with at least `role`."""

    def decorate(handler: Callable[..., Any]) -> Handler:
        @wraps(handler)
        async def wrapped(request: Request) -> Response:
            user = await run_in_threadpool(resolve_user, request)
            if user is None:
                return _denied(request, api, 401, "sign in first (or send an API token)")
            if not accounts.may(user.role, role):
                return _denied(request, api, 403, f"this needs the {role} role; you are {user.role}")
            return await run_in_threadpool(handler, request)  # type: ignore[no-any-return]

        return wrapped

    return decorate


def _is_json(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json"


async def _json_form(request: Request) -> FormData:
    """An API call's JSON object, read as the form it stands for: a tool that sends
    {"source": "x"} is not taken to have sent no field (which would mean every source)."""
    try:
        body = json.loads(await request.body())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"the body is not JSON: {exc}") from None
    if not isinstance(body, dict) or not all(isinstance(v, str) for v in body.values()):
        raise ValueError('the body must be a JSON object of strings, such as {"source": "osce_astana"}')
    return FormData(body)


def action(role: str = "viewer", api: bool = False) -> Callable[[Callable[..., Any]], Handler]:
    """A POST handler (blocking code, run in a thread) for a user with `role`, after the CSRF check:
    a form field on pages; on the API a Bearer token needs none (no browser sends it on its own),
    a session needs the X-CSRF-Token header."""

    def decorate(handler: Callable[..., Any]) -> Handler:
        @wraps(handler)
        async def wrapped(request: Request) -> Response:
            try:
                form = await _json_form(request) if api and _is_json(request) else await request.form()
            except ValueError as exc:
                return _denied(request, api, 400, str(exc))
            user = await run_in_threadpool(resolve_user, request)
            if user is None:
                return _denied(request, api, 401, "sign in first (or send an API token)")
            if not request.scope.get("by_token"):
                given = request.headers.get(CSRF_HEADER) if api else form.get(CSRF_FIELD)
                if not csrf_ok(request, given if isinstance(given, str) else None):
                    return _denied(request, api, 403, "the form's CSRF token is missing or stale: reload the page")
            if not accounts.may(user.role, role):
                return _denied(request, api, 403, f"this needs the {role} role; you are {user.role}")
            if holds_nul(form):
                return _denied(request, api, 400, NUL_REFUSED)
            return await run_in_threadpool(handler, request, form)  # type: ignore[no-any-return]

        return wrapped

    return decorate
