"""A thin adapter: hands each item to the store worker, and at the end what the run's verdict
needs. The crawl process never opens the database (see store_worker)."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from monitor.crawling.entries import prepare_database
from monitor.crawling.fetched import FetchedPage
from monitor.crawling.store_worker import BUNDLE_SECONDS, Finish, Progress, StoreWorker
from monitor.records import CrawlProblem, RawRelease, SkippedPage

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 2.0


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.worker: StoreWorker | None = None
        self.fatal: list[str] = []
        self.last_progress = 0.0
        # a slow (polite) crawl's last items go to the worker without waiting for the next ones
        self.hand_over_loop = LoopingCall(self._hand_over)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        # closed on spider_closed, the one place Scrapy tells why the crawl ended (its stats get
        # the reason only after the pipelines' close_spider)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider: Any = self.crawler.spider
        if not spider.run_id:  # run by hand: migrate once here, not in the worker and the spider at once
            prepare_database(spider.monitor_settings)
        self.worker = StoreWorker(spider.monitor_settings, spider.source, spider.run_id, spider.mode)
        spider.pages_to_worker = True
        self.hand_over_loop.start(BUNDLE_SECONDS, now=False)

    def process_item(self, item: Any) -> Any:
        if self.worker is None:  # it died (see _put): the crawl is being stopped
            return item
        if isinstance(item, CrawlProblem):
            if item.kind != "robots":
                self.crawler.stats.inc_value("monitor/errors")
            if item.fatal_for_source:
                self.fatal.append(f"{item.kind}: {item.message} ({item.url})")
            logger.warning("[%s] %s problem at %s: %s", item.source, item.kind, item.url, item.message)
            self._put(item)
        elif isinstance(item, SkippedPage):  # recorded, not a problem of the source
            self.crawler.stats.inc_value("monitor/skipped")
            logger.info("[%s] not a release, skipped: %s (%s)", item.source, item.url, item.reason)
            self._put(item)
        elif isinstance(item, RawRelease | FetchedPage):
            self._put(item)
        if time.monotonic() - self.last_progress > PROGRESS_EVERY_SECONDS:
            self._put(self._progress())
            self.last_progress = time.monotonic()
        return item

    def _put(self, message: Any) -> None:
        if self.worker is not None:
            self._to_worker(self.worker.put, message)

    def _hand_over(self) -> None:
        if self.worker is not None:
            self._to_worker(self.worker.hand_over)

    def _to_worker(self, call: Any, *message: Any) -> None:
        try:
            call(*message)
        except RuntimeError as exc:  # what it committed stays; fetching more would store nothing
            logger.error("[%s] %s: stopping the crawl", self.crawler.spider.source_key, exc)
            self.worker = None
            self.fatal.append(str(exc))
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_worker_died"))

    def _progress(self) -> Progress:
        stats = self.crawler.stats
        return Progress(stats.get_value("response_received_count", 0), stats.get_value("monitor/errors", 0))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.hand_over_loop.running:
            self.hand_over_loop.stop()
        if self.worker is None:
            return
        worker, self.worker = self.worker, None
        stats = self.crawler.stats
        finish = Finish(self._progress(), stats.get_value("monitor/unchanged", 0), self.fatal, reason)
        try:
            counts = worker.close(finish)
        except RuntimeError as exc:  # what it had committed stays; the parent closes the run as failed
            logger.error("[%s] %s", spider.source_key, exc)
            return
        for outcome, number in counts.items():
            stats.inc_value(f"monitor/{outcome}", number)
        stats.set_value("monitor/stored", True)
