"""The OSCE spider's callbacks replayed on saved pages: listings, articles, feed, and bad input."""

from __future__ import annotations

from dataclasses import replace

import pytest
from scrapy.http import Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from monitor.crawling.fetched import FetchedPage, read_fetched
from monitor.records import CrawlProblem, RawRelease
from monitor.understanding.normalize.text import listing_fingerprint
from scrapers.spiders.osce import OsceSpider
from tests.conftest import make_response, spider_for

ASTANA_ROL = "/press-releases?filters=%20im_taxonomy_vid_1%3A%2836%29%20im_taxonomy_vid_3%3A%28129%29"


@pytest.fixture
def make_spider(monitor_home):
    def make(source: str = "osce_newsroom", **kwargs: str) -> OsceSpider:
        spider = spider_for(OsceSpider, source=source, **kwargs)
        return spider

    return make


def follow(spider: OsceSpider, request: Request, saved, host: str) -> list[object]:
    """Answer a request the spider made with the saved page for its path, through its callback."""
    target = request.url.split(host, 1)[1]
    body, content_type = saved.page(host, target)
    response = make_response(request.url, body, content_type, cb_kwargs=request.cb_kwargs)
    return list(request.callback(response, **request.cb_kwargs))


def test_listing_yields_one_request_per_release_and_the_next_page(make_spider, saved) -> None:
    spider = make_spider()
    output = list(spider.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0))
    articles = [r for r in output if r.callback == spider.parse_article]
    pages = [r for r in output if r.callback == spider.parse_listing]
    assert len(articles) == 7
    assert articles[0].url == "https://www.osce.org/programme-office-in-astana/582310"
    assert articles[0].cb_kwargs["entry"].dates == [("listing", "19 December 2024")]
    assert [p.url for p in pages] == [f"https://www.osce.org{ASTANA_ROL}&page=1"]
    assert pages[0].cb_kwargs == {"page": 1}


def test_article_merges_the_listing_entry(make_spider, saved) -> None:
    spider = make_spider()
    listing = list(spider.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0))
    (item,) = follow(spider, listing[0], saved, "www.osce.org")
    assert isinstance(item, RawRelease)
    assert item.native_id == "582310"
    assert ("listing", "19 December 2024") in item.dates and ("byline", "19 December 2024") in item.dates
    assert item.facets["what we do"] == ["Gender equality", "Rule of law"]
    assert item.teaser.startswith("On 6-7 December 2024")
    assert item.text.startswith("On 6-7 December 2024")
    assert item.listing_fingerprint


def test_incremental_walk_stops_at_a_page_with_nothing_unseen(make_spider, saved) -> None:
    spider = make_spider()
    first = list(spider.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0))
    spider.known = {
        f"osce:{r.cb_kwargs['entry'].native_id}": r.cb_kwargs["fingerprint"]
        for r in first
        if r.callback == spider.parse_article
    }
    again = list(spider.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0))
    assert again == []  # no article fetched, no next page
    assert spider.crawler.stats.get_value("monitor/unchanged") == 7


def test_changed_listing_entry_is_fetched_again(make_spider, saved) -> None:
    spider = make_spider()
    first = [
        r
        for r in spider.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0)
        if r.callback == spider.parse_article
    ]
    spider.known = {f"osce:{r.cb_kwargs['entry'].native_id}": r.cb_kwargs["fingerprint"] for r in first}
    spider.known["osce:581065"] = listing_fingerprint("an older title", [], "")
    again = list(spider.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0))
    assert [r.url.rsplit("/", 1)[1] for r in again if r.callback == spider.parse_article] == ["581065"]


def test_full_mode_fetches_everything_and_since_stops_at_the_date(make_spider, saved) -> None:
    full = make_spider(mode="full")
    full.known = {"osce:582310": "x"}
    assert len(list(full.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0))) == 8
    since = make_spider(since="2024-06-01")
    output = list(since.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0))
    assert [r.url.rsplit("/", 1)[1] for r in output] == ["582310", "581622", "581065", "575880"]  # no next page


def test_new_site_article_and_language_version(make_spider, saved) -> None:
    spider = make_spider("osce_astana")
    listing = list(spider.parse_listing(saved.response("astana.osce.org", "/ru/news"), page=0))  # its own listing
    by_id = {r.cb_kwargs["entry"].native_id: r for r in listing}
    (item,) = follow(spider, by_id["663410"], saved, "astana.osce.org")
    assert item.url == "https://astana.osce.org/ru/node/663410"
    assert item.lang == "ru"
    assert item.facets["issued by"] == ["Программный офис ОБСЕ в Астане"]
    assert spider.identity("663410", item.url) == "osce:663410/ru"


