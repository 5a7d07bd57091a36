"""Every source's spider replayed over a small saved site written by hand in markup unlike the
demo mirror's (tests/fixtures/sites): other themes' class names, bodies split into sections,
related-content blocks, cookie banners, share bars, language listings, and the URL and date
shapes of ../shared/reference/sites.md §7. Each crawl starts from the source's own start URLs,
one listing per language it declares. What each release must read as is in expected.json, and
which pages in a release's URL shape are recorded as skipped."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from monitor.settings.config import load_settings
from tests.conftest import FIXTURES
from tests.scrapers.saved_sites import Crawl
from tests.scrapers.saved_sites import crawl as crawl_saved

SITES = FIXTURES / "sites"
EXPECTED: dict[str, dict[str, Any]] = json.loads((SITES / "expected.json").read_text(encoding="utf-8"))


def crawl(source: str) -> Crawl:
    return crawl_saved(source, SITES)


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
