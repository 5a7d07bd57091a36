"""What a request may carry: a bounded body, no NUL character, ids a stored row can have. Each is
refused with a 4xx; past these bounds the database (or the server's memory) would answer instead."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024  # the largest form (a subscription with ten saved searches) is a few KB
MAX_ID = 2**31 - 1  # the key columns are INTEGER: 32 bits on PostgreSQL
TOO_LARGE = f"the request body is larger than {MAX_BODY // 1024} KB"
NUL_REFUSED = "a value holds a NUL character"


def record_id(value: object) -> int | None:
    """A row's id from a path or a form; None for what no row has (a number past the column's
    range reaches the database as an error, not as a miss)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def holds_nul(form: FormData) -> bool:
    """PostgreSQL cannot store NUL in text, and no field of ours has a use for one."""
    return any(isinstance(value, str) and "\x00" in value for _, value in form.multi_items())


def _refusal(scope: Scope, status: int, message: str) -> Response:
    if str(scope.get("path", "")).startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


class RequestLimits:
    """A pure ASGI middleware: a body past MAX_BODY is refused with 413 (by its Content-Length, or
    as it streams in), a query string with NUL with 400; everything else passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = bytes(scope.get("query_string", b"")).lower()
        if b"%00" in query or b"\x00" in query:
            await _refusal(scope, 400, NUL_REFUSED)(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length and (not length.isdigit() or int(length) > MAX_BODY):
            await _refusal(scope, 413, TOO_LARGE)(scope, receive, send)
            return
        received = 0

        async def bounded() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY:  # a chunked body says no length up front
                raise HTTPException(413, TOO_LARGE)
            return message

        await self.app(scope, bounded, send)
