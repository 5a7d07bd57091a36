"""A first crawl of one source replayed over saved sites (a folder per host, each with its
routes.json), request by request through the spider's own callbacks, with no network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from monitor.records import CrawlProblem, RawRelease, Release, SkippedPage
from monitor.settings.config import load_settings
from monitor.understanding.normalize import normalize_release
from scrapers.spiders.base import ReleaseSpider
from scrapers.spiders.osce import OsceSpider
from tests.conftest import SavedSite, make_response, spider_for

TODAY = date(2026, 12, 1)
NOT_FOUND = b"<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>"


@dataclass
class Crawl:
    releases: list[RawRelease]
    problems: list[CrawlProblem]
    skipped: list[SkippedPage]
    normalized: dict[str, Release]  # by URL


def answer(request: Request, site: SavedSite) -> list[Any]:
    """The request's callback on its saved page; a page the site does not hold is a 404, as a
    server would answer, so a link followed by mistake shows up as a problem."""
    parts = urlsplit(request.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        body, content_type = site.page(parts.hostname or "", target)
    except (KeyError, FileNotFoundError):
        response: Response = make_response(request.url, NOT_FOUND, "text/html", cb_kwargs=request.cb_kwargs)
        response.status = 404
        failure = Failure(HttpError(response, "Ignoring non-200 response"))
        failure.request = request  # type: ignore[attr-defined]
        return list(request.errback(failure)) if request.errback else []
    response = make_response(request.url, body, content_type, cb_kwargs=request.cb_kwargs)
    return list(request.callback(response, **request.cb_kwargs))


@cache
def crawl(source_key: str, sites: Path) -> Crawl:
    """Follow every request from the source's start URLs through the saved sites, as a first
    crawl would, once per source; a URL asked for twice is fetched once, as Scrapy's duplicate
    filter does (a release linked from two language listings)."""
    settings = load_settings({}, config_path=None)
    spider_class = OsceSpider if settings.source(source_key).family == OsceSpider.name else ReleaseSpider
    spider = spider_for(spider_class, source=source_key)
    site = SavedSite(sites)
    pending: list[Request] = [
        Request(url, callback=spider.start_callback(), errback=spider.start_failed, cb_kwargs={"page": 0})
        for url in spider.source.start_urls
    ]
    asked: set[str] = set()
    releases: list[RawRelease] = []
    problems: list[CrawlProblem] = []
    skipped: list[SkippedPage] = []
    while pending:
        request = pending.pop(0)
        if request.url in asked:
            continue
        asked.add(request.url)
        for output in answer(request, site):
            if isinstance(output, Request):
                pending.append(output)
            elif isinstance(output, RawRelease):
                releases.append(output)
            elif isinstance(output, CrawlProblem):
                problems.append(output)
            elif isinstance(output, SkippedPage):
                skipped.append(output)
    normalized = {r.url: normalize_release(r, spider.source, {}, TODAY) for r in releases}
    return Crawl(releases, problems, skipped, normalized)
