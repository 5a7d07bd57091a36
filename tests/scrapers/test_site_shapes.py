"""Every source's spider replayed over a small saved site written by hand in markup unlike the
demo mirror's (tests/fixtures/sites): other themes' class names, bodies split into sections,
related-content blocks, cookie banners, share bars, language listings, and the URL and date
shapes of ../shared/reference/sites.md §7. Each crawl starts from the source's own start URLs,
one listing per language it declares. What each release must read as is in expected.json, and
which pages in a release's URL shape are recorded as skipped."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from monitor.records import CrawlProblem, RawRelease, Release, SkippedPage
from monitor.settings.config import load_settings
from monitor.understanding.normalize import normalize_release
from scrapers.spiders.base import ReleaseSpider
from scrapers.spiders.osce import OsceSpider
from tests.conftest import FIXTURES, SavedSite, make_response, spider_for

SITES = FIXTURES / "sites"
EXPECTED: dict[str, dict[str, Any]] = json.loads((SITES / "expected.json").read_text(encoding="utf-8"))
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
def crawl(source_key: str) -> Crawl:
    """Follow every request from the source's start URLs through its saved site, as a first
    crawl would, once per source; a URL asked for twice is fetched once, as Scrapy's duplicate
    filter does (a release linked from two language listings)."""
    settings = load_settings({}, config_path=None)
    spider_class = OsceSpider if settings.source(source_key).family == OsceSpider.name else ReleaseSpider
    spider = spider_for(spider_class, source=source_key)
    site = SavedSite(SITES)
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


def release_cases() -> list[Any]:
    cases = []
    for source, spec in EXPECTED.items():
        for expected in spec["releases"]:
            marks = [pytest.mark.xfail(reason=expected["xfail"], strict=False)] if expected.get("xfail") else []
            parts = urlsplit(expected["url"])
            name = f"{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}"[-48:]
            cases.append(pytest.param(source, expected, id=f"{source}:{name}", marks=marks))
    return cases


@pytest.fixture(autouse=True)
def _home(monitor_home) -> None:
    """The spider reads settings and seen entries: a fresh home, nothing from the caller."""


@pytest.mark.parametrize(("source", "expected"), release_cases())
def test_each_release_reads_as_the_page_shows_it(source: str, expected: dict[str, Any]) -> None:
    found = crawl(source).normalized.get(expected["url"])
    assert found is not None, f"no release from {expected['url']}; got {sorted(crawl(source).normalized)}"
    assert found.title == expected["title"]
    assert found.published is not None, "no publication date"
    assert found.published.value.isoformat() == expected["published"], found.published
    assert found.text.startswith(expected["text_start"]), found.text[:200]
    for phrase in expected.get("excluded", []):
        assert phrase not in found.text, f"{phrase!r} in the text"
    for phrase in expected.get("included", []):  # a body split into sections is read whole
        assert phrase in found.text, f"{phrase!r} missing from the text"
    assert found.lang == expected["lang"]
    if "native_id" in expected:
        assert found.native_id == expected["native_id"]


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_nothing_else_is_taken_and_nothing_goes_wrong(source: str) -> None:
    """No problem on a site the spider reads right, every page a release at most once, and the
    pages that are not releases (about us, listings) never taken for one."""
    result = crawl(source)
    assert [(p.kind, p.url, p.message) for p in result.problems] == []
    urls = [r.url for r in result.releases]
    assert len(urls) == len(set(urls)), urls
    expected_urls = {e["url"] for e in EXPECTED[source]["releases"] if not e.get("xfail")}
    assert expected_urls <= set(urls)
    assert not set(EXPECTED[source].get("not_releases", [])) & set(urls)
    # a page in a release's URL shape that does not read as one: skipped, with its URL, not a problem
    assert sorted(page.url for page in result.skipped) == sorted(EXPECTED[source].get("skipped", []))


def test_every_source_has_a_fixture_site() -> None:
    assert set(EXPECTED) == set(load_settings({}, config_path=None).sources)
