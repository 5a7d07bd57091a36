"""Plain records that flow one way: RawRelease (what a page said) -> Release (normalized) -> store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class RawRelease:
    """What one page (or listing entry, or feed item) said, as strings, before any interpretation."""

    source: str
    url: str
    title: str = ""
    text: str = ""  # main text, paragraphs separated by blank lines; empty for a listing entry
    dates: list[tuple[str, str]] = field(default_factory=list)  # (provenance, text as written)
    canonical_url: str | None = None
    native_id: str | None = None
    lang: str | None = None  # what the page claimed (html lang, URL prefix, feed); verified later
    date_order: str | None = None  # DMY or MDY where the page's slashed dates show it, over the source's
    teaser: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)  # e.g. {"what we do": ["Rule of law"]}
    captions: list[str] = field(default_factory=list)
    listing_url: str | None = None
    listing_fingerprint: str = ""  # of the listing entry that led here: a changed entry is fetched again
    fetched_at: str = ""  # ISO timestamp of the fetch


@dataclass
class CrawlProblem:
    """Something a crawl could not use; stored against the source and URL, never fatal."""

    source: str
    url: str
    kind: str  # http, parse, layout, missing-date, encoding, robots, limit, skipped, store
    message: str
    fatal_for_source: bool = False  # the source as a whole produced nothing usable (start page, layout)


@dataclass(frozen=True)
class SkippedPage:
    """A page in a release's URL shape that does not read as one ("about us"): recorded with its
    URL, never a failure, and remembered with its entry so an incremental crawl does not fetch it
    again until the entry changes."""

    source: str
    url: str
    reason: str
    identity: str
    fingerprint: str = ""


@dataclass(frozen=True)
class DatedValue:
    value: date
    provenance: str  # listing, label, meta, time, feed, dateline, body
    raw: str


@dataclass
class Release:
    """A normalized release, ready for dedup and storage."""

    source: str
    url: str
    canonical_url: str
    identity: str  # stable key: family:native-id[/lang] or the canonical URL
    title: str
    text: str
    summary: str
    lang: str
    published: DatedValue | None
    event: DatedValue | None
    dateline_place: str | None
    native_id: str | None = None
    facets: dict[str, list[str]] = field(default_factory=dict)
    captions: list[str] = field(default_factory=list)
    listing_only: bool = False
    syndication: bool = False  # from an aggregator that republishes others' releases
    content_hash: str = ""
    fetched_at: str = ""


@dataclass(frozen=True)
class Tag:
    """Why a release is about a topic, a country or an organisation."""

    kind: str  # topic, country, organisation
    value: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class RunCounts:
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    items: int = 0  # releases delivered to the store
    field_gaps: dict[str, int] = field(default_factory=dict)  # expected field -> releases without it

    @property
    def releases_seen(self) -> int:
        return self.new + self.updated + self.unchanged
