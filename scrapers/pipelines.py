"""A thin adapter: hands each item to the store worker and records the run's verdict."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler

from monitor.records import CrawlProblem, RawRelease
from monitor.runs import run_verdict
from monitor.store import Store
from monitor.store_worker import Progress, StoreWorker, run_counts

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 2.0


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.worker: StoreWorker | None = None
        self.fatal: list[str] = []
        self.last_progress = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider: Any = self.crawler.spider
        settings = spider.monitor_settings
        self.store = Store.open(settings.database_url)
        self.store.sync_sources([spider.source])
        self.run_id = spider.run_id or self.store.start_run(spider.source.key, spider.mode, datetime.now(UTC))
        self.worker = StoreWorker(settings, spider.source, self.run_id)

    def process_item(self, item: Any) -> Any:
        assert self.worker is not None
        if isinstance(item, CrawlProblem):
            if item.kind != "robots":
                self.crawler.stats.inc_value("monitor/errors")
            if item.fatal_for_source:
                self.fatal.append(f"{item.kind}: {item.message} ({item.url})")
            logger.warning("[%s] %s problem at %s: %s", item.source, item.kind, item.url, item.message)
            self.worker.put(item)
        elif isinstance(item, RawRelease):
            self.worker.put(item)
        if time.monotonic() - self.last_progress > PROGRESS_EVERY_SECONDS:
            self.worker.put(self._progress())
            self.last_progress = time.monotonic()
        return item

    def _progress(self) -> Progress:
        stats = self.crawler.stats
        return Progress(stats.get_value("response_received_count", 0), stats.get_value("monitor/errors", 0))

    def close_spider(self) -> None:
        if self.worker is None:
            return
        self.worker.put(self._progress())
        try:
            counts = self.worker.close()
        except RuntimeError as exc:  # what it had committed stays; the run says it failed
            logger.error("[%s] %s", self.crawler.spider.source_key, exc)
            self.fatal.append(str(exc))
            counts = {}
        stats = self.crawler.stats
        for outcome, number in counts.items():
            stats.inc_value(f"monitor/{outcome}", number)
        # Listings and 304s count releases the crawl skipped as unchanged; the worker counts the rest.
        counts = {**counts, "unchanged": stats.get_value("monitor/unchanged", 0)}
        totals = run_counts(counts, self._progress())
        with self.store.session() as session:
            self.store.set_run_counts(session, self.run_id, totals)
            session.commit()
        reason = stats.get_value("finish_reason", "finished")
        status, message = run_verdict(totals, self.fatal, reason)
        self.store.finish_run(self.run_id, status, message, datetime.now(UTC))
        self.store.engine.dispose()
