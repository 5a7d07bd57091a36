"""RawRelease -> Release."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date
from urllib.parse import urlsplit

from monitor.records import DatedValue, RawRelease, Release
from monitor.settings.sources import Source
from monitor.understanding.normalize.dates import (
    Dateline,
    closing_date,
    first_body_date,
    opening_dateline,
    parse_date,
    pick_published,
)
from monitor.understanding.normalize.lang import detect_language
from monitor.understanding.normalize.text import clean_caption, clean_text, fingerprint, summarize, tidy_line
from monitor.understanding.normalize.urls import language_prefix, page_canonical

DEFAULT_DATE_PRIORITY = (
    "selector",
    "meta",
    "label",
    "pdf",
    "import",
    "listing",
    "feed",
    "time",
    "url",
    "dateline",  # the release's own words, where it states nothing else: before htmldate's guess
    "signed",  # the date its last line signs it off with ("Der Vorstand, 29. März 2023")
    "htmldate",  # consulted only where the page states no date itself: better than a date-classed widget
    "byline",
    "updated",  # the day the page says it was changed, where it says nothing else
    "sitemap",
    "year",  # htmldate found a year alone (a copyright line): January 1st of it
)


WEAK_DATES = {
    "dateline",
    "signed",
    "sitemap",
    "file",
    "htmldate",
    "byline",
    "updated",
    "url",
    "year",
}  # inferred, not stated: only when nothing stated is known
SUPPORTING_DATES = {"htmldate", "byline", "url"}  # still a voice where stated dates disagree


def identity_key(source: Source, native_id: str | None, canonical: str, lang_prefix: str | None) -> str:
    """Node ids are shared by every host of a family (osce.org and its subdomains and mirrors);
    a language prefix marks a translation, which is a release of its own."""
    if native_id:
        key = f"{source.id_namespace}:{bounded(native_id, IDENTITY_CHARS)}" + (f"/{lang_prefix}" if lang_prefix and lang_prefix != "en" else "")
    else:  # www.example.org/x and example.org/x, over http or https, are one page
        key = re.sub(r"^https?://(www\.)?", "https://", canonical)
    return bounded(key, IDENTITY_CHARS)


IDENTITY_CHARS = 500  # what the identity and native id columns hold


def bounded(key: str, limit: int) -> str:
    """`key`, or when longer than `limit` (a slug of a long Cyrillic title, percent-encoded, is
    600 characters) its head and a digest of the whole: still one key per page."""
    if len(key) <= limit:
        return key
    return f"{key[: limit - 65]}#{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}"


def event_of(text: str, dateline: Dateline | None, order: str) -> DatedValue | None:
    """When the event happened: the dateline's date, else the first date of the first paragraph."""
    if dateline:
        return DatedValue(dateline.date, "dateline", dateline.place or text[dateline.start : dateline.end].strip(" –—-"))
    return first_body_date(text, order) if text else None


def _listed_before(candidates: list[tuple[str, str]], order: str) -> list[tuple[str, str]]:
    """The metadata's days later than the day the site's listing or feed gave the release, on a
    page that shows no day of its own: a page is not listed before it is published, so those are
    a change's or a migration's (where the page shows its day, the listing's may be the event's)."""
    if any(provenance in SHOWN_ON_PAGE for provenance, _ in candidates):
        return []
    listed = [day for provenance, value in candidates if provenance in LISTED_DATES and (day := parse_date(value, order))]
    if not listed:
        return []
    first = min(listed)
    return [
        ("updated", value)
        for provenance, value in candidates
        if provenance == "meta" and (day := parse_date(value, order)) and 1 < (day - first).days <= LISTED_BEFORE_DAYS
    ]


# The days a listing or a feed gives a release (a sitemap's lastmod says when a page changed).
LISTED_DATES = {"listing", "feed"}
SHOWN_ON_PAGE = {"selector", "label", "time"}  # a byline may be a widget's or a stamp's date
LISTED_BEFORE_DAYS = 366  # past the day after (a listing's UTC day may be the local day before) and within a year


def normalize_release(raw: RawRelease, source: Source, host_aliases: Mapping[str, str], today: date) -> Release:
    body, captions = clean_text(raw.text, raw.title)
    listing_only = not body
    text = body or clean_text(raw.teaser)[0]

    order = raw.date_order or source.date_order  # what the page shows outweighs the source's habit
    dateline = opening_dateline(text, order)
    candidates = list(raw.dates)
    if dateline:
        candidates.append(("dateline", dateline.date.isoformat()))
    if signed := closing_date(text, order):
        candidates.append(("signed", signed.isoformat()))
    # a source's own order first; the layers it does not name keep the default order among themselves
    configured = source.fields.get("published", DEFAULT_DATE_PRIORITY)
    priority = [*configured, *(name for name in DEFAULT_DATE_PRIORITY if name not in configured)]
    # A dateline says when the event happened, a sitemap or file date when something changed:
    # they stand for the publication date only when nothing else is known, and say so.
    canonical = page_canonical(raw.url, raw.canonical_url, host_aliases)
    zone = source.zone_of(urlsplit(canonical).hostname or "")  # a feed of several offices: the release's own
    stated = [c for c in candidates if c[0] not in WEAK_DATES]
    supporting = [c for c in candidates if c[0] in SUPPORTING_DATES]
    changed = [c for c in candidates if c[0] == "updated"] + _listed_before(candidates, order)
    shown = [c for c in candidates if c[0] == "dateline"]
    published = pick_published(stated, priority, order, today, zone, supporting, changed, shown) or pick_published(
        candidates, priority, order, today, zone, changed_on=changed
    )

    event = event_of(text, dateline, order)
    if source.syndication and published and event:
        # An aggregator republishes others' text as written: "12.09.2024" in the release it carries
        # follows the original's convention, not its own; the reading nearer its publication wins.
        swapped = "MDY" if order != "MDY" else "DMY"
        other_dateline = opening_dateline(text, swapped)
        other = event_of(text, other_dateline, swapped)
        if other and abs((other.value - published.value).days) < abs((event.value - published.value).days):
            event, dateline = other, other_dateline

    prefix = language_prefix(raw.url) or language_prefix(canonical)
    native_id = bounded(raw.native_id, IDENTITY_CHARS) if raw.native_id else None
    lang = detect_language(f"{raw.title}\n{text}", raw.lang or prefix)
    title = tidy_line(raw.title)
    return Release(
        source=source.key,
        url=raw.url,
        canonical_url=canonical,
        identity=identity_key(source, native_id, canonical, prefix),
        native_id=native_id,
        title=title,
        text=text,
        summary=summarize(text[dateline.end :] if dateline and not dateline.start else text),  # a lead first: from it
        lang=lang,
        published=published,
        event=event,
        dateline_place=(dateline.place or None) if dateline else None,
        facets={k: [tidy_line(v) for v in values if v.strip()] for k, values in raw.facets.items()},
        captions=[clean_caption(c) for c in [*raw.captions, *captions] if clean_caption(c)],
        listing_only=listing_only,
        syndication=source.syndication,
        content_hash=fingerprint(title, text) if text else "",
        fetched_at=raw.fetched_at,
    )
