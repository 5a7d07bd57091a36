"""The generic spider on each partner and aggregator site, replayed on the mirror's saved pages:
the start page (listing, sitemap or feed), an article, and a canary page that lost its markers.
Then the faults these sites are known for: bot protection, PDFs that cannot be read, a feed
that is not XML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from monitor.records import CrawlProblem, RawRelease, SkippedPage
from monitor.understanding.normalize import normalize_release
from scrapers.spiders.base import ReleaseSpider
from tests.conftest import make_response, spider_for

TODAY = date(2026, 11, 22)


@dataclass(frozen=True)
class Case:
    source: str
    host: str
    start: str
    title: str  # of the release the article request leads to
    published: str  # what the normalized release says, ISO
    provenance: str


CASES = [
    Case("eeas_kazakhstan", "www.eeas.europa.eu", "/eeas/press-material_en",
         "Kazakhstan: Annual Human Rights Dialogue with the European Union held in Brussels", "2025-06-12", "listing"),
    Case("lprc", "lprc.kz", "/en/news/",
         "Ninth Expert Forum on Criminal Justice for Central Asia Concludes in Astana", "2024-11-21", "pdf"),
    Case("unodc_roca", "www.unodc.org", "/roca/sitemap.xml",
         "UNODC trains prosecutors and judges of Central Asia on trafficking in persons cases", "2025-03-14", "dateline"),
    Case("undp_kazakhstan", "www.undp.org", "/kazakhstan/news",
         "UNDP and the Ministry of Justice expand free legal aid for women in rural areas of Kazakhstan", "2025-04-30",
         "selector"),
    Case("unwomen_eca", "eca.unwomen.org", "/en/news",
         "Women judges of Central Asia build a regional network for gender-sensitive justice", "2025-03-05", "label"),
    Case("pubt_osce", "www.pubt.io", "/publisher/osce",
         "Kazakhstan’s Women Judges Contribute to the 10th Annual Conference of the Kyrgyz Association of Women Judges",
         "2024-12-19", "listing"),
    Case("newscentralasia", "newscentralasia.net", "/feed/",
         "Regional Conference Promotes Women’s Participation in Law Enforcement in Central Asia", "2023-09-20", "feed"),
    Case("content_farm", "3.72.39.107", "/?cat=3",
         "International Round Table on Enhancing the Effectiveness of Kazakhstan’s Justice System", "2025-03-04", "meta"),
]  # fmt: skip


@pytest.fixture
def make_spider(monitor_home):
    def make(source: str, **kwargs: str) -> ReleaseSpider:
        spider = spider_for(ReleaseSpider, source=source, **kwargs)
        return spider

    return make


def answer(request: Request, saved) -> list[Any]:
    """Run a request's callback on the saved page for its URL."""
    parts = urlsplit(request.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    body, content_type = saved.page(parts.hostname, target)
    response = make_response(request.url, body, content_type, cb_kwargs=request.cb_kwargs)
    return list(request.callback(response, **request.cb_kwargs))


def crawl_saved(spider: ReleaseSpider, saved, host: str, start: str) -> tuple[list[RawRelease], list[CrawlProblem]]:
    """Follow every request from the start page through the saved site, as a crawl would."""
    pending: list[Any] = [Request(f"https://{host}{start}", callback=spider.start_callback(), cb_kwargs={"page": 0})]
    releases, problems = [], []
    while pending:
        output = answer(pending.pop(0), saved)
        pending += [o for o in output if isinstance(o, Request)]
        releases += [o for o in output if isinstance(o, RawRelease)]
        problems += [o for o in output if isinstance(o, CrawlProblem)]
    return releases, problems


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.source)
def test_each_partner_site_yields_its_releases_with_dates(case: Case, make_spider, saved) -> None:
    spider = make_spider(case.source)
    releases, problems = crawl_saved(spider, saved, case.host, case.start)
    assert problems == []
    raw = next(r for r in releases if r.title == case.title)
    release = normalize_release(raw, spider.source, {}, TODAY)
    assert release.published is not None
    assert (release.published.value.isoformat(), release.published.provenance) == (case.published, case.provenance)
    assert len(release.text) > 200
    assert release.syndication == spider.source.syndication


