"""A spider driven by a source entry of the config: it walks a listing or a feed, follows the
article links it finds by URL pattern, and yields RawRelease items (or CrawlProblems)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from monitor.config import Settings, load_settings
from monitor.extract.article import extract_article
from monitor.extract.feed import FeedError, parse_feed
from monitor.extract.html import parse_html
from monitor.extract.listing import ListingEntry, listing_entries, next_page_url
from monitor.normalize.dates import parse_date
from monitor.normalize.release import identity_key
from monitor.normalize.text import listing_fingerprint
from monitor.normalize.urls import language_prefix
from monitor.records import CrawlProblem, RawRelease
from monitor.store import Store

Item = RawRelease | CrawlProblem | Request
MODES = ("incremental", "full", "since")


class ReleaseSpider(scrapy.Spider):
    """Arguments: source=KEY (required), mode=incremental|full|since, since=YYYY-MM-DD, run_id=N."""

    name = "release"

    def __init__(
        self,
        source: str = "",
        mode: str = "incremental",
        since: str = "",
        run_id: str = "",
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
        self.allowed_domains = list(self.source.allowed_hosts)
        if self.source.download_delay is not None:
            self.download_delay = self.source.download_delay
        self.known: dict[str, str] = {}

    async def start(self) -> AsyncIterator[Any]:
        store = Store.open(self.monitor_settings.database_url)
        self.known = store.seen_entries(self.source.key)
        store.engine.dispose()
        callback = self.parse_feed if self.source.kind == "feed" else self.parse_listing
        for url in self.source.start_urls:
            yield Request(url, callback=callback, errback=self.start_failed, cb_kwargs={"page": 0})

    # --- helpers ------------------------------------------------------------------------------
    def problem(self, url: str, kind: str, message: str, fatal: bool = False) -> CrawlProblem:
        self.logger.warning("[%s] %s at %s: %s", self.source_key, kind, url, message)
        return CrawlProblem(self.source_key, url, kind, message, fatal_for_source=fatal)

    def identity(self, native_id: str, url: str) -> str:
        return identity_key(self.source, native_id, "", language_prefix(url))

    def wanted(self, identity: str, fingerprint: str) -> bool:
        """Fetch what is unseen, or seen with a different listing entry; everything in a full crawl."""
        return self.mode == "full" or self.known.get(identity) != fingerprint

    def native_id(self, url: str) -> str | None:
        match = self.source.article_url_re.search(urlsplit(url).path)
        return match.group(1) if match else None

    @staticmethod
    def now() -> str:
        return datetime.now(UTC).isoformat(timespec="seconds")

    # --- listings -------------------------------------------------------------------------------
    def parse_listing(self, response: Response, page: int) -> Iterator[Item]:
        if not hasattr(response, "text"):
            yield self.problem(response.url, "layout", "listing is not a text page", fatal=page == 0)
            return
        tree = parse_html(response.text)
        entries = listing_entries(tree, response.url, self.source.article_url_re, self.source.allowed_hosts)
        if not entries:
            # The markers the walk relies on are gone: a redesign. Loud, and the source fails.
            yield self.problem(response.url, "layout", "no release links found on the listing page", fatal=page == 0)
            return
        unseen = 0
        oldest: date | None = None
        for entry in entries:
            fingerprint = listing_fingerprint(entry.title, entry.dates, entry.teaser)
            identity = self.identity(entry.native_id, entry.url)
            entry_date = next((d for _, v in entry.dates if (d := parse_date(v, self.source.date_order))), None)
            oldest = min(filter(None, [oldest, entry_date]), default=None)
            if self.since and entry_date and entry_date < self.since:
                continue
            if not self.wanted(identity, fingerprint):
                self.crawler.stats.inc_value("monitor/unchanged")
                continue
            unseen += identity not in self.known or self.known[identity] != fingerprint
            yield response.follow(
                entry.url,
                self.parse_article,
                errback=self.article_failed,
                cb_kwargs={"entry": entry, "fingerprint": fingerprint, "listing_url": response.url},
            )
        next_url = next_page_url(tree, response.url)
        if next_url and page + 1 < self.source.max_pages and self._walk_on(unseen, oldest):
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
    ) -> Iterator[Item]:
        if not hasattr(response, "text"):
            yield self.problem(response.url, "layout", f"not an HTML page ({response.headers.get('Content-Type')!r})")
            if entry:
                yield self.listing_only(entry, fingerprint, listing_url)
            return
        fields = extract_article(parse_html(response.text), response.url, html=response.text)
        title = fields.title or (entry.title if entry else "")
        if not title or not fields.paragraphs:
            yield self.problem(response.url, "layout", "no title or body text found on the article page")
            if entry:
                yield self.listing_only(entry, fingerprint, listing_url)
            return
        dates = [*fields.dates, *(entry.dates if entry else [])]
        if not dates:
            yield self.problem(response.url, "missing-date", "no publication date on the page or its listing entry")
        facets = dict(fields.facets)
        for key, values in (entry.facets if entry else {}).items():
            facets[key] = list(dict.fromkeys([*facets.get(key, []), *values]))
        yield RawRelease(
            source=self.source_key,
            url=response.url,
            title=title,
            text=fields.text,
            dates=dates,
            canonical_url=fields.canonical_url,
            native_id=self.native_id(response.url) or (entry.native_id if entry else None),
            lang=fields.lang,
            teaser=entry.teaser if entry else "",
            facets=facets,
            captions=fields.captions,
            listing_url=listing_url,
            listing_fingerprint=fingerprint,
            fetched_at=self.now(),
        )

    def listing_only(self, entry: ListingEntry, fingerprint: str, listing_url: str | None) -> RawRelease:
        """What the listing said, kept when the article itself cannot be read. No fingerprint is
        recorded, so the next crawl tries the article again."""
        return RawRelease(
            source=self.source_key,
            url=entry.url,
            title=entry.title,
            teaser=entry.teaser,
            dates=entry.dates,
            native_id=entry.native_id,
            facets=entry.facets,
            listing_url=listing_url,
            fetched_at=self.now(),
        )

    # --- feeds ----------------------------------------------------------------------------------
    def parse_feed(self, response: Response, page: int = 0) -> Iterator[Item]:
        try:
            items = parse_feed(response.body)
        except FeedError as exc:
            yield self.problem(response.url, "feed", str(exc), fatal=True)
            return
        if not items:
            yield self.problem(response.url, "layout", "the feed has no items", fatal=True)
            return
        for item in items:
            native_id = item.guid if item.guid.isdigit() else self.native_id(item.link)
            fingerprint = listing_fingerprint(item.title, [("feed", item.published)], item.text[:500])
            if not self.wanted(self.identity(native_id or item.link, item.link), fingerprint):
                self.crawler.stats.inc_value("monitor/unchanged")
                continue
            if not item.link or not item.title:
                yield self.problem(response.url, "parse", f"feed item without link or title (guid {item.guid!r})")
                continue
            yield RawRelease(
                source=self.source_key,
                url=item.link,
                title=item.title,
                text=item.text,
                dates=[("feed", item.published)] if item.published else [],
                native_id=native_id,
                facets={"issued by": [item.author]} if item.author else {},
                listing_url=response.url,
                listing_fingerprint=fingerprint,
                fetched_at=self.now(),
            )

    # --- failures -------------------------------------------------------------------------------
    def _describe(self, failure: Failure) -> tuple[str, str]:
        if failure.check(HttpError):
            status = failure.value.response.status
            return "http", f"HTTP {status}"
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
            yield self.listing_only(kwargs["entry"], kwargs.get("fingerprint", ""), kwargs.get("listing_url"))
