"""Canonical URLs: one spelling per page, whatever link, mirror or tracking parameter led to it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga|yclid|ref|s)$", re.IGNORECASE)
LANG_PREFIX = re.compile(r"^/(en|ru|kk|kz|ky|tg|uz|tk|mn|sq|de|fr)(?=/)")


def canonical_url(url: str, host_aliases: Mapping[str, str] | None = None) -> str:
    """https, lower-case host, mirror hosts mapped to the original, no fragment, no tracking
    parameters, sorted query, no trailing slash. The language prefix is kept: it is another page."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    aliases = host_aliases or {}
    netloc_key = f"{host}:{parts.port}" if parts.port else host
    host = aliases.get(netloc_key, aliases.get(host, host))
    scheme = "https" if parts.scheme in ("http", "https", "") else parts.scheme
    port = parts.port if parts.port and netloc_key not in aliases and parts.port not in (80, 443) else None
    netloc = f"{host}:{port}" if port else host
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def language_prefix(url: str) -> str | None:
    match = LANG_PREFIX.match(urlsplit(url).path)
    return match.group(1) if match else None