def test_aggregator_teasers_are_taken_from_the_listing_without_fetching_the_original(make_spider, saved) -> None:
    spider = make_spider("europavarietas")
    output = list(spider.parse_listing(saved.response("europavarietas.org", "/evnc/en/aggregator/sources/3"), page=0))
    (item,) = output
    assert isinstance(item, RawRelease) and item.native_id == "662120" and item.listing_fingerprint
    release = normalize_release(item, spider.source, {}, TODAY)
    assert release.syndication and release.published.value.isoformat() == "2026-01-28"  # DD/MM on /evnc/


def test_the_pdf_release_drops_contact_and_funding_blocks(make_spider, saved) -> None:
    releases, _ = crawl_saved(make_spider("lprc"), saved, "lprc.kz", "/en/news/")
    (pdf_release,) = [r for r in releases if "pdf" in r.facets]
    assert pdf_release.url == "https://lprc.kz/en/news/ninth-expert-forum-on-criminal-justice/"  # the post keeps the id
    assert pdf_release.text.startswith("European Union supported organisation of the Ninth Expert Forum")
    for boilerplate in ("info@lprc.kz", "Kosmonavtov", "economic and political union", "PRESS RELEASE"):
        assert boilerplate not in pdf_release.text


CANARIES = [
    # (source, host, start page): the same page with the release URLs the spider relies on changed
    ("unwomen_eca", "eca.unwomen.org", "/en/news", "/en/news/stories/", "/en/stories/"),
    ("pubt_osce", "www.pubt.io", "/publisher/osce", "/view/", "/v/"),
    ("lprc", "lprc.kz", "/en/news/", "news/", "aktualnosti/"),
]


@pytest.mark.parametrize(("source", "host", "start", "old", "new"), CANARIES, ids=[c[0] for c in CANARIES])
def test_a_listing_that_lost_its_markers_fails_the_source_loudly(make_spider, saved, source, host, start, old, new):
    spider = make_spider(source)
    body, content_type = saved.page(host, start)
    canary = make_response(f"https://{host}{start}", body.replace(old.encode(), new.encode()), content_type)
    (problem,) = list(spider.parse_listing(canary, page=0))
    assert isinstance(problem, CrawlProblem)
    assert (problem.kind, problem.fatal_for_source, problem.source) == ("layout", True, source)
    assert problem.url == f"https://{host}{start}"


RENAMED = [
    # (source, host, start page): the same page with the classes the source's link selector names renamed
    ("eeas_kazakhstan", "www.eeas.europa.eu", "/eeas/press-material_en", "card-title", "teaser-heading"),
    ("undp_kazakhstan", "www.undp.org", "/kazakhstan/news", "content-card", "tile"),
]


@pytest.mark.parametrize(("source", "host", "start", "old", "new"), RENAMED, ids=[c[0] for c in RENAMED])
def test_a_listing_whose_classes_were_renamed_is_read_by_url_shape_and_says_so(make_spider, saved, source, host, start, old, new):
    spider = make_spider(source)
    body, content_type = saved.page(host, start)
    as_it_was = list(spider.parse_listing(make_response(f"https://{host}{start}", body, content_type), page=0))
    renamed = make_response(f"https://{host}{start}", body.replace(old.encode(), new.encode()), content_type)
    problem, *requests = list(spider.parse_listing(renamed, page=0))
    assert isinstance(problem, CrawlProblem) and not problem.fatal_for_source
    assert (problem.kind, problem.source, problem.url) == ("layout", source, f"https://{host}{start}")
    assert spider.source.selectors["link"] in problem.message
    assert [r.url for r in requests] == [r.url for r in as_it_was]  # the same releases, the next page too


