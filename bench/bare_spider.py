"""The baseline: a bare Scrapy spider that follows the same listing and article links as ours and
does nothing else (no extraction, no items, no storage)."""

import re

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start: str = "", pattern: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]
        self.pattern = re.compile(pattern)

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            path = href.split("?")[0]
            if self.pattern.search(path):
                yield response.follow(href, self.parse_article)
            elif "page=" in href and (
                "next" in href or response.css(f'a[href="{href}"][rel=next], li.pager-next a[href="{href}"]')
            ):
                yield response.follow(href, self.parse)

    def parse_article(self, response):
        return None