def test_feed_items_carry_full_text_and_node_ids(make_spider, saved) -> None:
    spider = make_spider("osce_feed")
    items = list(spider.parse_feed(saved.response("feeds.osce.org", "/OSCELatestNews")))
    assert [i.native_id for i in items] == ["661564", "665473", "666010", "587210"]
    assert items[0].dates == [("feed", "Tue, 23 Dec 2025 09:00:00 +0000")]
    assert "gender-sensitive investigation" in items[0].text


def test_a_page_that_shows_no_headline_takes_its_listing_entrys() -> None:
    from monitor.crawling.extract.listing import ListingEntry
    from monitor.settings.config import load_settings

    source = load_settings({}, config_path=None).source("pubt_osce")
    url = "https://www.pubt.io/view/8ffc9108b642069b603f5ede2f916903c8167fdb"
    body = "<p>The Secretary General called on all participating States to end violence against women.</p>" * 3
    html = f"<html><head><title>OSCE | Public</title></head><body><main>{body}</main></body></html>".encode()
    entry = ListingEntry(url, "8ffc9108", "Statement by the OSCE Secretary General", "", [("listing", "11/25/2024")])
    outcome = read_fetched(FetchedPage(url, html, "utf-8", "2026-12-01T00:00:00+00:00", entry), source)
    assert outcome.release.title == "Statement by the OSCE Secretary General"
    # a headline the page shows stands, whatever the listing calls it
    shown = html.replace(b"<main>", b"<main><h1>Secretary General's statement on 25 November</h1>")
    outcome = read_fetched(FetchedPage(url, shown, "utf-8", "2026-12-01T00:00:00+00:00", entry), source)
    assert outcome.release.title == "Secretary General's statement on 25 November"