def test_a_sitemap_without_release_urls_and_a_feed_that_is_not_xml_fail_their_source(make_spider) -> None:
    sitemap = make_spider("unodc_roca")
    page = make_response(
        "https://www.unodc.org/roca/sitemap.xml", b"<html><body>Maintenance</body></html>", "text/html"
    )
    (problem,) = list(sitemap.parse_sitemap(page))
    assert problem.kind in ("sitemap", "layout") and problem.fatal_for_source
    feed = make_spider("newscentralasia")
    page = make_response(
        "https://newscentralasia.net/feed/", b"<html><body>Just a moment...</body></html>", "text/html"
    )
    (problem,) = list(feed.parse_feed(page))
    assert (problem.kind, problem.fatal_for_source) == ("feed", True)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"%PDF-1.7\n" + b"0" * 2000, "unreadable PDF"),  # truncated: a header and nothing a reader can use
        (b"<html><body>Please enable JavaScript</body></html>", "not a PDF"),
    ],
)
def test_an_unreadable_pdf_is_recorded_and_the_post_stands_in(make_spider, saved, body, message) -> None:
    spider = make_spider("lprc")
    listing = list(spider.parse_listing(saved.response("lprc.kz", "/en/news/"), page=0))
    post = next(r for r in listing if "ninth" in r.url)
    (pdf_request,) = answer(post, saved)
    response = make_response(pdf_request.url, body, "application/pdf", cb_kwargs=pdf_request.cb_kwargs)
    problem, stand_in = list(pdf_request.callback(response, **pdf_request.cb_kwargs))
    assert (problem.kind, problem.url, problem.source) == ("pdf", pdf_request.url, "lprc")
    assert message in problem.message
    assert stand_in.url == post.url and "available below" in stand_in.text


def test_a_pdfs_letterhead_and_place_line_are_neither_its_title_nor_its_text() -> None:
    from weasyprint import HTML

    from monitor.crawling.extract.pdf import extract_pdf

    body = "The Legal Policy Research Centre held a roundtable in Karaganda on legal aid for survivors of violence."
    pdf = HTML(string=f"""<body><p>lprc.kz | +7 727 250 00 00 | info@lprc.example.kz</p><p>PRESS RELEASE</p>
      <p>June 12, 2024</p><p>Karaganda roundtable discusses legal aid</p><p>Karaganda, Kazakhstan</p><p>{body}</p>
      <p>{body}</p></body>""").write_pdf()
    document = extract_pdf(pdf, date_order="MDY")
    assert document.title == "Karaganda roundtable discusses legal aid"
    assert document.paragraphs[0] == body
    assert ("pdf", "June 12, 2024") in document.dates


def test_a_pdfs_running_footer_that_numbers_its_pages_is_not_text() -> None:
    from weasyprint import HTML

    from monitor.crawling.extract.pdf import extract_pdf

    body = "The Legal Policy Research Centre held a round table in Astana on the jurisdiction of jury trials."
    pdf = HTML(string=f"""<body><p>PRESS RELEASE</p><p>April 18, 2024</p><p>Experts discuss jury trials</p>
      <p>{body}</p><p>{body}</p><p>Legal Policy Research Centre | Kabanbay Batyr Ave. 11/5, Astana | Page 1 of 1</p>
      </body>""").write_pdf()
    assert extract_pdf(pdf, date_order="MDY").paragraphs == [body, body]


def test_a_scanned_pdf_without_text_is_recorded(make_spider, saved) -> None:
    from weasyprint import HTML

    scan = HTML(string='<body><div style="width:15cm;height:20cm;background:#888"></div></body>').write_pdf()
    spider = make_spider("lprc")
    stand_in = RawRelease(source="lprc", url="https://lprc.kz/en/news/x/", title="X", text="Post text.")
    problem, kept = list(spider.parse_pdf(make_response("https://lprc.kz/x.pdf", scan, "application/pdf"), stand_in))
    assert problem.kind == "pdf" and "no text layer" in problem.message
    assert kept is stand_in


def test_bot_protection_is_recorded_as_blocked(make_spider) -> None:
    spider = make_spider("undp_kazakhstan")
    request = Request("https://www.undp.org/kazakhstan/press-releases/x", cb_kwargs={})
    response = Response(request.url, status=403, request=request)
    failure = Failure(HttpError(response))
    failure.request = request  # type: ignore[attr-defined]
    (problem,) = list(spider.article_failed(failure))
    assert (problem.kind, problem.url) == ("blocked", request.url)
    assert "bot protection" in problem.message


