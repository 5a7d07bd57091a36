"""A parse error on one page becomes a recorded problem; the crawl goes on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

from monitor.records import CrawlProblem


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
