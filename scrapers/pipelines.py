"""Thin adapters: normalize, tag and store each item through `monitor`, and record the run."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy.orm import Session

from monitor.classify import Tag, classify, load_taxonomy
from monitor.normalize import normalize_release
from monitor.records import CrawlProblem, RawRelease, Release
from monitor.runs import run_verdict
from monitor.store import RunCounts, Store

logger = logging.getLogger(__name__)
COMMIT_EVERY_ITEMS = 50
COMMIT_EVERY_SECONDS = 2.0


class StorePipeline:
    """Stores and commits in small batches: a killed crawl loses at most a batch, which the next
    run fetches again because it was never recorded as seen."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.session: Session | None = None
        self.pending = 0
        self.last_commit = time.monotonic()
        self.fatal: list[str] = []
        self.batch: list[tuple[Release, list[Tag], str]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    @property
    def spider(self) -> Any:
        return self.crawler.spider

    def open_spider(self) -> None:
        spider = self.spider
        self.settings = spider.monitor_settings
        self.source = spider.source
        self.store = Store.open(self.settings.database_url)
        self.store.sync_sources([self.source])
        self.taxonomy = load_taxonomy()
        self.run_id = spider.run_id or self.store.start_run(self.source.key, spider.mode, datetime.now(UTC))
        self.session = self.store.session()

    def process_item(self, item: Any) -> Any:
        assert self.session is not None
        now = datetime.now(UTC)
        stats = self.crawler.stats
        if isinstance(item, CrawlProblem):
            self.store.add_problem(self.session, self.run_id, item, now)
            if item.kind != "robots":
                stats.inc_value("monitor/errors")
            if item.fatal_for_source:
                self.fatal.append(f"{item.kind}: {item.message} ({item.url})")
            logger.warning("[%s] %s problem at %s: %s", item.source, item.kind, item.url, item.message)
        elif isinstance(item, RawRelease):
            release = normalize_release(item, self.source, self.settings.host_aliases, now.date())
            self.batch.append((release, classify(release, self.taxonomy), item.listing_fingerprint))
        self.pending += 1
        if self.pending >= COMMIT_EVERY_ITEMS or time.monotonic() - self.last_commit > COMMIT_EVERY_SECONDS:
            self._commit()
        return item

    def _counts(self) -> RunCounts:
        stats = self.crawler.stats
        return RunCounts(
            pages=stats.get_value("response_received_count", 0),
            new=stats.get_value("monitor/new", 0),
            updated=stats.get_value("monitor/updated", 0),
            unchanged=stats.get_value("monitor/unchanged", 0),
            errors=stats.get_value("monitor/errors", 0),
        )

    def _commit(self) -> None:
        assert self.session is not None
        if self.batch:
            for outcome in self.store.upsert_many(self.session, self.batch, datetime.now(UTC)):
                self.crawler.stats.inc_value(f"monitor/{outcome.value}")
            self.batch = []
        self.store.set_run_counts(self.session, self.run_id, self._counts())
        self.session.commit()
        self.pending = 0
        self.last_commit = time.monotonic()

    def close_spider(self) -> None:
        if self.session is None:
            return
        self._commit()
        self.session.close()
        reason = self.crawler.stats.get_value("finish_reason", "finished")
        status, message = run_verdict(self._counts(), self.fatal, reason)
        self.store.finish_run(self.run_id, status, message, datetime.now(UTC))
        self.store.engine.dispose()