def test_an_aggregator_item_keeps_its_own_text_in_order_without_its_node_and_author_line(make_spider) -> None:
    """europavarietas /evnc/de/ (sites.md §7): a day-first byline with no publisher prefix, then
    "589080 Author", then the item's paragraphs; the second longer than the first."""
    spider = make_spider("europavarietas")
    body = b"""<html><body><div class="view-content">
      <div class="views-row"><h3><a href="https://bishkek.osce.org/news/programme-office-bishkek/589080">OSCE trains Kyrgyz judges on fair trial standards</a></h3>
        <div class="byline">Thu, 28/08/2025 - 07:51</div>
        <div class="author">589080 Zeljka Sulc</div>
        <p>Twenty judges of Chui region completed a course on fair trial standards in Bishkek.</p>
        <p>The course, organized with the Supreme Court of the Kyrgyz Republic, covered the presumption of innocence,
           the equality of arms and reasoned judgments, with practical exercises on anonymized case files.</p>
      </div></div></body></html>"""
    response = make_response("https://europavarietas.org/evnc/de/aggregator/sources/3", body)
    (item,) = [o for o in spider.parse_listing(response, page=0) if isinstance(o, RawRelease)]
    assert item.teaser.startswith("Twenty judges of Chui region") and "presumption of innocence" in item.teaser
    assert "589080" not in item.teaser and "Zeljka" not in item.teaser
    release = normalize_release(item, spider.source, {}, TODAY)
    assert release.published.value == date(2025, 8, 28)


UNODC = "https://www.unodc.org"
SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{UNODC}/centralasia/en/uzbekistan-probation-service-training.html</loc><lastmod>2026-05-16</lastmod></url>
  <url><loc>{UNODC}/centralasia/en/about-us.html</loc><lastmod>2026-01-10</lastmod></url>
  <url><loc>{UNODC}/centralasia/en/index.html</loc></url>
</urlset>""".encode()
RELEASE_PAGE = (
    b"<html><head><title>Probation officers of Uzbekistan trained | UNODC</title></head><body><main>"
    b"<h1>Probation officers of Uzbekistan trained on alternatives to imprisonment</h1>"
    b"<p>TASHKENT, 16 May 2026 - Forty probation officers from all regions of Uzbekistan completed a week of training "
    b"on non-custodial measures, organised by UNODC with the Ministry of Internal Affairs.</p>"
    b"<p>The course covered risk assessment, electronic monitoring and the rights of women on probation, following "
    b"the Tokyo and Bangkok Rules. Officers worked through cases drawn from district courts.</p>"
    b"<p>The training is part of a programme supporting the penitentiary reform adopted in 2025.</p>"
    b"</main></body></html>"
)
ABOUT_PAGE = (
    "<html><head><title>About us | UNODC Central Asia</title></head><body><main><h1>About us</h1>"
    + "<p>The UNODC Regional Office for Central Asia works with the governments of Kazakhstan, Kyrgyzstan, "
    "Tajikistan, Turkmenistan and Uzbekistan on drugs, crime, justice and terrorism prevention.</p>"
    * 4
    + "</main></body></html>"
).encode()


def test_a_page_in_an_ambiguous_url_shape_is_taken_only_when_it_reads_as_a_release(make_spider) -> None:
    spider = make_spider("unodc_roca")
    requests = list(spider.parse_sitemap(make_response(f"{UNODC}/roca/sitemap.xml", SITEMAP, "text/xml")))
    assert [r.cb_kwargs["entry"].candidate for r in requests] == [True, True]  # index.html is not a candidate
    pages = {"uzbekistan-probation-service-training": RELEASE_PAGE, "about-us": ABOUT_PAGE}
    out = {}
    for request in requests:
        body = pages[request.cb_kwargs["entry"].native_id]
        (out[request.url],) = request.callback(
            make_response(request.url, body, cb_kwargs=request.cb_kwargs), **request.cb_kwargs
        )
    release = out[f"{UNODC}/centralasia/en/uzbekistan-probation-service-training.html"]
    assert isinstance(release, RawRelease) and release.title.startswith("Probation officers of Uzbekistan")
    skipped = out[f"{UNODC}/centralasia/en/about-us.html"]
    assert isinstance(skipped, SkippedPage)
    assert (skipped.source, skipped.reason) == ("unodc_roca", "no publication date or dateline")
    assert skipped.identity == "unodc_roca:about-us" and skipped.fingerprint  # seen: not fetched again until it changes


AGGREGATOR_ITEMS = """<html><body><main><div class="view-content">
<article class="node"><h2><a href="https://www.osce.org/odihr/599990">ODIHR observers present preliminary findings on Moldova's elections</a></h2>
  <div class="submitted">OSCE - Tue, 07/10/2025 - 11:49</div>
  <div class="content"><p>599990 Public Affairs Unit, OSCE Office for Democratic Institutions and Human Rights Katya Andrusz</p>
  <p>CHISINAU, 6 October 2025 – Voters had a genuine choice, international observers said in Chisinau today.</p>
  <p>Turnout was high.</p>
  <p>The head of mission said: “Campaign rules must apply to everyone equally, and they did not.”</p>
  <p>Categories: Central Europe</p></div></article>
