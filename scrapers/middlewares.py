"""Crawl middlewares: a parse error becomes a recorded problem, Retry-After is obeyed, and
pages are asked for conditionally."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from monitor.crawling.reach import on_hosts, same_port
from monitor.records import CrawlProblem

logger = logging.getLogger(__name__)


class ProblemsMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProblemsMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> Iterable[Any]:
        spider = self.crawler.spider
        source = getattr(spider, "source_key", spider.name if spider else "?")
        spider.logger.error("[%s] cannot parse %s: %r", source, response.url, exception)
        return [CrawlProblem(source=source, url=response.url, kind="parse", message=repr(exception))]


class RetryAfterMiddleware:
    """A 429 or 503 carrying Retry-After slows the whole host down to what the server asked
    (capped) and tries the request again; without the header, Scrapy's retry handles it."""

    MAX_WAIT_SECONDS = 600.0
    MAX_TRIES = 3

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in (429, 503) or b"Retry-After" not in response.headers:
            return response
        tries = request.meta.get("retry_after_tries", 0)
        wait = retry_after_seconds(response.headers.get("Retry-After", b"").decode("latin-1"))
        if wait is None or tries >= self.MAX_TRIES:
            return response
        wait = min(wait, self.MAX_WAIT_SECONDS)
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        slot_key = request.meta.get("download_slot")
        if downloader is not None and slot_key in downloader.slots:
            slot = downloader.slots[slot_key]
            slot.delay = max(slot.delay, wait)
        self.crawler.stats.inc_value("monitor/retry_after")
        logger.info("%s answered %s: waiting %.0f s before the next request", request.url, response.status, wait)
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_tries"] = tries + 1
        return retry


def retry_after_seconds(value: str) -> float | None:
    """Retry-After is seconds or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class ConditionalRequestMiddleware:
    """For requests the spider marks `conditional` (start pages of an incremental crawl):
    remembers their ETag and Last-Modified and asks again with If-None-Match /
    If-Modified-Since, so an unchanged listing or feed costs the server a 304. Kept per source
    in a small SQLite file under the monitor's home."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._db: sqlite3.Connection | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.close, signal=signals.engine_stopped)  # after the store closed
        return middleware

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            spider: Any = self.crawler.spider
            path = Path(spider.monitor_settings.home) / "validators" / f"{spider.source_key}.sqlite"
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, modified TEXT)")
        return self._db

    def close(self) -> None:
        # Kept only after a crawl that ended on its own with every release stored and no page
        # failing: otherwise the next crawl's 304 would skip the listing, and with it the
        # entries this crawl lost (an article that failed, a crawl stopped or killed midway).
        if self._db is None:
            return
        stats = self.crawler.stats
        clean = stats.get_value("finish_reason") == "finished" and not stats.get_value("monitor/errors")
        if clean and stats.get_value("monitor/stored"):
            self._db.commit()
        self._db.close()

    def process_request(self, request: Request) -> None:
        if not request.meta.get("conditional"):
            return
        row = self.db.execute("SELECT etag, modified FROM validators WHERE url = ?", (request.url,)).fetchone()
        if row and row[0]:
            request.headers.setdefault("If-None-Match", row[0])
        if row and row[1]:
            request.headers.setdefault("If-Modified-Since", row[1])

    def process_response(self, request: Request, response: Response) -> Response:
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        if request.meta.get("conditional") and response.status == 200 and (etag or modified):
            self.db.execute(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?)",
                (request.url, etag and etag.decode("latin-1"), modified and modified.decode("latin-1")),
            )
        return response


class OffsiteRedirectMiddleware:
    """A redirect to a host the source does not own (a parked domain, a login wall, a CDN error
    page), to another port or to another scheme is not followed: the 3xx reaches the spider's
    errback and is recorded with its target. Scrapy would drop it silently."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteRedirectMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (301, 302, 303, 307, 308) or b"Location" not in response.headers:
            return response
        target = urlsplit(urljoin(request.url, response.headers["Location"].decode("latin-1")))
        allowed = getattr(self.crawler.spider, "allowed_domains", None) or []
        if same_port(urlsplit(request.url), target) and on_hosts(target.hostname or "", allowed):
            return response
        request.meta["dont_redirect"] = True  # RedirectMiddleware, next in line, leaves it alone
        return response
