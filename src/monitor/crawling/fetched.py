"""An article page as a crawl fetched it, read into what the crawl hands on: the release (or its
listing entry standing in), the problems met, or a skip where the page does not read as one.

The crawl process hands its pages over to the store worker, which reads them on the machine's
other core: reading a page costs about as much as fetching it, and fetching is the crawl's
critical path. A source that follows its articles' PDFs has its pages read in the crawl, which
needs the links to fetch them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml.html import HtmlElement
from w3lib.encoding import html_to_unicode

from monitor.crawling.entries import entry_identity
from monitor.crawling.extract.article import UNSHOWN_TITLES, not_a_release
from monitor.crawling.extract.deadline import DocumentTimeout
from monitor.crawling.extract.listing import ListingEntry
from monitor.crawling.extract.page import raw_release, read_article
from monitor.records import CrawlProblem, RawRelease, SkippedPage
from monitor.settings.sources import Source
from monitor.understanding.normalize.release import LISTED_DATES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchedPage:
    """An HTML article page as fetched, and the listing entry that led to it. Its bytes only: the
    text is decoded where it is read, as Scrapy decodes it."""

    url: str
    body: bytes
    encoding: str
    fetched_at: str
    entry: ListingEntry | None = None
    fingerprint: str = ""
    listing_url: str | None = None

    @property
    def text(self) -> str:
        return html_to_unicode(f"charset={self.encoding}", self.body)[1]


@dataclass
class PageOutcome:
    problems: list[CrawlProblem] = field(default_factory=list)
    release: RawRelease | None = None  # the page's, or its listing entry's standing in
    skipped: SkippedPage | None = None  # a page in an ambiguous URL shape that does not read as a release
    pdf_url: str | None = None  # the PDF the page announces: the release, the page's own standing in

    def items(self) -> list[RawRelease | CrawlProblem | SkippedPage]:
        return [*self.problems, *filter(None, [self.skipped, self.release])]


def listing_only(source: Source, entry: ListingEntry, listing_url: str | None, fetched_at: str, fingerprint: str = "") -> RawRelease:
    """What the listing said. Kept when the article cannot be read, without a fingerprint, so
    the next crawl tries the article again; with one where the entry is the whole release."""
    return RawRelease(
        source=source.key, url=entry.url, title=entry.title, teaser=entry.teaser, dates=entry.dates,
        native_id=entry.native_id, facets=entry.facets, listing_url=listing_url, listing_fingerprint=fingerprint,
        fetched_at=fetched_at,
    )  # fmt: skip


def read_fetched(
    page: FetchedPage, source: Source, pdf_url_of: Callable[[HtmlElement, str], str | None] | None = None
) -> PageOutcome:
    """`pdf_url_of`: the PDF a page links that the crawl would fetch (sources that follow PDFs)."""
    outcome = PageOutcome()
    entry = page.entry

    def problem(kind: str, message: str) -> None:
        logger.warning("[%s] %s at %s: %s", source.key, kind, page.url, message)
        outcome.problems.append(CrawlProblem(source.key, page.url, kind, message))

    def stand_in() -> None:
        if entry is not None:
            outcome.release = listing_only(source, entry, page.listing_url, page.fetched_at)

    stated = bool(entry and any(provenance in LISTED_DATES for provenance, _ in entry.dates))
    try:
        read = read_article(page.text, page.url, source, page.body, page.encoding, dated_elsewhere=stated)
    except DocumentTimeout as exc:
        problem("limit", str(exc))
        stand_in()
        return outcome
    for note in read.cut:
        problem("limit", note)
    fields = read.fields
    if entry is not None and entry.candidate and (reason := not_a_release(fields)):
        identity = entry_identity(source, entry.native_id, entry.url)
        outcome.skipped = SkippedPage(source.key, page.url, reason, identity, page.fingerprint)
        return outcome
    title = fields.title or (entry.title if entry else "")
    if entry and fields.title_from in UNSHOWN_TITLES and entry.title and not entry.title.endswith(("…", "...")):
        title = entry.title  # the page shows no headline: the listing's, whole, is the one a reader saw
    pdf_url = pdf_url_of(read.tree, page.url) if pdf_url_of else None
    if not title or (not fields.paragraphs and not pdf_url):
        problem("layout", "no title or body text found on the article page")
        stand_in()
        return outcome
    dates = [*fields.dates, *(entry.dates if entry else [])]
    if not dates:
        problem("missing-date", "no publication date on the page or its listing entry")
    facets = dict(fields.facets)
    for key, values in (entry.facets if entry else {}).items():
        facets[key] = list(dict.fromkeys([*facets.get(key, []), *values]))
    outcome.release = raw_release(
        fields,
        source.key,
        page.url,
        title=title,
        dates=dates,
        native_id=source.native_id(page.url) or (entry.native_id if entry else None),
        teaser=entry.teaser if entry else "",
        facets=facets,
        listing_url=page.listing_url,
        listing_fingerprint=page.fingerprint,
        fetched_at=page.fetched_at,
    )
    outcome.pdf_url = pdf_url
    return outcome
