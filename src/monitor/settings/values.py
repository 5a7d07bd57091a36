"""Typed reading of config values: TOML says `enabled = "false"` as readily as `enabled = false`,
and a Python bool() or tuple() of the wrong type quietly means something else."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit


class ValueKindError(ValueError):
    """A config value is of the wrong type or out of range; the message names where and the key."""


def _named(where: str, key: str) -> str:
    return f"{where}: {key}" if where else key


def _shown(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def check_keys(where: str, data: Mapping[str, Any], known: Iterable[str]) -> None:
    """ValueKindError for a key not in `known`, naming the nearest known one: a misspelt key
    would otherwise be ignored and its default used without a word."""
    known = sorted(known)
    for key in sorted(set(data) - set(known)):
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
        raise ValueKindError(f"{where}: unknown key {key!r}{hint}")


def table(where: str, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueKindError(f"{_named(where, key)} must be a table, not {_shown(value)}")
    return value


def boolean(where: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueKindError(f"{_named(where, key)} must be true or false (without quotes), not {_shown(value)}")
    return value


def text(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueKindError(f"{_named(where, key)} must be a string, not {_shown(value)}")
    return value


def strings(where: str, key: str, value: Any) -> tuple[str, ...]:
    """A list of strings; one string alone is refused, as tuple() would split it into characters."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        hint = f" (write [{value!r}])" if isinstance(value, str) else ""
        raise ValueKindError(f"{_named(where, key)} must be a list of strings{hint}, not {_shown(value)}")
    return tuple(value)


def number(where: str, key: str, value: Any, minimum: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= minimum:
        raise ValueKindError(f"{_named(where, key)} must be a number of at least {minimum:g}, not {_shown(value)}")
    return float(value)


def positive(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueKindError(f"{_named(where, key)} must be a number above 0, not {_shown(value)}")
    return float(value)


def integer(where: str, key: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueKindError(f"{_named(where, key)} must be a whole number of at least {minimum}, not {_shown(value)}")
    return value


def http_url(where: str, key: str, value: Any) -> str:
    """An absolute http(s) URL to append paths to: readers' links are built on it, and one without
    a scheme ("monitor.example.org") made links that mail clients and feed readers take as relative."""
    url = text(where, key, value)
    try:
        parts = urlsplit(url)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and (parts.port or 0) >= 0
    except ValueError:  # a port out of range or not a number
        usable = False
    if not usable or parts.query or parts.fragment:
        raise ValueKindError(f"{_named(where, key)} must be an http:// or https:// URL with a host, not {url!r}")
    return url
