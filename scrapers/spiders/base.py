"""A spider driven by a source entry of the config: it walks a listing, a feed or a sitemap,
follows the article links it finds by URL pattern (and, where the source says so, the PDF each
article links), and yields RawRelease items or CrawlProblems (or, beside a store worker, the
article pages for it to read). Any site can use it as the `generic` family; families with
shared ids (the OSCE) subclass it only to get their own name."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml.html import HtmlElement
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from monitor.crawling.entries import entry_fingerprint, entry_identity, read_entry_date, seen_entries
from monitor.crawling.extract.contained import extract_pdf_contained
from monitor.crawling.extract.deadline import DocumentTimeout, time_limit
from monitor.crawling.extract.feed import FeedError, parse_feed
from monitor.crawling.extract.html import read_page
from monitor.crawling.extract.listing import ListingEntry, next_page_url, pdf_links, source_entries
from monitor.crawling.extract.pdf import PdfError, looks_like_pdf, with_pdf
from monitor.crawling.fetched import FetchedPage, listing_only, read_fetched
from monitor.crawling.reach import on_ports
from monitor.records import CrawlProblem, RawRelease, SkippedPage
from monitor.settings.config import Settings, load_settings

Item = RawRelease | CrawlProblem | SkippedPage | Request
MODES = ("incremental", "full", "since")
SITEMAP_MAX_ARTICLES = 500  # newest first: a first crawl of a large sitemap stays bounded


class ReleaseSpider(scrapy.Spider):
    """Arguments: source=KEY (required), mode=incremental|full|since, since=YYYY-MM-DD, run_id=N,
    seen=PATH (the source's seen entries as JSON, written by `monitor crawl`; read from the
    database when absent)."""

    name = "generic"

    def __init__(
        self,
        source: str = "",
        mode: str = "incremental",
        since: str = "",
        run_id: str = "",
        seen: str = "",
        config: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.monitor_settings: Settings = load_settings(config_path=config or None)
        if not source:
            raise ValueError(f"spider {self.name!r} needs -a source=KEY")
        self.source = self.monitor_settings.source(source)
        if self.source.family != self.name:
            raise ValueError(f"source {source!r} belongs to spider {self.source.family!r}, not {self.name!r}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.source_key = source
        self.mode = "since" if since else mode
        self.since: date | None = date.fromisoformat(since) if since else None
        self.run_id = int(run_id) if run_id else 0
        self.seen_path = Path(seen) if seen else None
        self.allowed_domains = list(self.source.allowed_hosts)
        self.known: dict[str, str] = {}
        # set by the store pipeline: its worker reads the article pages, on the other core
        self.pages_to_worker = False
        # what is loaded by now (modules, settings) lives as long as the crawl: frozen, the garbage
        # collector's passes skip it, and the store worker forked later shares it (3 % of a crawl's
        # time on bench/crawl.py, six alternated runs each way)
        gc.freeze()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ReleaseSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # The source's page limit (PDFs ask for their own: pdf_bytes) and delay, where Scrapy reads
        # them, not as the spider attributes it deprecates; the settings are still open here.
        crawler.settings.set("DOWNLOAD_MAXSIZE", spider.source.limits.page_bytes, priority="spider")
        if spider.source.download_delay is not None:
            crawler.settings.set("DOWNLOAD_DELAY", spider.source.download_delay, priority="spider")
        # Scrapy logs every page and item at DEBUG, and its handler drops what is below LOG_LEVEL
        # only once the record is made; at its loggers' own level the records are not made at all.
        logging.getLogger("scrapy").setLevel(crawler.settings.get("LOG_LEVEL"))
        return spider

    async def start(self) -> AsyncIterator[Any]:
        self.known = self.seen_entries()
        callback = self.start_callback()
        # Start pages of an incremental crawl are asked for conditionally (a 304 means nothing
        # new); articles are only fetched when their entry changed, and a 304 there would hide one
        # never stored. A full or back-filling (since) crawl reads every listing.
        meta = {"conditional": True, "handle_httpstatus_list": [304]} if self.mode == "incremental" else {}
        for url in self.source.start_urls:
            yield Request(url, callback=callback, errback=self.start_failed, cb_kwargs={"page": 0}, meta=meta)

    def seen_entries(self) -> dict[str, str]:
        return seen_entries(self.monitor_settings, self.source.key, self.seen_path)

    def start_callback(self) -> Any:
        """How this source's start pages are read: its strategy in the sources file."""
        return {"feed": self.parse_feed, "sitemap": self.parse_sitemap}.get(self.source.kind, self.parse_listing)

    # --- helpers ------------------------------------------------------------------------------
    def problem(self, url: str, kind: str, message: str, fatal: bool = False) -> CrawlProblem:
        self.logger.warning("[%s] %s at %s: %s", self.source_key, kind, url, message)
        return CrawlProblem(self.source_key, url, kind, message, fatal_for_source=fatal)

    def identity(self, native_id: str, url: str) -> str:
        return entry_identity(self.source, native_id, url)

    def wanted(self, identity: str, fingerprint: str) -> bool:
        """Fetch what is unseen, or seen with a different listing entry; everything in a full crawl."""
        return self.mode == "full" or self.known.get(identity) != fingerprint

    @staticmethod
    def now() -> str:
        return datetime.now(UTC).isoformat(timespec="seconds")

    def on_own_port(self, url: str, page_url: str) -> bool:
        """A link is followed on the port of the page it is on or of a start URL: Scrapy's offsite
        filter reads the host alone, and another port of an allowed host is another server."""
        return on_ports(url, (page_url, *self.source.start_urls))

    def may_fetch(self, url: str, page_url: str) -> bool:
        """On an allowed host, and on the port of the page that links it or of a start URL."""
        host = urlsplit(url).hostname or ""
        return (not self.source.allowed_hosts or host in self.source.allowed_hosts) and self.on_own_port(url, page_url)

    def not_modified(self, response: Response) -> bool:
        """A 304 to a conditional request: the page is as it was, nothing to do."""
        if response.status != 304:
            return False
        self.crawler.stats.inc_value("monitor/unchanged")
        return True

    def follow_article(self, response: Response, entry: ListingEntry, fingerprint: str) -> Request:
        limits = self.source.limits
        return response.follow(
            entry.url,
            self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"entry": entry, "fingerprint": fingerprint, "listing_url": response.url},
            # an article may be the PDF itself (LPRC's uploads): it may be as large as a PDF may
            meta={"download_maxsize": limits.pdf_bytes if entry.url.lower().endswith(".pdf") else limits.page_bytes},
        )

    # --- listings -------------------------------------------------------------------------------
    def parse_listing(self, response: Response, page: int) -> Iterator[Item]:
        if self.not_modified(response):
            return
        if not hasattr(response, "text"):
            yield self.problem(response.url, "layout", "listing is not a text page", fatal=page == 0)
            return
        most = self.source.limits.links
        try:
            with time_limit(self.source.limits.document_seconds):
                tree, dropped = read_page(response.body, response.encoding, depth=self.source.limits.depth)
                entries, unfit_selector = source_entries(self.source, tree, response.url, most + 1)
        except DocumentTimeout as exc:
            yield self.problem(response.url, "limit", str(exc), fatal=page == 0)
            return
        if dropped:
            yield self.problem(response.url, "limit", dropped)
        if unfit_selector:  # a redesign, read by the URL shapes: said, so the selector is mended
            yield self.problem(
                response.url, "layout", f"the link selector {unfit_selector!r} finds no release; links taken by URL shape"
            )
        if len(entries) > most:
            yield self.problem(
                response.url, "limit", f"more than {most:,} release links, the first {most:,} taken (limit links)"
            )
            entries = entries[:most]
        if not entries:
            # The markers the walk relies on are gone: a redesign. Loud, and the source fails.
            yield self.problem(response.url, "layout", "no release links found on the listing page", fatal=page == 0)
            return
        unseen = 0
        oldest: date | None = None
        for entry in entries:
            fingerprint = entry_fingerprint(entry.title, entry.dates, entry.teaser)
            identity = self.identity(entry.native_id, entry.url)
            entry_date = next((d for _, v in entry.dates if (d := read_entry_date(v, self.source.date_order))), None)
            oldest = min(filter(None, [oldest, entry_date]), default=None)
            if self.since and entry_date and entry_date < self.since:
                continue
            if not self.wanted(identity, fingerprint):
                self.crawler.stats.inc_value("monitor/unchanged")
                continue
            unseen += identity not in self.known or self.known[identity] != fingerprint
            if self.source.follow_articles:
                yield self.follow_article(response, entry, fingerprint)
            else:  # the entry is all the source carries (an aggregator's teaser)
                yield self.listing_only(entry, response.url, fingerprint)
        next_url = next_page_url(tree, response.url, self.source.selectors.get("next"))
        if (
            next_url
            and self.on_own_port(next_url, response.url)
            and page + 1 < self.source.max_pages
            and self._walk_on(unseen, oldest)
        ):
            yield response.follow(next_url, self.parse_listing, errback=self.start_failed, cb_kwargs={"page": page + 1})

    def _walk_on(self, unseen: int, oldest: date | None) -> bool:
        if self.mode == "full":
            return True
        if self.mode == "since":
            return oldest is None or self.since is None or oldest >= self.since
        return unseen > 0  # incremental: a page with nothing new means the rest is known

    # --- articles -------------------------------------------------------------------------------
    def parse_article(
        self,
        response: Response,
        entry: ListingEntry | None = None,
        fingerprint: str = "",
        listing_url: str | None = None,
    ) -> Iterator[Item | FetchedPage]:
        if looks_like_pdf(response.body, response.headers.get("Content-Type", b"").decode("latin-1")):
            yield from self.parse_pdf(response, self.pdf_stand_in(response.url, entry, fingerprint, listing_url))
            return
        if not isinstance(response, TextResponse):
            yield self.problem(response.url, "layout", f"not an HTML page ({response.headers.get('Content-Type')!r})")
            if entry:
                yield self.listing_only(entry, listing_url)
            return
        page = FetchedPage(response.url, response.body, response.encoding, self.now(), entry, fingerprint, listing_url)
        if self.pages_to_worker and not self.source.follow_pdfs:
            yield page  # read by the store worker, on the other core
            return
        outcome = read_fetched(page, self.source, self.pdf_url if self.source.follow_pdfs else None)
        if outcome.pdf_url:
            # The page announces the release; the PDF it links is the release. The page's own
            # text stands in if the PDF cannot be read.
            yield from outcome.problems
            yield response.follow(
                outcome.pdf_url, self.parse_pdf, errback=self.pdf_failed, cb_kwargs={"stand_in": outcome.release},
                meta={"download_maxsize": self.source.limits.pdf_bytes},
            )  # fmt: skip
            return
        yield from outcome.items()

    def pdf_url(self, tree: HtmlElement, page_url: str) -> str | None:
        """The first PDF the page links on its own port: the release the page announces."""
        return next((url for url in pdf_links(tree, page_url) if self.on_own_port(url, page_url)), None)

    # --- PDF press releases ---------------------------------------------------------------------
    def parse_pdf(self, response: Response, stand_in: RawRelease) -> Iterator[Item]:
        """A PDF's text and date make the release; it keeps the identity of the page (or listing
        entry) that led to it, so an incremental crawl knows it next time."""
        try:
            document = extract_pdf_contained(
                response.body, self.source.drop_blocks, self.source.date_order, self.source.limits
            )
        except PdfError as exc:
            yield self.problem(response.url, "pdf", str(exc))
            yield from self.pdf_fallback(stand_in)
            return
        if not document.paragraphs:
            yield self.problem(response.url, "pdf", "the PDF has a text layer but no paragraphs after its header")
            yield from self.pdf_fallback(stand_in)
            return
        for note in document.notes:
            yield self.problem(response.url, "limit", note)
        yield with_pdf(stand_in, document, response.url, self.now())

    def pdf_stand_in(
        self, url: str, entry: ListingEntry | None, fingerprint: str, listing_url: str | None
    ) -> RawRelease:
        """A PDF reached straight from a listing, feed or sitemap: what that entry said."""
        if entry is not None:
            return self.listing_only(entry, listing_url, fingerprint)
        return RawRelease(source=self.source_key, url=url, native_id=self.source.native_id(url), fetched_at=self.now())

    @staticmethod
    def pdf_fallback(stand_in: RawRelease) -> Iterator[RawRelease]:
        """The PDF could not be read: keep what the page or entry said, without its fingerprint,
        so the next crawl tries the PDF again."""
        if stand_in.text or stand_in.teaser:
            yield replace(stand_in, listing_fingerprint="") if stand_in.listing_fingerprint else stand_in

    def pdf_failed(self, failure: Failure) -> Iterator[Item]:
        kind, message = self._describe(failure)
        yield self.problem(failure.request.url, kind, message)
        yield from self.pdf_fallback(failure.request.cb_kwargs["stand_in"])

    # --- sitemaps -------------------------------------------------------------------------------
    def parse_sitemap(self, response: Response, page: int = 0) -> Iterator[Item]:
        """A sitemap index leads to sitemaps; a sitemap's <url> entries matching the article
        pattern are articles, and their <lastmod> tells an incremental crawl what changed."""
        if self.not_modified(response):
            return
        try:
            sitemap = Sitemap(response.body)
        except (ValueError, SyntaxError) as exc:
            yield self.problem(response.url, "sitemap", f"not a sitemap: {exc}", fatal=page == 0)
            return
        entries = [dict(e) for e in sitemap]
        if sitemap.type == "sitemapindex":
            entries = [entry for entry in entries if self.on_own_port(entry["loc"], response.url)]
            for index, entry in enumerate(entries[: self.source.max_pages]):
                yield Request(
                    entry["loc"], self.parse_sitemap, errback=self.start_failed, cb_kwargs={"page": index + 1}
                )
            return
        found = []
        for item in entries:
            url = item.get("loc", "")
            native_id = self.source.native_id(url)
            candidate_id = None if native_id else self.source.candidate_id(url)
            if (native_id or candidate_id) and self.may_fetch(url, response.url):
                dates = [("sitemap", item["lastmod"])] if item.get("lastmod") else []
                found.append(
                    ListingEntry(url, native_id or candidate_id or "", "", dates=dates, candidate=not native_id)
                )
        if not found:
            yield self.problem(response.url, "layout", "the sitemap lists no release URLs", fatal=page == 0)
            return
        found.sort(key=lambda e: e.dates[0][1] if e.dates else "", reverse=True)
        for entry in found[:SITEMAP_MAX_ARTICLES]:
            entry_date = read_entry_date(entry.dates[0][1]) if entry.dates else None
            if self.since and entry_date and entry_date < self.since:
                continue
            fingerprint = entry_fingerprint("", entry.dates, "")
            if not self.wanted(self.identity(entry.native_id, entry.url), fingerprint):
                self.crawler.stats.inc_value("monitor/unchanged")
                continue
            yield self.follow_article(response, entry, fingerprint)

    def listing_only(self, entry: ListingEntry, listing_url: str | None, fingerprint: str = "") -> RawRelease:
        return listing_only(self.source, entry, listing_url, self.now(), fingerprint)

    # --- feeds ----------------------------------------------------------------------------------
    def parse_feed(self, response: Response, page: int = 0) -> Iterator[Item]:
        if self.not_modified(response):
            return
        try:
            items = parse_feed(response.body)
        except FeedError as exc:
            yield self.problem(response.url, "feed", str(exc), fatal=True)
            return
        if not items:
            yield self.problem(response.url, "layout", "the feed has no items", fatal=True)
            return
        if len(items) > (most := self.source.limits.links):
            yield self.problem(
                response.url, "limit", f"{len(items):,} feed items, the first {most:,} taken (limit links)"
            )
            items = items[:most]
        for item in items:
            native_id = item.guid if item.guid.isdigit() else self.source.native_id(item.link)
            fingerprint = entry_fingerprint(item.title, [("feed", item.published)], item.text[:500])
            if not self.wanted(self.identity(native_id or item.link, item.link), fingerprint):
                self.crawler.stats.inc_value("monitor/unchanged")
                continue
            if not item.link or not item.title:
                yield self.problem(response.url, "parse", f"feed item without link or title (guid {item.guid!r})")
                continue
            dates = [("feed", item.published)] if item.published else []
            facets = {"issued by": [item.author]} if item.author else {}
            if item.summary and self.source.follow_articles and self.may_fetch(item.link, response.url):
                # a feed set to give summaries: the release is the article page, the item its entry
                entry = ListingEntry(item.link, native_id or "", item.title, item.text, dates, facets)
                yield self.follow_article(response, entry, fingerprint)
                continue
            yield RawRelease(
                source=self.source_key,
                url=item.link,
                title=item.title,
                text=item.text,
                captions=item.captions,
                dates=dates,
                native_id=native_id,
                facets=facets,
                listing_url=response.url,
                listing_fingerprint=fingerprint,
                fetched_at=self.now(),
            )

    # --- failures -------------------------------------------------------------------------------
    def _describe(self, failure: Failure) -> tuple[str, str]:
        if failure.check(HttpError):
            status = failure.value.response.status
            if status == 403:  # bot protection, most often: say so, and do not retry harder
                return "blocked", "HTTP 403: refused, probably by bot protection"
            if 300 <= status < 400:
                location = failure.value.response.headers.get("Location", b"").decode("latin-1")
                return "redirect", f"HTTP {status}: redirected to another host, not followed: {location}"
            return "http", f"HTTP {status}"
        if "download max size" in failure.getErrorMessage():  # Scrapy's words when it cancels a download
            return "limit", f"larger than the download limit ({failure.getErrorMessage()[:200]})"
        if failure.check(IgnoreRequest):
            return "robots", f"not fetched: {failure.getErrorMessage() or 'disallowed by robots.txt'}"
        return "network", f"{failure.type.__name__}: {failure.getErrorMessage()}"

    def start_failed(self, failure: Failure) -> Iterator[Item]:
        kind, message = self._describe(failure)
        page = failure.request.cb_kwargs.get("page", 0)
        yield self.problem(failure.request.url, kind, message, fatal=page == 0)

    def article_failed(self, failure: Failure) -> Iterator[Item]:
        kind, message = self._describe(failure)
        yield self.problem(failure.request.url, kind, message)
        kwargs = failure.request.cb_kwargs
        if kwargs.get("entry") is not None:
            yield self.listing_only(kwargs["entry"], kwargs.get("listing_url"))
