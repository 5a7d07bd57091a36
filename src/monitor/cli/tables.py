"""Plain-text tables for the terminal and for pipes (no colours, no box drawing). Scraped text
is untrusted: control characters (escape sequences, carriage returns, bidi overrides) are shown
as escapes, never sent to the terminal."""

from __future__ import annotations

from collections.abc import Sequence

_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_VISIBLE = {code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}") for code in _CONTROLS}


def visible(value: object) -> str:
    """The text with every control character written as an escape (one line, inert)."""
    return ("" if value is None else str(value)).translate(_VISIBLE)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 60) -> str:
    def cell(value: object) -> str:
        text = visible(value)
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    body = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(headers)]
    numeric = [all(r[i].isdigit() for r in body if r[i]) and bool(body) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in body)])
