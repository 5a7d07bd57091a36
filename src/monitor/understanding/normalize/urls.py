"""Canonical URLs: one spelling per page, whatever link, mirror or tracking parameter led to it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

CAMPAIGN = r"utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga|yclid"  # never the page's: a newsletter's, a feed's
CAMPAIGN_PARAMS = re.compile(rf"^({CAMPAIGN})$", re.IGNORECASE)
TRACKING_PARAMS = re.compile(rf"^({CAMPAIGN}|ref|s)$", re.IGNORECASE)  # and a referrer's, a search's: not the release's identity
LANG_PREFIX = re.compile(r"^/(en|ru|kk|kz|ky|tg|uz|tk|mn|sq|de|fr)(?=/)")
MAX_URL_CHARS = 2083  # what a crawl follows (Scrapy's URLLENGTH_LIMIT); the digest prints each URL whole


def canonical_url(url: str, host_aliases: Mapping[str, str] | None = None) -> str:
    """Lower-case host, mirror hosts mapped to the original (and to https, as the original is
    served), no fragment, no tracking parameters, sorted query, no trailing slash. The scheme is
    kept otherwise: it is the address readers follow, and some sites serve only http. The
    language prefix is kept: it is another page."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    aliases = host_aliases or {}
    netloc_key = f"{host}:{parts.port}" if parts.port else host
    aliased = netloc_key in aliases or host in aliases
    host = aliases.get(netloc_key, aliases.get(host, host))
    scheme = "https" if aliased or parts.scheme in ("https", "") else parts.scheme
    port = parts.port if parts.port and netloc_key not in aliases and parts.port not in (80, 443) else None
    netloc = f"{host}:{port}" if port else host
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def without_campaign(url: str) -> str:
    """The link as the page is fetched: a newsletter's or a feed's campaign parameters
    ("?utm_source=telegram") and the fragment dropped, the rest as written."""
    parts = urlsplit(url)
    if not parts.query and not parts.fragment:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not CAMPAIGN_PARAMS.match(k)]
    query = parts.query if len(kept) == len(pairs) else urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def page_canonical(page_url: str, claimed: str | None, host_aliases: Mapping[str, str] | None = None) -> str:
    """The canonical URL of the page at `page_url`, which claims `claimed`. A claim is taken
    only for the page's own site (a page cannot speak for another site's release, whose
    identity it would take over) and never for the site's home page (a CMS that names the home
    page everywhere would make one release of all its pages); a claim that is not an http(s)
    URL, or is longer than a crawl follows, is no claim."""
    own = canonical_url(page_url, host_aliases)
    if not claimed or len(claimed) > MAX_URL_CHARS:
        return own
    try:
        parts = urlsplit(claimed.strip())
        parts.port  # noqa: B018 -- raises ValueError for a port out of range
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return own
        stated = canonical_url(claimed, host_aliases)
    except ValueError:
        return own
    stated_parts, own_parts = urlsplit(stated), urlsplit(own)
    if site(stated_parts.netloc) != site(own_parts.netloc):
        return own
    if is_home(stated_parts) and not is_home(own_parts):
        return own
    return stated


def is_home(parts: SplitResult) -> bool:
    """/, a language's home (/ru, /kk/, /?lang=ru) or an index file (/index.php); not "/?p=123",
    WordPress's address of a post."""
    language_only = all(key.lower() in ("lang", "language", "locale", "hl") for key, _ in parse_qsl(parts.query))
    return language_only and bool(HOME.fullmatch(LANG_PREFIX.sub("", parts.path + "/", count=1)))


HOME = re.compile(r"/*(?:index\.(?:php|html?|aspx?))?/*", re.IGNORECASE)


def site(netloc: str) -> str:
    """www.example.org and example.org are one site."""
    return netloc.removeprefix("www.")


def language_prefix(url: str) -> str | None:
    match = LANG_PREFIX.match(urlsplit(url).path)
    return match.group(1) if match else None
