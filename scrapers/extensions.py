"""A crawl never outlives the process that started it: when a worker or scheduler is killed alone
(SIGKILL, the OOM killer), its crawl child notices it was orphaned and stops within seconds, rather
than crawling on beside the retry of its job on another worker."""

from __future__ import annotations

import logging
import os

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

logger = logging.getLogger(__name__)
CHECK_SECONDS = 2.0


class ParentWatch:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.parent = os.getppid()
        self.loop = task.LoopingCall(self.check)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParentWatch:
        watch = cls(crawler)
        crawler.signals.connect(watch.opened, signal=signals.spider_opened)
        crawler.signals.connect(watch.closed, signal=signals.spider_closed)
        return watch

    def opened(self) -> None:
        self.loop.start(CHECK_SECONDS, now=False)

    def closed(self) -> None:
        if self.loop.running:
            self.loop.stop()

    def check(self) -> None:
        if os.getppid() == self.parent:
            return
        logger.error("the process that started this crawl (pid %d) is gone: stopping the crawl", self.parent)
        self.loop.stop()
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="parent_gone"))