SUMMARY_FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>OSCE</title>
<item><title>Judges trained</title><link>https://www.osce.org/programme-office-in-astana/581065</link>
<guid isPermaLink="false">581065 at https://www.osce.org</guid><pubDate>Thu, 21 Nov 2024 09:00:00 +0000</pubDate>
<description><![CDATA[Judges from all regions discussed the draft strategy in Astana today [&#8230;]]]></description></item>
<item><title>Elsewhere</title><link>https://example.org/news/581066</link><guid>581066 at https://www.osce.org</guid>
<description>Read elsewhere ...</description></item>
<item><title>Full text</title><link>https://www.osce.org/odihr/581067</link><guid>581067 at https://www.osce.org</guid>
<description>&lt;p&gt;The whole release, as the feed carries it.&lt;/p&gt;</description></item>
</channel></rss>"""


def test_a_feed_of_summaries_leads_to_the_articles_and_a_full_text_feed_is_read_as_it_is(make_spider) -> None:
    spider = make_spider("osce_feed")
    response = make_response("https://feeds.osce.org/OSCELatestNews", SUMMARY_FEED.encode(), "application/rss+xml")
    cut_short, elsewhere, whole = spider.parse_feed(response)
    # the item cut short ("[…]") is the entry of its article, with the feed's date and teaser
    assert isinstance(cut_short, Request) and cut_short.url == "https://www.osce.org/programme-office-in-astana/581065"
    entry = cut_short.cb_kwargs["entry"]
    assert (entry.native_id, entry.title, entry.dates) == ("581065", "Judges trained", [("feed", "Thu, 21 Nov 2024 09:00:00 +0000")])
    assert entry.teaser.endswith("in Astana today […]")
    # a host the source may not fetch keeps the item's own text; so does an item that is whole
    assert isinstance(elsewhere, RawRelease) and elsewhere.text == "Read elsewhere ..."
    assert isinstance(whole, RawRelease) and whole.text == "The whole release, as the feed carries it."


# --- bad input: each is recorded with the source and URL, and nothing usable is dropped ---------
def test_listing_that_lost_its_markers_fails_the_source(make_spider, fixture_page) -> None:
    spider = make_spider()
    url = "https://www.osce.org/press-releases"
    (problem,) = spider.parse_listing(make_response(url, fixture_page("listing_redesigned.html")), page=0)
    assert isinstance(problem, CrawlProblem)
    assert (problem.source, problem.url, problem.kind, problem.fatal_for_source) == (
        "osce_newsroom",
        url,
        "layout",
        True,
    )


def test_article_that_lost_its_markers_keeps_the_listing_entry(make_spider, saved, fixture_page) -> None:
    spider = make_spider()
    request = next(iter(spider.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0)))
    response = make_response(request.url, fixture_page("app_shell.html"), cb_kwargs=request.cb_kwargs)
    problem, kept = spider.parse_article(response, **request.cb_kwargs)
    assert problem.kind == "layout" and problem.url == request.url
    assert isinstance(kept, RawRelease)
    assert kept.title.startswith("Kazakhstan’s Women Judges") and kept.text == "" and kept.teaser
    assert kept.listing_fingerprint == ""  # so the next crawl tries the article again


def test_page_without_a_date_is_stored_and_reported(make_spider, fixture_page) -> None:
    spider = make_spider()
    url = "https://www.osce.org/programme-office-in-bishkek/600001"
    problem, item = spider.parse_article(make_response(url, fixture_page("no_date.html")))
    assert (problem.kind, problem.url) == ("missing-date", url)
    assert item.title == "OSCE trains mediators in Osh" and item.dates == []


def test_non_utf8_page_is_decoded_by_its_declared_charset(make_spider, fixture_page) -> None:
    spider = make_spider()
    url = "https://www.osce.org/ru/programme-office-in-astana/600002"
    body = fixture_page("cp1251.html")
    for content_type in ("text/html; charset=windows-1251", "text/html"):  # header, or only the meta tag
        (item,) = spider.parse_article(make_response(url, body, content_type))
        assert item.title == "Судьи Казахстана обсудили доступ к правосудию"
        assert ("byline", "5 марта 2025 г.") in item.dates


def test_with_a_store_worker_the_page_is_handed_over_unread_and_read_there_alike(make_spider, fixture_page) -> None:
    """The store pipeline sets pages_to_worker: the crawl hands the page's bytes over, and the
    worker's reading (read_fetched) decodes and reads them as the crawl would have."""
    spider = make_spider()
    url = "https://www.osce.org/ru/programme-office-in-astana/600002"
    response = make_response(url, fixture_page("cp1251.html"), "text/html")  # the charset only in the meta tag
    (inline,) = spider.parse_article(response)
    spider.pages_to_worker = True
    (page,) = spider.parse_article(response)
    assert isinstance(page, FetchedPage) and page.text == response.text
    (read,) = read_fetched(page, spider.source).items()
    assert replace(read, fetched_at="") == replace(inline, fetched_at="")


def test_a_source_that_follows_pdfs_reads_its_pages_in_the_crawl(monitor_home) -> None:
    from scrapers.spiders.base import ReleaseSpider

    lprc = spider_for(ReleaseSpider, source="lprc")
    lprc.pages_to_worker = True
    post = (
        b"<html><head><title>Forum concludes | LPRC</title></head><body><main><h1>Expert forum concludes</h1>"
        b"<p>ASTANA, 21 November 2024 - The ninth expert forum on criminal justice concluded today.</p>"
        b'<p><a href="/wp-content/uploads/2024/11/release.pdf">Press release</a></p></main></body></html>'
    )
    (request,) = lprc.parse_article(make_response("https://lprc.kz/en/news/forum-concludes/", post))
    assert request.url == "https://lprc.kz/wp-content/uploads/2024/11/release.pdf"  # the links need the page read
    assert request.cb_kwargs["stand_in"].title == "Expert forum concludes"


def test_malformed_html_is_parsed(make_spider, fixture_page) -> None:
    spider = make_spider()
    (item,) = spider.parse_article(make_response("https://www.osce.org/x/600003", fixture_page("malformed.html")))
    assert item.title.startswith("Court reform round table in Dushanbe")


@pytest.mark.parametrize("status", [404, 500])
def test_http_error_on_an_article_keeps_the_listing_entry(make_spider, saved, status: int) -> None:
    spider = make_spider()
    request = next(iter(spider.parse_listing(saved.response("www.osce.org", ASTANA_ROL), page=0)))
    response = make_response(request.url, b"<html>error</html>")
    response.status = status
    failure = Failure(HttpError(response, "Ignoring non-200 response"))
    failure.request = request
    problem, kept = spider.article_failed(failure)
    assert (problem.kind, problem.message, problem.url) == ("http", f"HTTP {status}", request.url)
    assert kept.native_id == "582310"


def test_feed_that_is_not_xml_fails_the_source(make_spider, fixture_page) -> None:
    spider = make_spider("osce_feed")
    url = "https://feeds.osce.org/OSCELatestNews"
    (problem,) = spider.parse_feed(make_response(url, fixture_page("not_a_feed.xml"), "application/rss+xml"))
    assert (problem.kind, problem.fatal_for_source) == ("feed", True)


def test_spider_refuses_a_source_of_another_family(make_spider) -> None:
    with pytest.raises(ValueError, match="source"):
        make_spider("")