<article class="node"><h2><a href="https://astana.osce.org/news/programme-office-astana/589081">OSCE supports women judges of Kazakhstan at their annual meeting</a></h2>
  <div class="submitted">Wed, 03/09/2025 - 07:51</div>
  <div class="content"><p>589081 Željka Šulc</p>
  <p>Women judges from all regions of Kazakhstan met in Astana for their annual meeting with OSCE support.</p></div></article>
</div></main></body></html>""".encode()


def test_aggregator_bylines_read_day_first_with_or_without_the_publisher_and_keep_every_paragraph(make_spider) -> None:
    """europavarietas (sites.md §3, §7): 'OSCE - Tue, 07/10/2025' and 'Wed, 03/09/2025' are 7 October and
    3 September; the item's short lines and a quotation after a colon are its own text too."""
    spider = make_spider("europavarietas")
    response = make_response("https://europavarietas.org/evnc/de/aggregator/sources/3", AGGREGATOR_ITEMS)
    items = {o.native_id: o for o in spider.parse_listing(response, page=0) if isinstance(o, RawRelease)}
    published = {key: normalize_release(item, spider.source, {}, TODAY).published for key, item in items.items()}
    assert {key: value.value for key, value in published.items() if value} == {
        "599990": date(2025, 10, 7),
        "589081": date(2025, 9, 3),
    }
    assert items["599990"].teaser.split("\n\n") == [
        "CHISINAU, 6 October 2025 – Voters had a genuine choice, international observers said in Chisinau today.",
        "Turnout was high.",
        "The head of mission said: “Campaign rules must apply to everyone equally, and they did not.”",
    ]
    assert items["589081"].teaser == (
        "Women judges from all regions of Kazakhstan met in Astana for their annual meeting with OSCE support."
    )


def test_a_link_to_another_port_of_the_sources_host_is_not_followed(make_spider) -> None:
    """Another port of an allowed host is another server (a staging copy, an admin service): no
    sitemap, release, next page or PDF there is fetched."""
    sitemap = make_spider("unodc_roca")
    index = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{UNODC}:8443/roca/sitemap-admin.xml</loc></sitemap><sitemap><loc>{UNODC}/roca/sitemap-1.xml</loc></sitemap>
</sitemapindex>""".encode()
    requests = list(sitemap.parse_sitemap(make_response(f"{UNODC}/roca/sitemap.xml", index, "text/xml")))
    assert [r.url for r in requests] == [f"{UNODC}/roca/sitemap-1.xml"]
    urls = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://www.unodc.org:8081/roca/en/news/staged.html</loc></url><url><loc>{UNODC}/roca/en/news/trained.html</loc></url>
</urlset>""".encode()
    requests = list(sitemap.parse_sitemap(make_response(f"{UNODC}/roca/sitemap-1.xml", urls, "text/xml"), page=1))
    assert [r.url for r in requests] == [f"{UNODC}/roca/en/news/trained.html"]

    farm = make_spider("content_farm")
    listing = (
        b'<html><body><main><p><a href="/?p=12">International round table on the justice system</a></p>'
        b'<p><a href="http://3.72.39.107:8080/?p=13">Staged copy of the round table</a></p></main>'
        b'<a rel="next" href="http://3.72.39.107:8080/?cat=3&paged=2">Next</a></body></html>'
    )
    requests = list(farm.parse_listing(make_response("http://3.72.39.107/?cat=3", listing), page=0))
    assert [r.url for r in requests] == ["http://3.72.39.107/?p=12"]  # no next page on port 8080

    lprc = make_spider("lprc")
    post = (
        b"<html><head><title>Forum concludes | LPRC</title></head><body><main><h1>Expert forum concludes in Astana</h1>"
        b"<p>ASTANA, 21 November 2024 - The ninth expert forum on criminal justice for Central Asia concluded today "
        b"with recommendations on probation and legal aid.</p>"
        b'<p><a href="https://lprc.kz:8443/wp-content/uploads/2024/11/release.pdf">Press release</a></p></main></body></html>'
    )
    (item,) = list(lprc.parse_article(make_response("https://lprc.kz/en/news/forum-concludes/", post)))
    assert isinstance(item, RawRelease)  # the post itself, its PDF on another port not fetched
