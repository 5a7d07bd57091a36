"""Hostile pages, listings and feeds through the spider's real callbacks (each in a child under
an address-space limit), and oversized downloads through a real crawl of a local mirror: time
and memory stay bounded, the problem is recorded with its source, URL and limit, and what the
listing said about a page is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import Request

from monitor.crawling.extract.html import read_page, thinned
from monitor.crawling.extract.listing import ListingEntry
from monitor.demo.mirror import serve
from monitor.demo.site import SiteWriter
from monitor.records import CrawlProblem, RawRelease
from monitor.settings.config import load_settings
from monitor.storage.store import Store
from scrapers.spiders.base import ReleaseSpider
from tests.conftest import make_response, spider_for
from tests.hostile import documents
from tests.hostile.limited import bounded
from tests.integration.crawling import cli_env, monitor_cli, undp_config, undp_listing

ARTICLE = "https://www.undp.org/kazakhstan/press-releases/hostile"
ENTRY = ListingEntry(
    url=ARTICLE, native_id="hostile", title="A release the listing announced", dates=[("listing", "April 30, 2025")]
)


@pytest.fixture
def undp(monitor_home: Path) -> ReleaseSpider:
    spider = spider_for(ReleaseSpider, source="undp_kazakhstan")
    return spider


def summary(output: list[object]) -> dict[str, object]:
    problems = [(o.kind, o.message) for o in output if isinstance(o, CrawlProblem)]
    releases = [o for o in output if isinstance(o, RawRelease)]
    return {
        "problems": problems,
        "requests": sum(isinstance(o, Request) for o in output),
        "releases": [(r.title, len(r.text), [d[1][:40] for d in r.dates]) for r in releases],
    }


def article(spider: ReleaseSpider, body: bytes) -> dict[str, object]:
    response = make_response(ARTICLE, body, cb_kwargs={"entry": ENTRY, "fingerprint": "f", "listing_url": None})
    return summary(list(spider.parse_article(response, ENTRY, "f", None)))


def test_nested_date_widgets_around_megabytes_of_text_are_read_in_linear_time(undp: ReleaseSpider) -> None:
    outcome = bounded(lambda: article(undp, documents.nested_meta_page(depth=150, megabytes=2)))
    assert outcome.seconds < 30  # 48 s before a byline candidate's text was bounded
    ((_, length, _),) = outcome.value["releases"]
    assert length <= 200_000
    assert any(kind == "limit" and "(limit text_chars)" in message for kind, message in outcome.value["problems"])


def test_a_tag_of_two_hundred_thousand_attributes_is_read_without_them(undp: ReleaseSpider) -> None:
    outcome = bounded(lambda: article(undp, documents.crowded_tag_page(attributes=200_000)))
    assert outcome.seconds < 10  # 40 s in libxml2 alone, where no timer reaches, before
    ((title, length, _),) = outcome.value["releases"]
    assert title == "Judges trained" and length > 600  # the crowded paragraph's text is kept
    messages = [message for _, message in outcome.value["problems"]]
    assert "1 tag(s) of over 10,000 attributes: their attributes dropped" in messages


def test_markup_nested_past_the_depth_limit_is_dropped_and_reported(undp: ReleaseSpider) -> None:
    outcome = bounded(lambda: article(undp, documents.nested_meta_page(depth=300, megabytes=1)))
    messages = [message for _, message in outcome.value["problems"]]
    assert "markup nested deeper than 256 levels: the rest of the page dropped (limit depth)" in messages
    # what the tree lost, the text fallback may still read: bounded by the text limit all the same
    ((_, length, _),) = outcome.value["releases"]
    assert length <= 200_000


def test_a_nine_megabyte_date_is_read_only_as_far_as_a_date_can_reach(undp: ReleaseSpider) -> None:
    outcome = bounded(lambda: article(undp, documents.huge_date_page(megabytes=9)), megabytes=2048)
    assert outcome.seconds < 30  # 256 s before, in the date parser alone
    ((_, _, dates),) = outcome.value["releases"]
    assert all(len(d) <= 40 for d in dates)


def test_a_title_of_twenty_thousand_pieces_and_nested_lead_blocks_are_read_in_linear_time(undp: ReleaseSpider) -> None:
    outcome = bounded(lambda: article(undp, documents.separated_title_and_nested_leads()))
    # before the title pieces and lead blocks were bounded, the page ran into its 20 s deadline
    # and only the listing's title was kept
    assert outcome.seconds < 30
    ((title, length, _),) = outcome.value["releases"]
    assert title == "Judges" and length > 100_000


def test_a_listing_of_a_hundred_thousand_links_yields_only_the_link_limit(undp: ReleaseSpider) -> None:
    body = documents.link_listing(100_000)
    response = make_response("https://www.undp.org/kazakhstan/news", body)
    outcome = bounded(lambda: summary(list(undp.parse_listing(response, page=0))))
    assert outcome.value["requests"] == 2_000
    assert ("limit", "more than 2,000 release links, the first 2,000 taken (limit links)") in outcome.value["problems"]
    assert outcome.seconds < 30  # the entries past the limit are never read


def test_a_feed_of_two_hundred_thousand_items_yields_only_the_link_limit(monitor_home: Path) -> None:
    spider = spider_for(ReleaseSpider, source="newscentralasia")
    response = make_response("https://newscentralasia.net/feed/", documents.atom_feed(200_000), "application/atom+xml")
    outcome = bounded(lambda: summary(list(spider.parse_feed(response))), megabytes=2048)
    assert outcome.value["requests"] + len(outcome.value["releases"]) <= 2_000
    assert ("limit", "200,000 feed items, the first 2,000 taken (limit links)") in outcome.value["problems"]


def test_oversized_pages_are_refused_at_download_and_the_crawl_goes_on(tmp_path: Path, monitor_home: Path) -> None:
    writer = SiteWriter()
    writer.add("www.undp.org", "/kazakhstan/news", undp_listing("huge", "fine"))
    writer.add("www.undp.org", "/kazakhstan/press-releases/huge", "<p>" + "x" * 3_000_000 + "</p>")
    fine = (Path(__file__).parents[1] / "fixtures" / "pages" / "no_date.html").read_text()
    writer.add("www.undp.org", "/kazakhstan/press-releases/fine", fine)
    site = writer.write(tmp_path / "site")
    with serve(site) as mirror:
        config = undp_config(tmp_path / "undp.toml", mirror, "limits = { page_bytes = 1_000_000 }\n")
        home = tmp_path / "home"
        result = monitor_cli("crawl", "undp_kazakhstan", home=home, config=config)
    assert "undp_kazakhstan  partial" in result.stdout, result.stdout + result.stderr
    store = Store.open(load_settings(cli_env(home), config_path=config).database_url)
    (run,) = store.runs_of("undp_kazakhstan")
    problems = {(p.kind, p.url.rsplit("/", 1)[-1]) for p in store.run(run.id).problems}
    assert ("limit", "huge") in problems, problems
    kept = {r.url.rsplit("/", 1)[-1]: r.listing_only for r in store.releases()}
    assert kept == {"huge": True, "fine": False}  # the listing's word for the huge page, the other in full


def test_a_page_of_mixed_encodings_is_read_and_its_good_text_kept(undp: ReleaseSpider) -> None:
    body = (
        "<html><head><meta charset='utf-8'><title>Mixed</title></head><body><article><h1>Судебная реформа</h1>".encode()
        + "<p>The court said “legal aid” matters ".encode()
        + "“for everyone” in rural areas of Kazakhstan and beyond, as judges agreed.".encode("windows-1252")
        + b"</p><p>"
        + "Судьи обсудили реформу".encode("cp1251")
        + " — and the Supreme Court of Kazakhstan published its decision on free legal aid.</p></article></body></html>".encode()
    )
    ((title, length, _),) = article(undp, body)["releases"]
    text = next(
        o.text for o in undp.parse_article(make_response(ARTICLE, body), ENTRY, "f", None) if isinstance(o, RawRelease)
    )
    assert title == "Судебная реформа"
    assert "“for everyone”" in text  # Windows-1252 quotes inside UTF-8, mended
    assert "published its decision on free legal aid" in text and length > 100


def test_a_page_whose_reading_takes_longer_than_its_limit_is_given_up_and_the_entry_stands_in(
    monitor_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "limits.toml"
    config.write_text("[sources.undp_kazakhstan.limits]\ndocument_seconds = 0.3\n", encoding="utf-8")
    monkeypatch.setenv("MONITOR_CONFIG", str(config))
    spider = spider_for(ReleaseSpider, source="undp_kazakhstan")
    # a paragraph too short for a body: the megabytes beside it are read with trafilatura, for seconds
    page = documents.nested_meta_page(depth=150, megabytes=2).replace(b"<body>", b"<body><p>Judges met.</p>", 1)
    outcome = bounded(lambda: article(spider, page))
    assert ("limit", "reading it took more than 0.3 s (limit document_seconds)") in outcome.value["problems"]
    assert outcome.value["releases"] == [("A release the listing announced", 0, ["April 30, 2025"])]
    assert outcome.seconds < 10


def test_a_sources_page_limit_and_delay_are_the_crawls_own(
    monitor_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "limits.toml"
    config.write_text("[sources.undp_kazakhstan]\ndownload_delay = 2.5\nlimits = { page_bytes = 123_456 }\n")
    monkeypatch.setenv("MONITOR_CONFIG", str(config))
    settings = spider_for(ReleaseSpider, source="undp_kazakhstan").crawler.settings
    assert settings.frozen  # set before the crawl applies its settings, as `scrapy crawl` does
    assert settings.getint("DOWNLOAD_MAXSIZE") == 123_456 and settings.getfloat("DOWNLOAD_DELAY") == 2.5


@pytest.mark.parametrize(
    "crowd",
    [
        'z=">" ' + " ".join(f"a{i}" for i in range(60_000)),  # a '>' in quotes does not end the tag
        "".join(f'a{i}="1"' for i in range(60_000)),  # no space after a quoted value
        "/".join(f"a{i}" for i in range(60_000)),  # names parted by slashes
    ],
)
def test_a_crowded_tag_is_thinned_however_its_attributes_are_written(crowd: str) -> None:
    text = "Judges were trained. " * 30
    page = f"<html><body><h1>Judges</h1><p {crowd}>{text}</p></body></html>"
    tree, dropped = read_page(page)
    assert dropped == "1 tag(s) of over 10,000 attributes: their attributes dropped"
    assert text.strip() in " ".join(tree.text_content().split())
    assert not thinned("<p>x</p><" + "a" * 260_000)[1]  # a tag that never closes: searched in linear time


def test_a_page_past_two_limits_names_both() -> None:
    crowd = " ".join(f"a{i}" for i in range(60_000))
    nested = "<div>" * 50 + "deep" + "</div>" * 50
    tree, dropped = read_page(
        f"<html><body><h1>Judges</h1><p {crowd}>Judges were trained.</p>{nested}</body></html>", depth=20
    )
    assert dropped == (
        "1 tag(s) of over 10,000 attributes: their attributes dropped; "
        "markup nested deeper than 20 levels dropped (limit depth)"
    )
    assert "Judges were trained." in tree.text_content() and "deep" not in tree.text_content()
