"""Page readers against the mirror's pages of both OSCE generations and the feed."""

import json
import re
from dataclasses import replace
from datetime import date

import pytest

from monitor.crawling.check import CheckReport, first_article, link_rules
from monitor.crawling.extract.article import extract_article, not_a_release
from monitor.crawling.extract.feed import FeedError, parse_feed
from monitor.crawling.extract.html import block_lines, parse_html, text_of
from monitor.crawling.extract.listing import listing_entries, next_page_url, source_entries
from monitor.records import RawRelease
from monitor.settings.sources import Source
from monitor.understanding.normalize import normalize_release
from monitor.understanding.normalize.dates import parse_date

ASTANA_ROL = "/press-releases?filters=%20im_taxonomy_vid_1%3A%2836%29%20im_taxonomy_vid_3%3A%28129%29"
LEGACY_PATTERN = re.compile(r"^/(?:[a-z]{2}/)?(?:[a-z0-9-]+/){1,2}(\d{5,})/?$")
NEW_PATTERN = re.compile(r"^/(?:[a-z]{2}/)?(?:news/[a-z0-9-]+|node)/(\d{5,})/?$")


def test_legacy_listing_entries_with_optional_labels(saved) -> None:
    body, _ = saved.page("www.osce.org", ASTANA_ROL)
    url = f"https://www.osce.org{ASTANA_ROL}"
    entries = listing_entries(parse_html(body), url, LEGACY_PATTERN, ("www.osce.org",))
    assert [e.native_id for e in entries] == ["582310", "581622", "581065", "575880", "569431", "564322", "508841"]
    first = entries[0]
    assert first.title.startswith("Kazakhstan’s Women Judges Contribute")
    assert first.dates == [("listing", "19 December 2024")]
    assert first.facets["what we do"] == ["Gender equality", "Rule of law"]
    assert first.teaser.startswith("On 6-7 December 2024")
    assert entries[1].facets == {}  # most entries carry only title, date and teaser
    assert next_page_url(parse_html(body), url) == f"{url}&page=1"


def test_new_listing_entries_and_pager(saved) -> None:
    entries = []
    for path in ("/news", "/ru/news", "/kk/news"):  # each language's own listing
        body, _ = saved.page("astana.osce.org", path)
        url = f"https://astana.osce.org{path}"
        entries += listing_entries(parse_html(body), url, NEW_PATTERN, ("astana.osce.org",))
        assert next_page_url(parse_html(body), url) is None
    assert {e.native_id for e in entries} == {"661564", "662120", "663410", "664002", "665100"}
    assert all(e.dates[0][0] == "listing" and e.dates[0][1].startswith("20") for e in entries)


def test_legacy_article_date_under_the_title_and_caption(saved) -> None:
    body, _ = saved.page("www.osce.org", "/programme-office-in-astana/582310")
    fields = extract_article(parse_html(body), "https://www.osce.org/programme-office-in-astana/582310")
    assert fields.title.startswith("Kazakhstan’s Women Judges")
    assert ("byline", "19 December 2024") in fields.dates
    assert fields.canonical_url == "https://www.osce.org/programme-office-in-astana/582310"
    assert len(fields.paragraphs) == 5
    assert fields.captions[0].endswith("(OSCE) Photo details")
    assert fields.body_from == "structure"


def test_new_article_labels_meta_and_jsonld(saved) -> None:
    body, _ = saved.page("astana.osce.org", "/kk/node/664002")
    fields = extract_article(parse_html(body), "https://astana.osce.org/kk/node/664002")
    assert fields.title == "ЕҚЫҰ әйел судьяларға арналған тәлімгерлік бағдарламасын қолдады"
    provenances = [p for p, _ in fields.dates]
    assert provenances[:2] == ["meta", "meta"]  # JSON-LD datePublished, then article:published_time
    assert ("label", "2026 жылғы 10 наурыз") in fields.dates
    assert fields.facets["issued by"] == ["ЕҚЫҰ-ның Астанадағы бағдарламалар офисі"]
    assert fields.lang == "kk"


def test_an_empty_date_label_does_not_take_the_paragraph_after_it() -> None:
    html = """<html><body><h1>Judges trained in Almaty</h1>
    <dl><dt>Issued on:</dt><dd></dd></dl>
    <p>On 12 May 2025 the OSCE opened a course for judges of the region in Almaty, the first of four.</p>
    <dl><dt>Date:</dt><dd>14 May 2025</dd></dl></body></html>"""
    fields = extract_article(parse_html(html), "https://example.org/news/1")
    assert [value for provenance, value in fields.dates if provenance == "label"] == ["14 May 2025"]


def test_a_date_label_alone_in_its_term_dates_the_page_by_the_definition_after_it() -> None:
    # a German ministry's "Erscheinungsdatum" in a <dt> without a colon, the day in its <dd>
    html = """<html><body><h1>Mehr Schutz für Frauen in der Kommunalpolitik</h1>
    <dl><dt>Erscheinungsdatum</dt><dd>12.11.2025</dd><dt>Ort:</dt><dd>Berlin</dd></dl>
    <p>Das Bundesministerium hat heute einen Leitfaden für Gemeinden vorgestellt, der am 5. Dezember beraten wird.</p>
    </body></html>"""
    fields = extract_article(parse_html(html), "https://bmfsfj.example/SharedDocs/Pressemitteilungen/2025/11/87.html")
    assert ("label", "12.11.2025") in fields.dates


def test_a_date_in_a_block_of_other_stories_is_not_the_articles() -> None:
    html = """<html><head><meta property="article:published_time" content="2025-05-14T09:00:00+05:00"></head>
    <body><main><h1>Judges trained in Almaty</h1>
    <p>The OSCE opened a course for judges of the region in Almaty, the first of four this year.</p>
    <section class="field--related-news"><h2>Related news</h2>
    <a href="/news/2"><span class="news-card__date">3 March 2024</span> Court reform round table</a></section>
    </main></body></html>"""
    fields = extract_article(parse_html(html), "https://example.org/news/1")
    assert [provenance for provenance, _ in fields.dates] == ["meta"]


def test_a_paragraph_that_links_to_another_story_is_not_the_text() -> None:
    html = """<html><body><article><h1>Judges trained in Almaty</h1>
    <p>The OSCE opened a course for judges of the region in Almaty, the first of four this year.</p>
    <p>Read more: <a href="/news/2">Court reform round table held in Dushanbe</a></p>
    <p>The course covers the <a href="/law">code of judicial ethics</a> and the rights of the defence.</p>
    </article></body></html>"""
    text = extract_article(parse_html(html), "https://example.org/news/1").text
    assert "Read more" not in text
    assert "code of judicial ethics and the rights of the defence" in text  # a link inside a sentence stays


def test_rss_feed_items(saved) -> None:
    body, _ = saved.page("feeds.osce.org", "/OSCELatestNews")
    items = parse_feed(body)
    assert [i.guid for i in items] == ["661564", "665473", "666010", "587210"]
    assert items[0].published == "Tue, 23 Dec 2025 09:00:00 +0000"
    assert items[0].author == "OSCE Programme Office in Astana"
    assert items[0].text.count("\n\n") == 3  # paragraphs kept


def test_a_feed_items_captions_are_kept_apart_from_its_text() -> None:
    body = """<rss version="2.0"><channel><item><title>Judges met</title><link>https://www.osce.org/secretariat/571420</link>
      <description>&lt;p&gt;VIENNA, 17 May 2024 – Judges met.&lt;/p&gt;&lt;p&gt;&lt;img src="a.jpg"&gt;&lt;br&gt;&lt;em&gt;Opening session
      at the Hofburg. OSCE/Anna Vlasova&lt;/em&gt;&lt;/p&gt;&lt;figure&gt;&lt;img src="b.jpg"&gt;&lt;figcaption&gt;The panel&lt;/figcaption&gt;
      &lt;/figure&gt;&lt;p&gt;They agreed on a plan.&lt;/p&gt;</description></item></channel></rss>"""
    (item,) = parse_feed(body.encode())
    assert item.text == "VIENNA, 17 May 2024 – Judges met.\n\nThey agreed on a plan."
    assert item.captions == ["Opening session at the Hofburg. OSCE/Anna Vlasova", "The panel"]


def test_atom_feed_items(fixture_page) -> None:
    (item,) = parse_feed(fixture_page("atom.xml"))
    assert item.link == "https://odihr.osce.org/odihr/665473"
    assert item.text.startswith("TASHKENT, 17 March 2026")


def test_html_error_page_is_not_a_feed(fixture_page) -> None:
    with pytest.raises(FeedError, match=r"not XML|neither rss nor Atom"):
        parse_feed(fixture_page("not_a_feed.xml"))


def test_malformed_html_still_yields_title_date_and_body(fixture_page) -> None:
    fields = extract_article(parse_html(fixture_page("malformed.html")), "https://www.osce.org/x/1")
    assert fields.title.startswith("Court reform round table in Dushanbe")
    assert ("byline", "3 March 2025") in fields.dates
    assert any("continue the dialogue" in p for p in fields.paragraphs)


PARA = (
    "The court of appeal in {city} reviewed the reform of {thing} with judges, lawyers and prosecutors of the region."
)


def as_paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def test_a_body_split_into_sibling_sections_is_kept_whole_and_in_order_without_comments() -> None:
    sections = "".join(
        f'<section class="article-part">{"".join(f"<p>{PARA.format(city=city, thing=thing)}</p>" for thing in ("bail", "appeals"))}</section>'
        for city in ("Almaty", "Osh", "Khujand")
    )
    comments = (
        '<div class="comments">'
        + "<p>I disagree with this decision of the court entirely and completely.</p>" * 6
        + "</div>"
    )
    html = f"<html><body><main><h1>Court reform</h1>{sections}{comments}</main></body></html>"
    fields = extract_article(parse_html(html), "https://news.example.org/a", html=html)
    cities = [city for p in fields.paragraphs for city in ("Almaty", "Osh", "Khujand") if city in p]
    assert cities == ["Almaty", "Almaty", "Osh", "Osh", "Khujand", "Khujand"]
    assert "disagree" not in fields.text


@pytest.mark.parametrize(
    ("names", "beside"),
    [
        ('class="Sidebar-Box"', True),  # in any case
        ('class="main-nav"', True),
        ('class="canvas"', False),  # "nav" inside a word
        ('class="navbar"', True),
        ('class="ad"', True),
        ('class="top-ads"', True),
        ('class="load"', False),  # "ad" inside a word
        ('class="bad-slot"', False),  # "ad" after a letter
        ('id="hdr"', True),
        ('class="subhdr"', False),
        ('class="join_tg"', True),
        ('class="tgx"', False),
        ('class="reviews-post"', True),
        ('class="all-responses"', True),
        ('class="correspondent"', False),
        ('class="subscriber-only"', False),  # the paywalled half of the article itself
    ],
)
def test_a_block_so_named_is_beside_the_article(names: str, beside: bool) -> None:
    # the names are read lowercased, by a pattern whose every alternative opens with a letter
    body = as_paragraphs([PARA.format(city=city, thing="bail") for city in ("Almaty", "Osh", "Khujand")])
    block = f"<div {names}><p>{PARA.format(city='Naryn', thing='appeals')}</p></div>"
    html = f"<html><body><main><h1>Court reform</h1><div class=body>{body}{block}</div></main></body></html>"
    fields = extract_article(parse_html(html), "https://news.example.org/a", html=html)
    assert ("Naryn" not in fields.text) == beside
    assert "Khujand" in fields.text


@pytest.mark.parametrize(
    ("opening", "kept"),
    [
        ('<div class="subscriber-preview"><p>LONE OAK — The county will borrow $14.2 million to rebuild its roads.</p></div>', True),
        ('<div class="photo"><img src="a.jpg"><p>The old bridge east of Lone Oak, to be replaced.</p></div>', False),
    ],
)
def test_the_first_paragraph_set_apart_before_the_body_past_an_advert_is_its_opening(opening: str, kept: bool) -> None:
    # TownNews: the preview paragraph and the subscribers' rest round an advert, in one wrapper
    rest = "".join(f"<p>{PARA.format(city=city, thing='the bond')}</p>" for city in ("Wyeth", "Harlan", "Lone Oak", "Osh", "Naryn", "Talas"))
    html = f"""<html><body><article><h1>Supervisors approve road bond</h1><div class="asset-body">{opening}
      <div class="tnt-ads"><span>Advertisement</span></div><div class="subscriber-only">{rest}</div></div>
      </article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.ledger.example.com/news/local/road-bond.html", html=html)
    assert fields.paragraphs[0].startswith("LONE OAK" if kept else "The court of appeal in Wyeth")
    assert "Advertisement" not in fields.text


def test_bitrixs_preview_text_before_the_picture_and_the_body_is_the_lead() -> None:
    rest = "".join(f"<p>{PARA.format(city=city, thing='vaccination')}</p>" for city in ("Turkestan", "Taraz", "Almaty", "Shymkent"))
    html = f"""<html><body><main><div class="news-detail"><h1 class="news-detail__title">Вакцина поступила</h1>
      <div class="news-detail__meta">18.04.2024 10:15</div>
      <div class="news-detail__preview-text">Вакцина поступит в 14 регионов страны, в первую очередь — в южные области.</div>
      <div class="news-detail__picture"><img src="/upload/iblock/a.jpg"></div>
      <div class="news-detail__text">{rest}</div></div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://news-portal.example.kz/news/society/vaktsina/", html=html)
    assert fields.paragraphs[0].startswith("Вакцина поступит в 14 регионов")


def test_subheadings_and_an_opening_paragraph_beside_the_body_blocks_are_kept_in_order() -> None:
    # a body of one-paragraph blocks: bold subheadings in blocks of the same kind, a bare <h2>
    # after an advert, a heading in a module of its own, and the opening paragraph set beside
    # the blocks in a <p> of their class
    block = '<div class="paragraph"><p>{}</p></div>'
    parts = [
        '<p class="paragraph">Courts in Osh now hear cases on domestic violence in closed sessions.</p>',
        block.format(PARA.format(city="Osh", thing="bail")),
        block.format("<strong>1. Who may ask</strong>"),
        block.format(PARA.format(city="Osh", thing="appeals")),
        '<div class="ad ad-container"></div><h2>Closed sessions</h2>',
        block.format(PARA.format(city="Bishkek", thing="hearings")),
        '<div class="module-heading"><h3>Appeals</h3></div>',  # a page builder's heading module
        block.format(PARA.format(city="Bishkek", thing="appeals")),
        block.format("Cover picture: Jane Doe/Agency"),  # a credit, not a subheading
        '<h3>Read also</h3><ul><li><a href="/x">Another story</a></li><li><a href="/y">A third</a></li></ul>',
        block.format(PARA.format(city="Naryn", thing="appeals")),
        '<div class="related"><h2>More news</h2><p>Other story</p></div>',
    ]
    html = (
        '<html><body><article><h1>Closed sessions in Osh</h1><div class="col-8">'
        + "".join(parts)
        + "</div></article></body></html>"
    )
    fields = extract_article(parse_html(html), "https://news.example.org/c", html=html)
    assert [p[:22] for p in fields.paragraphs] == [
        "Courts in Osh now hear",
        "The court of appeal in",
        "1. Who may ask",
        "The court of appeal in",
        "Closed sessions",
        "The court of appeal in",
        "Appeals",
        "The court of appeal in",
        "The court of appeal in",
    ]


def test_a_body_in_page_builder_components_is_read_whole_with_its_quotes_headings_and_tables() -> None:
    # each text component alone in its grid cell; a pull quote in a <figure> with the speaker's
    # name under it, a content element's heading in its own <header>, a table component and a
    # picture with its credit between them
    cell = '<div class="cell cell--8"><div class="cmp-text">{}</div></div>'
    parts = [
        cell.format(f"<p>{PARA.format(city='Naryn', thing='legal aid')}</p>"),
        '<div class="cell cell--8"><figure class="cmp-pullquote"><blockquote>Half of the house is mine by law.'
        "</blockquote><figcaption>Aizada, 46, a client</figcaption></figure></div>",
        cell.format(
            '<header class="frame-header"><h2><span>From advice to the courtroom</span></h2></header>'
            f"<p>{PARA.format(city='Osh', thing='claims')}</p>"
        ),
        '<div class="cell cell--8"><div class="cmp-table"><table><tr><td>Villages visited</td><td>112</td></tr>'
        "<tr><td>Claims filed</td><td>640</td></tr></table></div></div>",
        '<div class="cell cell--12"><div class="cmp-image"><img src="/van.jpg" alt="">'
        '<span class="cmp-image__credit">Photo: Jane Doe/Agency</span></div></div>',
        cell.format(f"<p>{PARA.format(city='Talas', thing='alimony')}</p>"),
        '<div class="cell cell--12"><div class="cmp-tags"><a href="/t/justice">Justice</a></div></div>',
    ]
    html = '<html><body><h1>Mobile legal clinics</h1><div class="grid">' + "".join(parts) + "</div></body></html>"
    fields = extract_article(parse_html(html), "https://news.example.org/d", html=html)
    assert fields.body_from == "structure"
    assert [p[:30] for p in fields.paragraphs] == [
        PARA.format(city="Naryn", thing="legal aid")[:30],
        "Half of the house is mine by l",
        "From advice to the courtroom",
        PARA.format(city="Osh", thing="claims")[:30],
        "Villages visited 112",
        "Claims filed 640",
        PARA.format(city="Talas", thing="alimony")[:30],
    ]


def test_a_page_inside_one_web_form_is_read_and_its_labelled_date_taken() -> None:
    # ASP.NET Web Forms (Kentico, Sitefinity) wrap the whole page in a <form>
    paragraphs = "".join(f"<p>{PARA.format(city=city, thing='street music')}</p>" for city in ("Brno", "Ostrava"))
    html = (
        '<html><body><form id="form1" method="post"><input type="hidden" name="__VIEWSTATE" value="x">'
        '<div class="today">Dnes je pátek 10. října 2025</div><div class="news-detail"><h1>Street music</h1>'
        '<span class="news-date">Publikováno: 3. 10. 2025</span>'
        f'<div class="news-text">{paragraphs}</div></div></form></body></html>'
    )
    fields = extract_article(parse_html(html), "https://www.nssoud.cz/aktuality/street-music", html=html)
    assert ("label", "3. 10. 2025") in fields.dates
    assert "Brno" in fields.text and "Ostrava" in fields.text


def test_a_fact_box_in_the_body_is_text_and_a_box_of_links_to_other_stories_is_not() -> None:
    facts = (
        '<aside class="factbox"><h3>The clinic in numbers</h3><ul><li>112 villages visited</li>'
        "<li>640 claims filed with district courts</li></ul></aside>"
    )
    others = (  # indented as templates write it: the white space is not text beside the links
        '<aside class="recirc">\n  <h3>More on justice</h3>\n  <ol>\n'
        + "".join(f'    <li>\n      <a href="/s/{n}">\n        Another story {n}\n      </a>\n    </li>\n' for n in range(3))
        + "  </ol>\n</aside>"
    )
    body = f"<p>{PARA.format(city='Naryn', thing='legal aid')}</p>{facts}{others}<p>{PARA.format(city='Osh', thing='alimony')}</p>"
    html = f"<html><body><article><h1>Mobile clinics</h1><div class='story'>{body}</div></article></body></html>"
    fields = extract_article(parse_html(html), "https://news.example.org/e", html=html)
    assert "• 640 claims filed with district courts" in fields.paragraphs
    assert "Another story" not in fields.text


def test_bitrix_comments_are_not_the_article() -> None:
    # Bitrix's comments component, on many Central Asian sites, calls them "reviews"; a long
    # comment holds more paragraph text than a short bulletin
    text = "".join(f"<p>{PARA.format(city=city, thing='wage agreement')}</p>" for city in ("Almaty", "Shymkent"))
    comment = "<p>Thank you for the details! The payment to young teachers matters most to us this year.</p>" * 3
    html = (
        '<html><body><h1>Bulletin 14</h1><div class="news-detail"><span class="news-date-time">21.10.2025</span>'
        f'<div class="news-detail-text">{text}</div></div><div class="reviews-block"><h3>Comments (1)</h3>'
        f'<div class="reviews-post"><div class="reviews-post-info">Olga N., 21.10.2025 15:07</div>'
        f'<div class="reviews-post-text">{comment}</div></div></div></body></html>'
    )
    fields = extract_article(parse_html(html), "https://union.example.kz/news/bulletin-14/", html=html)
    assert "Shymkent" in fields.text
    assert "young teachers" not in fields.text


def test_a_subheading_nesting_an_anchor_link_block_is_read() -> None:
    # Substack puts an anchor-link <div> inside each subheading
    anchor = '<div class="header-anchor-parent"><button aria-label="Link"><svg></svg></button></div>'
    body = "".join(
        f"<p>{PARA.format(city=city, thing='bus lanes')}</p>" + (f"<h3>What the numbers say{anchor}</h3>" if i == 1 else "")
        for i, city in enumerate(("Osh", "Naryn", "Talas"))
    )
    html = f"<html><body><article><h1>Bus lanes</h1><div class='body markup'>{body}</div></article></body></html>"
    fields = extract_article(parse_html(html), "https://example.substack.com/p/bus-lanes", html=html)
    assert fields.paragraphs[2] == "What the numbers say"


def test_a_headings_link_to_itself_shown_as_a_mark_is_no_part_of_its_text() -> None:
    # MkDocs' "¶" after the heading, VitePress's zero-width space before it, an icon's <svg>
    marks = ('<a class="headerlink" href="#{0}">¶</a>', '<a class="header-anchor" href="#{0}">\u200b</a>',
             '<a href="#{0}" aria-label="Permalink"><svg><title>Link</title></svg></a>')  # fmt: skip
    body = [PARA.format(city=city, thing="the release") for city in ("Graz", "Linz", "Wels")]
    html = f"""<html><body><article><h1>Sprocket 3.0 is out{marks[0].format("top")}</h1><p>{body[0]}</p>
      <h2>{marks[1].format("new")}What is new</h2><p>{body[1]}</p><h2>Upgrading{marks[2].format("up")}</h2>
      <p>{body[2]} See <a href="#new">what is new</a>.</p></article></body></html>"""
    fields = extract_article(parse_html(html), "https://sprocket.example.dev/blog/2024/03/sprocket-3/", html=html)
    assert fields.title == "Sprocket 3.0 is out"
    assert fields.paragraphs == [body[0], "What is new", body[1], "Upgrading", f"{body[2]} See what is new."]


def test_trafilatura_takes_over_when_the_chosen_body_holds_too_little_of_the_pages_prose() -> None:
    import trafilatura  # noqa: F401 -- the fallback must be importable (lxml_html_clean declared)

    levels = [  # each part in a wrapper with its own counter: no one block holds them
        "<div><p>{}</p></div>",
        "<div><div><p>{}</p></div><small>1/2</small></div>",
        "<section><div><div><p>{}</p></div><small>2/2</small></div></section>",
    ]
    body = "".join(
        level.format(PARA.format(city=city, thing="detention"))
        for level, city in zip(levels * 2, ("Astana", "Taraz", "Aktobe", "Oral", "Turkistan", "Kostanay"), strict=True)
    )
    table = "<div><table><tr><th>Region</th><th>Detainees released</th></tr><tr><td>Zhambyl</td><td>412</td></tr></table></div>"
    html = f"<html><body><article><h1>Detention reform</h1>{body}{table}</article></body></html>"
    fields = extract_article(parse_html(html), "https://news.example.org/b", html=html)
    assert fields.body_from == "trafilatura"
    assert all(city in fields.text for city in ("Astana", "Taraz", "Aktobe", "Oral", "Turkistan", "Kostanay"))
    assert "Zhambyl" in fields.text and "412" in fields.text  # its reading keeps the tables


def test_trafilaturas_reading_leaves_out_each_line_of_a_box_beside_the_article() -> None:
    # a student paper's donation appeal after the text: its heading and its sentence, each a line
    levels = ["<div><p>{}</p></div>", "<section><div><div><p>{}</p></div><small>1/2</small></div></section>"]
    cities = ("Taraz", "Aktobe", "Oral", "Turkistan", "Kostanay")
    body = "".join(levels[i % 2].format(PARA.format(city=city, thing="detention")) for i, city in enumerate(cities))
    appeal = "Your donation will support the student journalists of Cascade State University."
    box = f'<div class="sno-donate-box"><h4>Donate to The Cascade Courier</h4><p>{appeal}</p></div>'
    html = f"<html><body><article><h1>Detention reform</h1>{body}{box}</article></body></html>"
    fields = extract_article(parse_html(html), "https://news.example.org/d", html=html)
    assert fields.body_from == "trafilatura"
    assert all(city in fields.text for city in cities)
    assert appeal not in fields.text and "Donate to" not in fields.text


def test_trafilaturas_reading_keeps_the_words_after_a_comment_in_a_paragraph() -> None:
    # a page rendered by React splits its words with empty comments: "When <!-- -->President..."
    first = (
        '<p class="story">When <!-- -->the court<!-- --> <!-- -->of appeal<!-- --> in Astana reviewed the reform.</p>'
    )
    levels = ["<div><p>{}</p></div>", "<section><div><div><p>{}</p></div><small>1/2</small></div></section>"]
    cities = ("Taraz", "Aktobe", "Oral", "Turkistan", "Kostanay")
    rest = "".join(levels[i % 2].format(PARA.format(city=city, thing="detention")) for i, city in enumerate(cities))
    html = f"<html><body><article><h1>Detention reform</h1>{first}{rest}</article></body></html>"
    fields = extract_article(parse_html(html), "https://news.example.org/r", html=html)
    assert fields.body_from == "trafilatura"
    assert fields.paragraphs[0] == "When the court of appeal in Astana reviewed the reform."
    assert all(city in fields.text for city in cities)


def test_a_part_of_the_body_in_a_layout_row_of_its_own_is_filled_in_from_trafilaturas_reading() -> None:
    # the body's paragraphs are cousins, each part in its own row of the theme's grid: the
    # structure takes the richest part and the standfirst, trafilatura's reading the part between
    row = '<section class="row row--{}"><div class="col"><div class="story-text">{}</div></div></section>'
    first = "".join(f"<p>{PARA.format(city='Osh', thing=thing)}</p>" for thing in ("bail", "appeals"))
    teaser = '<p>Read more: <a href="/news/2">Judges of the region meet in Osh to discuss the reform of bail and appeals</a></p>'
    rest = "".join(
        f"<p>{PARA.format(city=city, thing='detention')}</p>"
        for city in ("Naryn", "Talas", "Batken", "Karakol", "Jalal-Abad")
    )
    html = (
        "<html><body><main><h1>Court reform in the south</h1>"
        '<p class="dek">Judges of the southern regions met lawyers and prosecutors to weigh the first year of the reform.</p>'
        + row.format("wide", first)
        + row.format("narrow", teaser)
        + row.format("wide-fixed", rest)
        + '<aside class="related"><h2>More news</h2><p><a href="/news/3">Another story of the region</a></p></aside>'
        "</main></body></html>"
    )
    fields = extract_article(parse_html(html), "https://news.example.org/d", html=html)
    order = [
        city
        for p in fields.paragraphs
        for city in ("Osh", "Naryn", "Talas", "Batken", "Karakol", "Jalal-Abad")
        if city in p
    ]
    assert fields.paragraphs[0].startswith("Judges of the southern regions")
    assert order == ["Osh", "Osh", "Naryn", "Talas", "Batken", "Karakol", "Jalal-Abad"]
    assert "Read more" not in fields.text and "Another story" not in fields.text
    assert fields.body_from == "structure"


def test_htmldate_is_consulted_and_importable() -> None:
    from monitor.crawling.extract.article import _htmldate

    assert (
        _htmldate("<html><body><p>No date here.</p></body></html>", "https://x.org/2021/03/04/item.html")
        == "2021-03-04"
    )


def test_a_body_is_read_at_any_depth_with_headings_lists_tables_and_code_but_not_its_frame() -> None:
    html = f"""<html><body><div class="site"><div class="col"><div class="entry-content">
      <p>{PARA.format(city="Bishkek", thing="probation")}</p>
      <div class="wp-block"><h2>What changes</h2><ul><li>Probation officers in every district</li>
        <li>Legal aid from the first hearing</li></ul></div>
      <div class="table-wrap"><table><tr><th>Region</th><th>Cases</th></tr><tr><td>Chui</td><td>412</td></tr></table></div>
      <div><div><pre>decree 2024/117</pre></div></div>
      <div class="gallery"><div>Judges at the training in Bishkek. Photo: OSCE</div></div>
      <div class="post-tags"><a href="/t/1">Justice</a> <a href="/t/2">Kyrgyzstan</a></div>
      <ul><li><a href="/a">Another story</a></li><li><a href="/b">A third story</a></li></ul>
      <div class="author-box"><p>Written by the press office, who write every week.</p></div>
      <p>{PARA.format(city="Osh", thing="legal aid")}</p>
      {"".join(f"<p>{PARA.format(city=city, thing='bail')}</p>" for city in ("Naryn", "Talas", "Batken", "Karakol"))}
    </div></div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://news.example.org/c", html=html)
    text = fields.text
    assert fields.body_from == "structure"
    for kept in ("What changes", "• Legal aid from the first hearing", "Chui 412", "decree 2024/117", "Osh"):
        assert kept in text
    for left_out in ("Photo: OSCE", "Justice", "Another story", "Written by"):
        assert left_out not in text
    assert text.index("Bishkek") < text.index("What changes") < text.index("Chui") < text.index("Osh")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # the site's name in an <h1> of its header, the article's own heading further down
        ('<header><h1><a href="/">Daily Courier</a></h1></header><article><h1>Courts open to the public</h1></article>',
         "Courts open to the public"),
        # a section kicker before the headline the metadata states
        ('<main><h1><span>Local News</span> | Courts open to the public</h1></main>', "Courts open to the public"),
        # the article's own <header>: its heading, though the metadata words it otherwise
        ('<article><header><h1>Open courts, a year on</h1></header></article>', "Open courts, a year on"),
        # the same heading twice, for small and large screens
        ('<div class="sm"><h1>Open courts, a year on</h1></div><div class="lg"><h1>Open courts, a year on</h1></div>',
         "Open courts, a year on"),
        # a blog's name in an <h1> that is no link, the post's title in an <h2>
        ('<div id="top"><h1>Daily Courier</h1></div><div class="post"><h2>Courts open to the public</h2></div>',
         "Courts open to the public"),
        # <h1>s that head the article's sections, the title in an <h2> the metadata names
        ('<div class="post"><h2>Courts open to the public</h2><h1>What changes</h1><p>Hearings.</p>'
         '<h1>Who gains</h1><p>Everyone.</p></div>', "Courts open to the public"),
        # a court's name in the one <h1>, no link; the page's first <h2> the headline the metadata names
        ('<div class="header"><h1>Regional Court<small>Official site</small></h1></div>'
         '<div class="news-detail"><h2>Courts open to the public</h2><p>Hearings.</p></div>', "Courts open to the public"),
        # a Bitrix news page: the section's name in the <h1>, the headline an <h3> the body follows bare
        ('<div class="bx-content"><h1 id="pagetitle">News</h1><div class="news-detail">'
         '<h3>Courts open to the public</h3>Hearings.<br>Everyone.</div></div>', "Courts open to the public"),
        # a kicker inside the heading, and a separator only a screen reader reads
        ('<article><h1><span class="kicker">Astana</span><span class="sr-only">: </span>'
         '<span class="headline">Open courts, a year on</span></h1></article>', "Open courts, a year on"),
        ('<article><h1><span class="a-article-header__label">Court reform:</span> Open courts, a year on</h1></article>',
         "Open courts, a year on"),
        # Drupal's topline, and its title field classed "field--label-hidden" (no label shown: the headline)
        ('<article><h1 class="node__title"><span class="node__topline">Justice</span> <span class="field '
         'field--name-title field--label-hidden">Open courts, a year on</span></h1></article>', "Open courts, a year on"),
        # a cookie dialog's and a comment form's headings beside the article's own
        ('<div class="cmplz-cookiebanner"><h1 class="cmplz-title">We respect your privacy</h1></div>'
         '<article><h1 class="entry-title">Open courts, a year on</h1></article>'
         '<div id="respond"><h1 class="comment-reply-title">Leave a reply</h1></div>', "Open courts, a year on"),
        # but an <h2> further down that the metadata names heads a section of the <h1>'s page
        ('<main><h1>Open courts, a year on</h1><h2>Fast and fair</h2><p>Hearings.</p>'
         '<h2>Courts open to the public</h2><p>Everyone.</p></main>', "Open courts, a year on"),
    ],
)  # fmt: skip
def test_the_title_is_the_articles_heading_settled_against_its_metadata(page: str, expected: str) -> None:
    head = (
        '<title>Courts open to the public – Daily Courier</title><meta property="og:title" content="Courts open to the public">'
        '<meta property="og:site_name" content="Daily Courier">'
    )
    html = f"<html><head>{head}</head><body>{page}</body></html>"
    assert extract_article(parse_html(html), "https://news.example.org/d").title == expected


def test_an_h3_that_is_a_piece_of_the_title_is_a_tagline_not_the_headline() -> None:
    html = """<html><head><title>Run hearings online - Courtroom Suite 15 for Judges</title></head><body>
      <main><h1>Courtroom Suite 15 for Courts</h1><h3>Run hearings online</h3><p>Hearings.</p></main></body></html>"""
    assert extract_article(parse_html(html), "https://courtroom.example/suite").title == "Courtroom Suite 15 for Courts"


def test_an_h3_with_the_sites_name_is_no_headline_though_the_title_is_that_name() -> None:
    html = """<html><head><title>Regional Court</title><meta property="og:site_name" content="Regional Court">
      </head><body><main><h1>News</h1><h3>Regional Court</h3><p>Hearings.</p></main></body></html>"""
    assert extract_article(parse_html(html), "https://court.example/news/1").title == "News"


@pytest.mark.parametrize(
    ("head", "heading", "expected"),
    [
        # a heading that is one link, but not to the home page, is the article's
        ("<title>Judges trained in Almaty | Ministry of Justice</title>",
         '<h1><a href="#">Judges trained in Almaty</a></h1>', "Judges trained in Almaty"),
        ("<title>Judges trained in Almaty | Ministry of Justice</title>",
         '<h1><a href="https://www.gov.kz/">Judges trained in Almaty</a></h1>', "Judges trained in Almaty"),
        # a heading that links to the page itself (a permalink) heads it, whatever the <title> says
        ("<title>Ministry of Justice</title>", '<h1><a href="/d/">Judges trained in Almaty</a></h1>',
         "Judges trained in Almaty"),
        # a broken link is no reason to fail
        ("<title>Judges trained in Almaty | Ministry</title>", '<h1><a href="http://[SITE_URL/">Judges trained in Almaty</a></h1>',
         "Judges trained in Almaty"),
        # a heading that opens with the site's name keeps it
        ('<meta property="og:site_name" content="OSCE"><meta property="og:title" content="OSCE – EU joint statement">',
         "<h1>OSCE – EU joint statement</h1>", "OSCE – EU joint statement"),
    ],
)  # fmt: skip
def test_only_a_logo_names_the_site(head: str, heading: str, expected: str) -> None:
    body = "<p>The court heard the first cases under the new procedure in Almaty this week.</p>" * 4
    html = f"<html><head>{head}</head><body><div class=content>{heading}{body}</div></body></html>"
    assert extract_article(parse_html(html), "https://news.example.org/d").title == expected


@pytest.mark.parametrize(
    ("head", "heading", "expected"),
    [
        # a journal's permalink heading (a link alone); its Dublin Core title, not the long <title>
        ('<title>Bail reform: An Observational Study: Law Review: Vol 7</title><meta name="DC.Title" content="Bail reform">',
         '<h1><a href="/doi/full/10.1/7">Bail reform</a></h1>', "Bail reform"),
        ('<meta name="citation_title" content="Bail reform"><title>Bail reform: A Study: Law Review</title>', "", "Bail reform"),
        # the host's name is the site's, in whatever tag; the article's own <h2> then heads it
        ('<title>news.example.org</title><meta name="dc.title" content="news.example.org">',
         '<h1><a href="/"><img src="logo.svg" alt="news.example.org"></a></h1><h2>Bail reform</h2>', "Bail reform"),
    ],
)  # fmt: skip
def test_scholarly_and_dublin_core_titles_and_the_host_as_the_sites_name(
    head: str, heading: str, expected: str
) -> None:
    body = "<p>The court heard the first cases under the new procedure in Almaty this week.</p>" * 4
    html = f"<html><head>{head}</head><body><div class=content>{heading}{body}</div></body></html>"
    assert extract_article(parse_html(html), "https://news.example.org/d").title == expected


def test_a_logo_is_no_permalink_where_articles_are_addressed_by_query() -> None:
    html = (
        "<html><head><title>Judges trained in Almaty | Ministry of Justice</title></head><body>"
        '<h1><a href="https://news.example.org/">Ministry of Justice</a></h1>'
        + "<p>The court heard the first cases under the new procedure in Almaty this week.</p>" * 4
        + "</body></html>"
    )
    assert extract_article(parse_html(html), "https://news.example.org/?p=123").title == "Judges trained in Almaty"


@pytest.mark.parametrize("home", ["/index.php?", "/index.html", "/default.aspx"])
def test_a_logo_linking_to_the_home_pages_index_file_names_the_site(home: str) -> None:
    # Dotclear links its logo to "/index.php?", its posts living under "/index.php?post/…"
    html = (
        "<html><head><title>The wash house gets its roof back - Notebooks of Saint-Aubin</title></head><body>"
        f'<h1><span><a href="{home}">Notebooks of Saint-Aubin</a></span></h1>'
        '<h2 class="post-title">The wash house gets its roof back</h2>'
        + "<p>The roof of the old wash house was laid again this autumn by volunteers.</p>" * 4
        + "</body></html>"
    )
    fields = extract_article(parse_html(html), "https://saint-aubin.example/index.php?post/2025/11/04/wash-house")
    assert fields.title == "The wash house gets its roof back"


def test_the_sites_name_its_logo_heading_shows_is_cut_from_the_page_title() -> None:
    html = (
        "<html><head><title>Courts open to the public - Courier - City News</title></head><body>"
        '<div id="top"><h1><a href="/">Courier - City News</a></h1></div><div><p>Hearings are public.</p></div>'
        "</body></html>"
    )
    assert extract_article(parse_html(html), "https://news.example.org/d").title == "Courts open to the public"


def test_a_logo_block_linking_home_around_the_h1_names_the_site_and_the_posts_h2_heads_it() -> None:
    # a blog theme (Serendipity, older WordPress): the site's <h1> and tagline inside one link home
    html = (
        "<html><head><title>Ten years without a car - Coffee and Cables</title></head><body>"
        '<header><a href="https://blog.example.de/"><h1>Coffee and Cables</h1><p>Notes from a small town</p></a></header>'
        '<div class="serendipity_entry"><h2><a href="/archives/1187-ten-years.html">Ten years without a car</a></h2>'
        + "<p>The court heard the first cases under the new procedure in Almaty this week.</p>" * 4
        + "</div></body></html>"
    )
    fields = extract_article(parse_html(html), "https://blog.example.de/archives/1187-ten-years.html")
    assert fields.title == "Ten years without a car"


def test_the_pages_time_is_not_a_related_storys_but_may_be_in_the_articles_footer() -> None:
    body = "<p>The court heard the first cases under the new procedure in Almaty this week.</p>" * 4
    related = '<div class="related-posts"><article><time datetime="2023-06-14">14 June 2023</time></article></div>'
    html = (
        '<html><body><article><h1>Mowers tested</h1><span class="posted-on">28. Juli 2023</span>'
        f"{body}</article>{related}</body></html>"
    )
    fields = extract_article(parse_html(html), "https://garden.example.de/test/mower", html=html)
    assert not any(provenance == "time" for provenance, _ in fields.dates)
    # TYPO3's news template puts the article's own date in a block classed "footer"
    own = '<div class="footer"><time datetime="2024-06-12">12.06.2024</time></div>'
    html = f"<html><body><article><h1>Open day</h1>{own}{body}</article>{related}</body></html>"
    assert ("time", "2024-06-12") in extract_article(parse_html(html), "https://imker.example.de/a", html=html).dates


def test_an_unreadable_stated_date_does_not_keep_htmldate_away_and_the_url_date_is_kept() -> None:
    html = (
        '<html><head><meta name="date" content="መስከረም 27 ቀን 2013 ዓ.ም"></head>'
        f"<body><h1>Court ruling</h1><p>{PARA.format(city='Astana', thing='bail')}</p></body></html>"
    )
    fields = extract_article(parse_html(html), "https://news.example.org/2020/10/07/court-ruling", html=html)
    assert ("url", "2020-10-07") in fields.dates
    assert ("htmldate", "2020-10-07") in fields.dates


def test_a_date_widget_in_the_sites_header_is_not_a_byline() -> None:
    html = f"""<html><body>
      <header class="site"><div class="date-widget">Thursday, 9 November 2023</div></header>
      <main><article><h1>Juvenile court</h1><p>{PARA.format(city="Dushanbe", thing="juvenile justice")}</p>
      <div class="post-date">8 November 2023</div></article></main></body></html>"""
    fields = extract_article(parse_html(html), "https://news.example.org/e", html=html)
    assert ("byline", "8 November 2023") in fields.dates
    assert not any("9 November" in value for _, value in fields.dates)


def test_comments_in_the_markup_are_not_text() -> None:
    tree = parse_html("<html><body><p>The court <!-- editor: check name -->opened.</p><!-- end -->Next</body></html>")
    assert text_of(tree.find(".//p")) == "The court opened."
    assert block_lines(tree.find("body")) == ["The court opened.", "Next"]
    assert text_of(tree.find("body")[1]) == "Next"  # a comment itself: only what follows it


@pytest.mark.parametrize("wrapped", [True, False])
def test_an_endless_page_gives_the_titled_article_not_the_longest_one_after_it(wrapped: bool) -> None:
    def story(title: str, paragraphs: str) -> str:
        return f"<article><h1>{title}</h1>{f'<div class=text>{paragraphs}</div>' if wrapped else paragraphs}</article>"

    first = "".join(
        f"<p>The shelter in Khujand opened its doors to women on day {n} of the campaign.</p>" for n in range(6)
    )
    next_story = "".join(
        f"<p>The prosecutor general spoke about reform for the {n}th time this year.</p>" for n in range(30)
    )
    html = (
        '<html><head><meta property="og:title" content="Shelter opens in Khujand"></head><body><main>'
        f"{story('Shelter opens in Khujand', first)}{story('Prosecutor on reform', next_story)}</main></body></html>"
    )
    fields = extract_article(parse_html(html), "https://news.example.org/d", html=html)
    assert fields.title == "Shelter opens in Khujand"
    assert fields.text.startswith("The shelter in Khujand") and "prosecutor" not in fields.text


@pytest.mark.parametrize(
    ("lead_class", "kept"),
    [
        ("article__intro", True),
        ("story-lead", True),
        ("articleIntro", True),
        ("copete", True),  # Spanish-language outlets: "copete", "bajada", "entradilla"
        ("nota-bajada", True),
        ("c-newsheader__manchet", True),  # northern and central Europe: "manchet", "ingress", "perex", "wstęp"
        ("article-ingress", True),
        ("perex", True),
        ("wstep", True),
        ("leading-6 text-lg", False),
        ("ingressive", False),
    ],
)
def test_a_lead_set_apart_before_the_body_opens_the_text(lead_class: str, kept: bool) -> None:
    body = "".join(f"<p>The court heard {n} cases on the first day of the new procedure in Osh.</p>" for n in range(8))
    html = (
        "<html><body><article><h1>Open hearings in Osh</h1>"
        f'<div class="{lead_class}"><p>Hearings in Osh are now open to the public.</p></div>'
        '<div class="share"><a href="/s">Share</a></div>'
        f'<div class="text">{body}</div></article></body></html>'
    )
    text = extract_article(parse_html(html), "https://news.example.org/d").text
    assert text.startswith("Hearings in Osh are now open") is kept
    assert "The court heard 7 cases" in text


# Long enough that the structure's reading stands without the check against trafilatura's
LONG_BODY = "".join(
    f"<p>The court heard {n} cases on the first day of the new procedure in Osh.</p>" for n in range(16)
)


def test_a_standfirst_between_the_heading_and_the_body_opens_the_text_without_byline_or_caption() -> None:
    html = (
        '<html><body><div class="promo"><p>Our newsletter brings every story of the week to your inbox.</p></div>'
        '<article><header class="hero"><h1>Open hearings in Osh</h1>'
        "<h2>Judges in the south of Kyrgyzstan open their courtrooms to the public and the press</h2>"
        "<p>By Aigul Sadykova on Monday, 2 December 2024 at 11:04</p>"
        "<p>The court heard 0 cases on the first day of the new procedure…</p></header>"  # the body's, cut
        '<div class="hero-media"><div><img src="/c.jpg"></div>'
        "<p>Judges of the Osh city court at the opening of the new courtroom. Photo: Court press office</p></div>"
        f'<div class="story-body">{LONG_BODY}</div></article></body></html>'
    )
    fields = extract_article(parse_html(html), "https://news.example.org/d", html=html)
    assert fields.text.startswith(
        "Judges in the south of Kyrgyzstan open their courtrooms to the public and the press\n\nThe court heard 0"
    )
    assert "Aigul" not in fields.text and "Photo:" not in fields.text and "newsletter" not in fields.text
    assert "procedure…" not in fields.text


DEK = "Judges in the south of Kyrgyzstan open their courtrooms to the public from 2 December 2024"
OTHER = "Also this week: the Bishkek court opened a new registry for appeals and complaints."


@pytest.mark.parametrize(
    ("layout", "opens_with_dek"),
    [
        (f"<article><header><h1>Open hearings</h1><h2><h3>{DEK}</h3></h2></header><div class=b>{{body}}</div></article>", True),
        (f"<article><header><h1>Open hearings</h1><p class=d-md-block>{DEK}</p><p class=d-md-none>{DEK}</p>"
         f"<img src=/h.jpg></header><div class=b>{{body}}</div></article>", True),  # a responsive copy, a hero picture
        (f"<form id=aspnetForm><article><h1>Open hearings</h1><h2>{DEK}</h2><div class=b>{{body}}</div></article></form>", True),
        (f"<main><article><h1>Open hearings</h1>{{body}}</article><div class=more><p>{OTHER}</p></div></main>", False),
        (f"<div class=b>{{body}}</div><div class=x><h1>Open hearings</h1><p>{OTHER}</p></div>", False),
        (f"<article><h1>Open hearings</h1><div class='alert alert-info'><p>{OTHER}</p></div><div class=b>{{body}}</div></article>", False),
        (f"<article><h1>Open hearings</h1><a class=card href=/o><h3>{OTHER}</h3></a><div class=b>{{body}}</div></article>", False),
        ("<article><h1>Open hearings</h1><p>The court heard 0 cases on the first day of the new procedure in Osh […]</p>"
         "<div class=b>{body}</div></article>", False),  # an excerpt of the body's first paragraph
    ],
)  # fmt: skip
def test_a_standfirst_is_taken_once_in_order_and_only_before_the_body(layout: str, opens_with_dek: bool) -> None:
    html = f"<html><body>{layout.format(body=LONG_BODY)}</body></html>"
    text = extract_article(parse_html(html), "https://news.example.org/d", html=html).text
    assert text.startswith((f"{DEK}\n\n" if opens_with_dek else "") + "The court heard 0 cases")
    assert OTHER not in text and text.count(DEK) == opens_with_dek


def test_a_lead_paragraph_is_read_whole_and_another_storys_teaser_is_no_lead() -> None:
    body = "".join(f"<p>The court heard {n} cases on the first day of the new procedure in Osh.</p>" for n in range(8))
    html = (
        '<html><body><main><div class="teaser"><h3><a href="/other">Other</a></h3>'
        "<p>Police reform talks continue in Bishkek with new partners.</p></div>"
        '<div class="story"><h1>Shelter</h1><p class="lead">The OSCE opened a shelter in <em>Osh, Kyrgyzstan.</em></p>'
        f'<div class="text">{body}</div></div></main></body></html>'
    )
    text = extract_article(parse_html(html), "https://news.example.org/d").text
    assert text.startswith("The OSCE opened a shelter in Osh, Kyrgyzstan.\n\nThe court heard 0 cases")
    assert "Police reform" not in text


def test_a_malformed_link_on_a_listing_is_skipped_not_the_listing() -> None:
    import re

    from monitor.crawling.extract.listing import article_links, pdf_links

    html = (
        '<html><body><main><a href="https://[domain]/kazakhstan/news/x">Placeholder</a>'
        '<a href="/kazakhstan/news/courts-open">Courts open</a>'
        '<a href="http://[object Object]/a.pdf">broken</a><a href="/files/release.pdf">Release</a></main></body></html>'
    )
    tree = parse_html(html)
    links = article_links(tree, "https://www.undp.org/kazakhstan/news", re.compile(r"/news/([\w-]+)$"), ())
    assert [url for _, url, _ in links] == ["https://www.undp.org/kazakhstan/news/courts-open"]
    assert pdf_links(tree, "https://www.undp.org/kazakhstan/news") == ["https://www.undp.org/files/release.pdf"]


def test_a_formula_is_not_read_as_text() -> None:
    # as MediaWiki serves a formula: MathML for screen readers with its TeX source, and a picture
    tree = parse_html(
        '<html><body><p>Given a set of <span class="mwe-math-element"><math><semantics><mrow><mi>N</mi></mrow>'
        '<annotation encoding="application/x-tex">{\\displaystyle N}</annotation></semantics></math>'
        '<img alt="{\\displaystyle N}" src="n.svg"></span> objects, the court ranks them.</p></body></html>'
    )
    assert text_of(tree.find(".//p")) == "Given a set of objects, the court ranks them."


def entry_urls(page: str, hrefs: list[str], starts: tuple[str, ...], follow_articles: bool = True) -> list[str]:
    """The entries a source reads on a listing at `page` that links each of `hrefs`."""
    source = Source(
        key="s", name="s", organisation="s", family="generic", kind="listing", start_urls=starts,
        allowed_hosts=("www.osce.org", "127.0.0.1"), article_url_pattern=r"^/news/(\d{5,})$",
        follow_articles=follow_articles,
    )  # fmt: skip
    links = "".join(f'<p><a href="{href}">Release {n}</a></p>' for n, href in enumerate(hrefs))
    tree = parse_html(f"<html><body><main>{links}</main></body></html>")
    return [entry.url for entry in source_entries(source, tree, page).entries]


def test_a_link_in_the_sites_header_is_no_entry_but_an_entrys_own_header_is_its_own() -> None:
    # a WordPress theme's "Latest:" ticker above the listing links any post, a travel list too
    source = Source(
        key="s", name="s", organisation="s", family="generic", kind="listing",
        start_urls=("https://www.osce.org/news",), allowed_hosts=("www.osce.org",), article_url_pattern=r"^/news/(\d{5,})$",
    )  # fmt: skip
    html = """<html><body><header id="masthead"><div class="top-bar"><strong>Latest:</strong>
      <ul class="newsticker"><li><a href="/news/11111">Ten budget destinations</a></li></ul></div></header>
      <main><header class="page-header"><h1>OSCE news</h1><a href="/news/22222">Featured: courts</a></header>
      <article><header><h2><a href="/news/33333">Judges trained</a></h2></header><p>Judges met.</p></article></main>
      </body></html>"""
    urls = [entry.url for entry in source_entries(source, parse_html(html), "https://www.osce.org/news").entries]
    assert urls == ["https://www.osce.org/news/22222", "https://www.osce.org/news/33333"]


@pytest.mark.parametrize("item", ["article", 'div class="feed-item"'])
def test_the_only_entry_on_a_listing_page_is_its_article_not_the_description_above_it(item: str) -> None:
    # an aggregator's last page: the source's description, then one item
    source = Source(
        key="s", name="s", organisation="s", family="generic", kind="listing", follow_articles=False,
        start_urls=("https://europavarietas.org/evnc/en/aggregator/sources/3",), allowed_hosts=("www.osce.org",),
        article_url_pattern=r"^/odihr/(\d{5,})$",
    )  # fmt: skip
    html = f"""<html><body><section><h1>OSCE</h1><div class="region"><div class="feed-source">
      <div class="feed-description"><p>News and press releases of the Organization and its field operations.</p></div>
      <div class="feed-url"><em>URL:</em> https://www.osce.org/rss</div></div>
      <{item}><h3><a href="https://www.osce.org/odihr/567402">Women MPs share practices</a></h3>
      <div class="feed-item-body"><p>WARSAW, 3 April 2024 – Thirty-one members of parliament met in Warsaw.</p></div>
      </{item.split()[0]}></div></section></body></html>"""
    (entry,) = source_entries(source, parse_html(html), "https://europavarietas.org/evnc/en/aggregator/sources/3?page=1").entries
    assert entry.teaser.startswith("WARSAW, 3 April 2024")


def test_a_listing_its_link_selector_no_longer_fits_is_read_by_the_url_shapes() -> None:
    # a redesign renamed the cards; the releases' URLs are as they were
    source = Source(
        key="s", name="s", organisation="s", family="generic", kind="listing",
        start_urls=("https://www.undp.org/kazakhstan/news",), allowed_hosts=("www.undp.org",),
        article_url_pattern=r"^/kazakhstan/news/([a-z0-9-]+)$", selectors={"link": "div.content-card a"},
    )  # fmt: skip
    redesigned = '<html><body><main><div class="listing-card"><a href="/kazakhstan/news/courts-open">Courts</a></div></main></body></html>'
    entries, unfit = source_entries(source, parse_html(redesigned), "https://www.undp.org/kazakhstan/news")
    assert [entry.url for entry in entries] == ["https://www.undp.org/kazakhstan/news/courts-open"]
    assert unfit == "div.content-card a"  # said, so that the selector is mended
    # where the selector still fits, it alone says which links are entries
    kept = redesigned.replace("listing-card", "content-card").replace("</main>", '<p><a href="/kazakhstan/news/x">x</a></p></main>')
    entries, unfit = source_entries(source, parse_html(kept), "https://www.undp.org/kazakhstan/news")
    assert [entry.url for entry in entries] == ["https://www.undp.org/kazakhstan/news/courts-open"] and unfit is None


def test_sources_check_says_when_the_link_selector_no_longer_fits_and_reads_a_summarys_article() -> None:
    source = Source(
        key="s", name="s", organisation="s", family="generic", kind="listing",
        start_urls=("https://www.undp.org/kazakhstan/news",), allowed_hosts=("www.undp.org",),
        article_url_pattern=r"^/kazakhstan/news/([a-z0-9-]+)$", selectors={"link": "div.content-card a"},
    )  # fmt: skip
    page = b'<html><body><div class="listing-card"><a href="/kazakhstan/news/courts-open">Courts</a></div></body></html>'
    report = CheckReport("s")
    assert first_article(source, source.start_urls[0], page, report) == "https://www.undp.org/kazakhstan/news/courts-open"
    assert ("link selector", "'div.content-card a' finds no release link: the links were taken by their URL shapes") in report.lines
    feed = replace(source, kind="feed", selectors={})
    summary = b"""<rss version="2.0"><channel><item><title>Courts open</title>
      <link>https://www.undp.org/kazakhstan/news/courts-open</link><description>Courts opened in [&amp;#8230;]</description>
      </item></channel></rss>"""
    report = CheckReport("s")
    assert first_article(feed, "https://www.undp.org/feed", summary, report) == "https://www.undp.org/kazakhstan/news/courts-open"
    assert report.links == [("https://www.undp.org/kazakhstan/news/courts-open", "feed item: a summary, its article page is the release")]


def test_a_listing_link_to_another_port_of_an_allowed_host_is_not_followed() -> None:
    page = "https://www.osce.org/press-releases?page=1"
    hrefs = [
        "http://www.osce.org:8081/news/11111",
        "https://www.osce.org:8443/news/22222",
        "https://www.osce.org:99999/news/33333",  # out of range
        "http://www.osce.org/news/44444",  # http on its default port: the same site as https
        "/news/55555",
    ]
    assert entry_urls(page, hrefs, ("https://www.osce.org/press-releases",)) == [
        "http://www.osce.org/news/44444",
        "https://www.osce.org/news/55555",
    ]


def test_a_mirror_listing_link_on_the_pages_port_or_a_start_urls_is_followed() -> None:
    page = "http://127.0.0.1:8001/news?page=1"
    starts = ("http://127.0.0.1:8001/news", "http://127.0.0.1:8002/news")
    hrefs = [
        "/news/11111",
        "http://127.0.0.1:8002/news/22222",
        "http://127.0.0.1:8003/news/33333",
        "http://127.0.0.1/news/44444",
    ]
    assert entry_urls(page, hrefs, starts) == ["http://127.0.0.1:8001/news/11111", "http://127.0.0.1:8002/news/22222"]


def test_an_aggregators_entries_are_not_fetched_and_keep_links_on_any_port() -> None:
    # the mirror serves each aggregated site on a port of its own; the entry is the release
    page = "http://127.0.0.1:8001/aggregator"
    hrefs = ["http://127.0.0.1:8003/news/33333"]
    assert entry_urls(page, hrefs, (page,), follow_articles=False) == ["http://127.0.0.1:8003/news/33333"]


def test_sources_check_says_a_link_to_another_port_is_skipped_for_its_port() -> None:
    source = Source(
        key="s", name="s", organisation="s", family="generic", kind="listing",
        start_urls=("https://www.osce.org/press-releases",), allowed_hosts=("www.osce.org",),
        article_url_pattern=r"^/news/(\d{5,})$",
    )  # fmt: skip
    urls = ["http://www.osce.org:8081/news/11111", "https://www.osce.org/news/22222"]
    rules = dict(link_rules(source, urls, {"https://www.osce.org/news/22222"}, "https://www.osce.org/press-releases"))
    assert rules == {
        "https://www.osce.org/news/22222": "release URL shape (id 22222)",
        "http://www.osce.org:8081/news/11111": "skipped: another port of the source's host (another server)",
    }


def test_a_date_stated_as_microdata_on_a_page_with_a_sidebar_layout_is_the_articles() -> None:
    # WordPress (Astra): the <body> is classed for its layout ("ast-right-sidebar"), the date is a
    # microdata span, a hidden "updated" date beside it, and a related post has its own
    html = f"""<html><head><meta property="article:modified_time" content="2023-10-02T11:18:31+00:00"></head>
      <body class="single-post ast-right-sidebar"><main><article><header class="entry-header">
      <h1>Protection orders</h1><div class="entry-meta">By <span>Gulnara Ospanova</span> /
      <span class="published" itemprop="datePublished">September 21, 2023 | 10:42</span>
      <span class="updated" itemprop="dateModified">October 2, 2023</span></div></header>
      <div class="entry-content"><p>{PARA.format(city="Shymkent", thing="protection orders")}</p></div></article>
      <div class="ast-related-posts"><article><span itemprop="datePublished">August 3, 2023</span>
      <h3><a href="/other">Another post</a></h3></article></div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://wlan-ca.org/blog/protection-orders/", html=html)
    assert fields.dates[0] == ("meta", "September 21, 2023 | 10:42")
    assert {parse_date(value) for _, value in fields.dates} == {date(2023, 9, 21)}


def test_drupals_submitted_date_is_read_from_its_rdfa_on_a_promoted_node() -> None:
    # Drupal 7 prints "Submitted … on Mon, 05/02/2022 - 23:18" (month first) with the ISO date in
    # RDFa, on a node classed "node-promoted"; a comment below carries its own
    html = f"""<html><body class="one-sidebar sidebar-second"><div id="node-812" class="node node-article node-promoted">
      <h1>Investigating judges: the first 100 days</h1><div class="meta submitted">
      <span property="dc:date dc:created" content="2022-05-02T23:18:07+06:00">Submitted by admin on Mon, 05/02/2022 - 23:18</span></div>
      <div class="content"><p>{PARA.format(city="Bishkek", thing="pre-trial detention")}</p></div>
      <div id="comments" class="comment-wrapper"><div class="comment"><p class="comment-time">
      <span property="dc:date dc:created" content="2022-05-03T10:02:41+06:00">Tue, 05/03/2022 - 10:02</span></p></div></div>
      </div></body></html>"""
    fields = extract_article(parse_html(html), "https://calegal.kg/node/812", html=html)
    assert ("meta", "2022-05-02T23:18:07+06:00") in fields.dates
    assert not any("2022-05-03" in value for _, value in fields.dates)
    assert PARA.format(city="Bishkek", thing="pre-trial detention") in fields.text


def test_a_page_without_paragraphs_is_read_from_its_text_blocks_split_by_breaks() -> None:
    # a site builder's page: each text record a <div> of lines split by <br>, a quote between them,
    # read with them (over a thousand characters: a shorter body is checked against trafilatura's reading)
    first = " ".join(
        PARA.format(city=city, thing="legal aid for rural women") for city in ("Almaty", "Taraz", "Oral", "Kokshetau")
    )
    second = " ".join(
        PARA.format(city=city, thing="volunteer advisers") for city in ("Taldykorgan", "Atyrau", "Aktau", "Semey")
    )
    html = f"""<html><body><div class="t-records">
      <div class="t-rec"><div class="t-menu"><a href="/">Home</a> <a href="/news">News</a></div></div>
      <div class="t-rec"><h1 class="t-title">Legal school for rural women</h1></div>
      <div class="t-rec"><div field="text" class="t-text t-text_md">{first}<br><br>The school ran for three months.</div></div>
      <div class="t-rec"><div class="t-quote">"Now I can advise my neighbours too."</div></div>
      <div class="t-rec"><div field="text" class="t-text t-text_md">{second}<br><br><b>Applications</b> open in autumn.</div></div>
      <div class="t-rec"><div class="t-descr">© 2024 The Foundation, Almaty</div></div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://tendik.kz/news/legal-school", html=html)
    quote = '"Now I can advise my neighbours too."'
    assert fields.paragraphs == [first, "The school ran for three months.", quote, second, "Applications open in autumn."]


def test_text_blocks_side_by_side_are_read_with_the_subheadings_between_them() -> None:
    # an old template's page: the text in <div class="text"> blocks split by <br>, a subheading in
    # a <div> between them, and one <p> in the footer
    first = "<br><br>".join(PARA.format(city=city, thing="parish services") for city in ("Marburg", "Giessen", "Wetzlar"))
    html = f"""<html><body><table><tr><td>
      <div class="ueberschrift">Leaving and arriving</div><div class="datum">posted 28.05.2023</div>
      <div class="text">{first}</div>
      <div class="zwischentitel">What changes in September</div>
      <div class="text">– Sunday service alternates between 9.30 and 11 o'clock.<br>– Confirmation classes move to the parish hall in Niederweimar.</div>
      </td></tr></table><div class="footer"><p>Protestant parish of Altenbrück, Kirchstraße 3</p></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.ev-kirche.example.de/gemeindebrief/angedacht.html", html=html)
    assert fields.body_from == "structure"
    assert fields.paragraphs[3:] == [
        "What changes in September",
        "– Sunday service alternates between 9.30 and 11 o'clock.",
        "– Confirmation classes move to the parish hall in Niederweimar.",
    ]


def test_a_text_cell_holding_a_cell_like_it_is_read_once() -> None:
    # an old portal's layout: the release in a "bodytext" cell, its contact table's cells so classed too
    # (over a thousand characters: a shorter body is checked against trafilatura's reading)
    text = " ".join(
        PARA.format(city=city, thing="court interpreters")
        for city in ("Khujand", "Kulob", "Bokhtar", "Istaravshan", "Penjikent", "Khorog", "Vahdat", "Tursunzoda")
    )
    contact = "For further information, please contact: Dilnoza Rahimova, Press Officer, Tel: +992 37 221 00 00"
    html = f"""<html><body><table><tr><td class="bodytext">{text}<br><br>The programme runs until June.
      <table><tr><td class="bodytext">{contact}<br>E-mail: press@example.tj, available on working days</td></tr></table>
      </td></tr></table></body></html>"""
    fields = extract_article(parse_html(html), "https://example.tj/en/press/interpreters.asp", html=html)
    assert fields.paragraphs == [
        text,
        "The programme runs until June.",
        contact,
        "E-mail: press@example.tj, available on working days",
    ]


def test_a_section_of_the_bodys_kind_with_a_modifier_class_between_two_parts_is_body() -> None:
    # a court's release: the file number in a section of its own, classed as the others with a
    # modifier, between the text and the legal note; short, and no sentence
    text = [PARA.format(city=city, thing="protection orders") for city in ("Wesertal", "Brackenburg", "Lindau")]
    file_number = "Higher Regional Court, decision of 10 July 2025, file number: 3 ORs 112/25"
    note = [PARA.format(city="Wesertal", thing="contact bans"), PARA.format(city="Lindau", thing="contact bans")]
    html = f"""<html><body><article><h1>Contact ban covers messages sent through others</h1>
      <div class="press-release__body"><div class="text-section">{as_paragraphs(text)}</div>
      <div class="text-section text-section--file-number"><p><strong>{file_number}</strong></p></div>
      <div class="text-section text-section--legal-note"><h2>The law</h2>{as_paragraphs(note)}</div>
      </div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://olg-wesertal.example/presse/pm-41-2025.html")
    assert fields.paragraphs == [*text, file_number, "The law", *note]


def test_a_date_line_right_above_the_title_dates_the_release() -> None:
    # "Press release No. 41/2025 of 16.07.2025" as the line above the heading, the text right under it
    html = f"""<html><body><article><p class="press-release__number">Pressemitteilung Nr. 41/2025 vom 16.07.2025</p>
      <h1>Kontaktverbot gilt auch für Nachrichten über Dritte</h1>
      <p>{PARA.format(city="Wesertal", thing="contact bans")}</p></article>
      <aside><ul><li>09.07.2025 Familiensenat zur Umgangsregelung</li></ul></aside></body></html>"""
    fields = extract_article(parse_html(html), "https://olg-wesertal.example/presse/pm-41-2025.html")
    assert ("byline", "Pressemitteilung Nr. 41/2025 vom 16.07.2025") in fields.dates


def test_a_subheading_whose_class_names_a_sticky_navbar_is_text_but_a_left_nav_is_not() -> None:
    # Docusaurus classes its subheadings "anchor anchorWithStickyNavbar_LWe7" (the scroll offset)
    paragraphs = [PARA.format(city=city, thing="field surveys") for city in ("Tarbes", "Pau", "Auch")]
    html = f"""<html><body><div class="leftnav"><p>Receive our notices by e-mail as soon as they are out.</p></div>
      <article><h1>How we cut sync time</h1><div class="markdown"><p>{paragraphs[0]}</p>
      <h2 class="anchor anchorWithStickyNavbar_LWe7" id="where">Where the time went<a class="hash-link" href="#where">​</a></h2>
      <p>{paragraphs[1]}</p><p>{paragraphs[2]}</p></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://heronry.example/blog/sync-time")
    # the anchor link's zero-width space is no part of the heading
    assert fields.paragraphs == [paragraphs[0], "Where the time went", *paragraphs[1:]]


def test_a_video_players_title_inside_the_body_is_not_text() -> None:
    paragraphs = [PARA.format(city=city, thing="sentencing") for city in ("Ashcombe", "Northvale", "Kingsbridge")]
    html = f"""<html><body><article><h1>Villagers react to the sentencing</h1><div class="article__body">
      <p>{paragraphs[0]}</p><div class="video-player" data-video-provider="brightcove"><div class="video-player__placeholder">
      <img src="/v.jpg" alt=""><button>Play</button><p class="video-player__title">Watch: villagers react to the sentencing</p>
      </div></div><p>{paragraphs[1]}</p><p>{paragraphs[2]}</p></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://northvale.example/news/crime/sentencing-1.58213960")
    assert fields.paragraphs == paragraphs


def test_a_caption_set_as_a_paragraph_under_its_picture_is_not_text() -> None:
    paragraphs = [PARA.format(city=city, thing="protection orders") for city in ("Chirchiq", "Angren", "Olmaliq")]
    html = f"""<html><body><h1>Protection orders doubled in Tashkent region</h1><div class="single-content">
      <div class="single-content__photo"><img src="/p.jpg" alt="">
        <p class="single-content__caption">Press conference, 12 November. Photo: Tong Xabar / Jasur Aliyev</p></div>
      {as_paragraphs(paragraphs)}</div></body></html>"""
    fields = extract_article(parse_html(html), "https://tongxabar.example/news/2025/11/12/orders", html=html)
    assert fields.paragraphs == paragraphs


def test_a_block_classed_as_the_headline_heads_a_page_without_heading_tags() -> None:
    # an old template: the headline a styled <p>, the <title> only the release's number; a menu's
    # section heading so classed comes first and is not it
    html = f"""<html><head><title>Press release No. 37/2024 - City of Rosenbach</title></head><body>
      <div class="menu"><div class="headline mobile_open_menu">Roskilde district news</div></div>
      <p class="Ueberschrift-1"><span style="font-size: 22px; font-weight: bold">Station Road closed from 2 April</span></p>
      <p>{PARA.format(city="Rosenbach", thing="road works")}</p></body></html>"""
    fields = extract_article(parse_html(html), "https://rosenbach.example/pm-37-2024.html", html=html)
    assert (fields.title, fields.title_from) == ("Station Road closed from 2 April", "a block classed as the headline")


def test_a_news_title_classed_block_outweighs_the_sites_name_the_title_and_banner_show() -> None:
    # ASP.NET in layout tables: the <title> "<site> - News Release", the site's name in the banner's
    # cell, the headline a <span class="newsTitle">, the release's date a "Release Date:" label
    html = f"""<html><head><title>Caney Fork County Sheriff's Office - News Release</title></head><body>
      <table><tr><td class="bannerCell"><span class="agencyName">Caney Fork County Sheriff's Office</span></td></tr>
      <tr><td><span class="newsTitle">Two Arrested in Catalytic Converter Thefts</span><br>
      <b>Release Date:</b> <span>1/9/2024</span> | <b>Release #:</b> <span>24-003</span><br>
      <span>{PARA.format(city="Sparta", thing="the thefts")}<br><br>{PARA.format(city="Baxter", thing="the arrests")}
      </span></td></tr></table></body></html>"""
    fields = extract_article(parse_html(html), "https://www.cfcso.example.gov/news.aspx?id=24-003", html=html)
    assert (fields.title, fields.title_from) == ("Two Arrested in Catalytic Converter Thefts", "a block classed as the headline")
    assert ("label", "1/9/2024 | Release #: 24-003") in fields.dates


def test_the_metadatas_title_set_as_a_styled_paragraph_outweighs_a_sections_h1() -> None:
    # Divi: the section's name the <h1>, the headline a <p><strong> in a text module, as og:title has it
    html = f"""<html><head><title>Séjour à Londres : les 4e racontent - Collège Saint-Joseph</title>
      <meta property="og:title" content="Séjour à Londres : les 4e racontent"></head><body>
      <div class="et_pb_section"><h1>Actualités du collège</h1></div><div class="et_pb_text_inner">
      <p><span style="font-size: 26px"><strong>Séjour à Londres : les 4e racontent</strong></span></p>
      <p>{PARA.format(city="Londres", thing="the trip")}</p><p>{PARA.format(city="Lannion", thing="the return")}</p>
      </div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.college.example.fr/sejour-londres/", html=html)
    assert fields.title == "Séjour à Londres : les 4e racontent"


def test_a_post_title_block_opening_with_the_metadatas_title_outweighs_a_sections_h1() -> None:
    # Webflow: the hero's <h1> the journal's name, the headline a <div class="post-title">; the
    # <title> a shorter form of it
    html = f"""<html><head><title>Traversée du Vercors en 4 jours | Les Randonneurs du Pilat</title></head><body>
      <div class="hero"><h1 class="heading-hero">Le Journal du Club</h1></div><div class="post-wrapper">
      <div class="post-title">Traversée du Vercors en 4 jours : le récit des douze marcheurs</div>
      <div class="w-richtext"><p>{PARA.format(city="Corrençon", thing="the crossing")}</p></div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.randonneurs.example.fr/journal/traversee-vercors", html=html)
    assert fields.title == "Traversée du Vercors en 4 jours : le récit des douze marcheurs"


def test_a_sections_h1_opening_the_title_yields_to_the_h2_that_closes_it() -> None:
    # Joomla 4: the menu item's heading "Noticias del centro" the <h1>, the <title> "<h1> – <headline>"
    html = f"""<html><head><title>Noticias del centro – Semana de la Ciencia en el colegio</title></head><body>
      <main><h1>Noticias del centro</h1><div class="com-content-article"><h2>Semana de la Ciencia en el colegio</h2>
      <p>{PARA.format(city="Zaragoza", thing="the science week")}</p></div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.ceip.example.es/noticias/semana-ciencia", html=html)
    assert fields.title == "Semana de la Ciencia en el colegio"


def test_an_h2_classed_as_the_news_items_title_outweighs_the_sites_name_in_the_banner() -> None:
    # ASP.NET: the <title> "News - <office>", the office's name in the banner's spans, the headline
    # an <h2 class="news-detail-title">, as Bitrix names it too
    html = f"""<html><head><title>Мэдээ мэдээлэл - Улаанбаатар хотын Захирагчийн ажлын алба</title></head><body>
      <div id="header"><div class="header-title"><span>УЛААНБААТАР ХОТЫН</span> <span>ЗАХИРАГЧИЙН АЖЛЫН АЛБА</span>
      </div></div><div class="content"><h2 class="news-detail-title"><span>Хаврын их цэвэрлэгээ эхэлнэ</span></h2>
      <p>{PARA.format(city="Ulaanbaatar", thing="the spring clean-up")}</p></div></body></html>"""
    fields = extract_article(parse_html(html), "https://ub.example.mn/News/Detail.aspx?id=7812", html=html)
    assert fields.title == "Хаврын их цэвэрлэгээ эхэлнэ"


def test_a_title_that_is_only_the_logos_name_yields_to_the_first_h2_of_the_page() -> None:
    # ASP.NET WebForms: the <title> is the court's name, as the logo's picture in the link home
    # ("Default.aspx?lang=ru") says it; the headline an <h2>
    html = f"""<html><head><title>Верховный суд Туркменистана</title></head><body><table><tr><td>
      <a href="Default.aspx?lang=ru"><img src="Images/header_ru.png" alt="Верховный суд Туркменистана"></a></td></tr>
      <tr><td><span><h2 class="news-detail-title">Подведены итоги работы судов за девять месяцев</h2></span>
      <p>{PARA.format(city="Ashgabat", thing="the courts' work")}</p><p>{PARA.format(city="Mary", thing="appeals")}</p>
      </td></tr></table></body></html>"""
    fields = extract_article(parse_html(html), "https://www.supremecourt.example.tm/NewsDetail.aspx?id=1372&lang=ru", html=html)
    assert fields.title == "Подведены итоги работы судов за девять месяцев"


def test_an_h1_only_a_screen_reader_reads_is_no_headline() -> None:
    # Liferay: <h1 class="hide-accessible">Navigaatio</h1> over the menu, another naming the section,
    # and the headline a <p class="component-title">, as the <title> has it
    html = f"""<html><head><title>Uimarannat avautuvat kesäkuun alussa - Hämeenlinna</title>
      <meta property="og:site_name" content="Hämeenlinna"></head><body><nav><h1 class="hide-accessible">Navigaatio</h1>
      <ul><li><a href="/asuminen">Asuminen</a></li></ul></nav><main><h1 class="hide-accessible">Ajankohtaista</h1>
      <div class="journal-content-article"><p class="component-title h4">Uimarannat avautuvat kesäkuun alussa</p>
      <p>{PARA.format(city="Hämeenlinna", thing="the beaches")}</p></div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.hameenlinna.example.fi/uutiset/uimarannat", html=html)
    assert fields.title == "Uimarannat avautuvat kesäkuun alussa"


def test_a_title_piece_the_page_shows_as_a_block_is_the_headline_without_the_sites_name() -> None:
    # an old portal: no <h1>, the headline in a table cell, the <title> adding the site's name
    html = f"""<html><head><title>Police officer sentenced for extortion :: News of Central Kazakhstan</title></head>
      <body><table><tr><td class="ntitle"><b>Police officer sentenced for extortion</b></td></tr>
      <tr><td>{PARA.format(city="Karaganda", thing="anti-corruption cases")}</td></tr></table></body></html>"""
    fields = extract_article(parse_html(html), "https://nck.kz/news/12345", html=html)
    assert (fields.title, fields.title_from) == (
        "Police officer sentenced for extortion",
        "a piece of the <title>, as the page shows it",
    )


@pytest.mark.parametrize("label", ["Advertisement", "ADVERTISEMENT", "Anzeige", "Реклама"])
def test_a_labelled_advertisement_in_the_body_is_not_text_but_a_menu_link_so_named_stays(label: str) -> None:
    # an ad slot between paragraphs, its classes hashed: only its label says what it is
    paragraphs = [PARA.format(city=city, thing="trial monitoring") for city in ("Osh", "Naryn", "Talas", "Batken")]
    html = f"""<html><body><nav><a href="/advertise"><span>{label}</span></a></nav><article>
      <div class="head"><span>{label}</span><h1>Trial monitors report</h1><time datetime="2024-03-12">12 March 2024</time></div>
      <div class="css-1q2w3e4"><p>{paragraphs[0]}</p><p>{paragraphs[1]}</p>
      <div class="css-ad0x1y"><span class="css-lbl">{label}</span><div>Trade smarter with zero commission.</div></div>
      <p>{paragraphs[2]}</p><table><tr><td><span>{label}</span></td><td>41%</td></tr></table><p>{paragraphs[3]}</p></div>
      </article></body></html>"""
    tree = parse_html(html)
    fields = extract_article(tree, "https://ledger.asia/world/trial-monitors", html=html)
    # the ad goes; a sponsor's label beside the headline, a table's row and a menu's link stay
    assert fields.paragraphs == [*paragraphs[:3], f"{label} 41%", paragraphs[3]]
    assert fields.title == "Trial monitors report" and ("time", "2024-03-12") in fields.dates
    assert text_of(tree.find(".//nav")) == label


def test_a_timestamp_shown_as_the_local_day_is_a_voice_of_its_own_but_another_date_order_is_not() -> None:
    def dates(stamp: str, shown: str) -> list[tuple[str, str]]:
        html = (
            f"<html><body><article><time datetime='{stamp}'>{shown}</time><h1>Courts open</h1></article></body></html>"
        )
        return extract_article(parse_html(html), "https://kaktus.kg/ky/courts-open", html=html).dates

    assert ("byline", "4-июнь 2024, 00:40") in dates("2024-06-03T18:40:00Z", "4-июнь 2024, 00:40")
    # a US page's 06/03/2024 is not read as 6 March, a day the stamp does not touch
    assert [p for p, _ in dates("2024-06-03T14:00:00Z", "06/03/2024")] == ["time"]
    # a date in a language read here, and one not read (Greek): the clock time beside it tells the day
    assert ("byline", "2 novembre 2025, 00:30") in dates("2025-11-01T23:30:00.000Z", "2 novembre 2025, 00:30")
    assert ("byline", "2025-11-02") in dates("2025-11-01T23:30:00.000Z", "2 Νοεμβρίου 2025, 00:30")


def test_a_table_in_a_figure_is_text_but_code_beside_its_line_numbers_is_not() -> None:
    # WordPress's table block wraps its table in a <figure>; Octopress sets code out in a table
    rows = "".join(f"<tr><td>{month}</td><td>{kwh}</td><td>Snow on the panels for {days} days</td></tr>"
                   for month, kwh, days in (("January", 41, 11), ("February", 63, 4)))  # fmt: skip
    html = f"""<html><body><article><h1>A year of solar power</h1><div class="entry-content">
      <p>{PARA.format(city="Kassel", thing="balcony solar panels")}</p>
      <figure class="wp-block-table"><table><tbody>{rows}</tbody></table><figcaption>Our yield</figcaption></figure>
      <figure class="code"><table><tr><td class="gutter"><pre>1</pre></td><td><pre>print(1)</pre></td></tr></table></figure>
      <p>{PARA.format(city="Fulda", thing="battery storage")}</p></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://sonnenblog.de/2024/05/ein-jahr-solar/", html=html)
    assert fields.paragraphs == [
        PARA.format(city="Kassel", thing="balcony solar panels"),
        "January 41 Snow on the panels for 11 days",
        "February 63 Snow on the panels for 4 days",
        PARA.format(city="Fulda", thing="battery storage"),
    ]


def test_the_pages_own_classes_do_not_make_its_heading_a_dialogs() -> None:
    # the Cookie Notice plugin and Twenty Twenty class the <body> "cookies-not-set", "showing-comments"
    html = """<html><head><meta property="og:title" content="Courts to open their hearings"></head>
      <body class="cookies-not-set showing-comments enable-search-modal"><article><h1>Open courts, a year on</h1>
      <p>The court heard the first cases under the new procedure in Almaty this week.</p></article></body></html>"""
    assert extract_article(parse_html(html), "https://news.example.org/d").title == "Open courts, a year on"


@pytest.mark.parametrize("kind", ["OpinionNewsArticle", "ScholarlyArticle", "PressRelease"])
def test_a_script_rendered_page_is_read_from_the_json_ld_of_any_kind_of_article(kind: str) -> None:
    # the page is an empty shell the browser fills in; schema.org's kinds of Article state the text
    body = PARA.format(city="Bishkek", thing="legal aid")
    ld = {"@context": "https://schema.org", "@type": kind, "headline": "Legal aid for all",
          "datePublished": "2025-03-14T09:00:00+06:00", "articleBody": f"{body}\n\n{body}"}  # fmt: skip
    html = f"""<html><head><script type="application/ld+json">{{"@type": "WebPage", "name": "News"}}</script>
      <script type="application/ld+json">{json.dumps(ld)}</script></head>
      <body><div id="app"><h1>Legal aid for all</h1></div><script>window.__STATE__ = {{}};</script></body></html>"""
    fields = extract_article(parse_html(html), "https://news.example.org/opinion/legal-aid", html=html)
    assert (fields.body_from, fields.paragraphs) == ("jsonld", [body, body])
    assert fields.dates == [("meta", "2025-03-14T09:00:00+06:00")]  # what the page states of itself


def test_a_standfirst_out_of_the_structures_reach_is_taken_from_trafilaturas_reading() -> None:
    # a share kit of drawn icons between the headline's deck and the body: the deck is past the
    # elements a standfirst is looked for in, and trafilatura's reading, asked about the short
    # body, has it before the body's first line
    deck = "A rocky island, once stripped of its courts by a century of neglect, makes a quick comeback. What is the secret?"
    icons = "".join(f'<a class="share__{n}"><svg viewBox="0 0 24 24"><path d="M{n} 0h2z"></path><path d="M0 {n}h2z"></path></svg></a>'
                    for n in range(80))  # fmt: skip
    body = [PARA.format(city=city, thing=thing) for city, thing in (("Osh", "bail"), ("Naryn", "fines"), ("Talas", "appeals"))]
    html = f"""<html><body><header class="masthead"><a href="/">Daily</a></header><main><article class="node">
      <div class="hl"><div class="hl__tag"><a href="/justice">Justice</a></div><h1 class="hl__title">Goats ruled this island</h1>
      <div class="hl__deck"><h2 class="hl__text">{deck}</h2></div></div><div class="sharekit">{icons}</div>
      <div class="body">{as_paragraphs(body)}</div></article></main><footer>© Daily</footer></body></html>"""
    fields = extract_article(parse_html(html), "https://news.example.org/2020/01/goats-ruled-this-island", html=html)
    assert fields.paragraphs == [deck, *body]


def test_the_pages_own_classes_do_not_keep_its_standfirst_out() -> None:
    # "section-in-nav" on the <body> says where the page sits in the site's menu, not that all of it is one
    deck = "Prosecutors have brought such cases before. But a court would find it hard to prove the charge, lawyers say."
    body = [PARA.format(city=city, thing=thing) for city in ("Osh", "Naryn", "Talas", "Batken", "Karakol") for thing in ("bail", "fines")]
    html = f"""<html><body class="pageFrame section-in-nav"><main><article><header class="article_header">
      <h1 class="headline">Is a foul a crime?</h1><h2 class="sub-head">{deck}</h2></header>
      <div class="column"><div class="snippet">{as_paragraphs(body)}</div></div></article></main></body></html>"""
    fields = extract_article(parse_html(html), "https://news.example.org/articles/is-a-foul-a-crime-11574121884", html=html)
    assert fields.paragraphs == [deck, *body]


def test_a_share_kits_drawn_icons_do_not_put_the_standfirst_out_of_reach() -> None:
    deck = "A rocky island, once stripped of its courts by a century of neglect, makes a quick comeback. What is the secret?"
    icons = "".join(f'<a class="share__{n}"><svg viewBox="0 0 24 24"><path d="M{n} 0h2z"></path><path d="M0 {n}h2z"></path></svg></a>'
                    for n in range(80))  # fmt: skip
    body = [PARA.format(city=city, thing=thing) for city in ("Osh", "Naryn", "Talas", "Batken", "Karakol") for thing in ("bail", "fines")]
    html = f"""<html><body><main><article><div class="hl"><h1 class="hl__title">Goats ruled this island</h1>
      <div class="hl__deck"><h2 class="hl__text">{deck}</h2></div></div><div class="sharekit">{icons}</div>
      <div class="body">{as_paragraphs(body)}</div></article></main></body></html>"""
    fields = extract_article(parse_html(html), "https://news.example.org/2020/01/goats-ruled-this-island", html=html)
    assert (fields.body_from, fields.paragraphs) == ("structure", [deck, *body])


def test_a_date_line_that_says_when_the_page_changed_is_no_byline_but_stands_in_when_nothing_else_does() -> None:
    body = f"<p>{PARA.format(city='Kassel', thing='battery storage')}</p>"
    changed = '<div class="documentByLine">von Henrike Vogt — zuletzt verändert 08.02.2024 14:35</div>'
    html = f"<html><body><article><h1>Salt water batteries</h1>{changed}{body}</article></body></html>"
    fields = extract_article(parse_html(html), "https://www.zaen.example.de/presse/salzwasser-batterie", html=html)
    assert not any(provenance == "byline" for provenance, _ in fields.dates)
    assert ("updated", "von Henrike Vogt — zuletzt verändert 08.02.2024 14:35") in fields.dates
    # "Published …, updated …": the first date is the publication's, and the line says so
    html = html.replace(changed, '<p class="post-date">Published 5 February 2024, updated 8 February 2024</p>')
    fields = extract_article(parse_html(html), "https://www.zaen.example.de/presse/salzwasser-batterie", html=html)
    assert ("label", "Published 5 February 2024, updated 8 February 2024") in fields.dates


def test_an_exhibitions_days_under_its_title_are_not_the_pages_date() -> None:
    # "Du <time>18 octobre 2024</time> au <time>2 février 2025</time>": one line, a span of days
    html = f"""<html><head><meta property="article:published_time" content="2024-09-10T09:30:00+02:00"></head>
      <body><article><h1>Lumières du Nord</h1><div class="field--name-field-dates">Du <time datetime="2024-10-18T12:00:00Z"
      >18 octobre 2024</time> au <time datetime="2025-02-02T12:00:00Z">2 février 2025</time></div>
      <p>{PARA.format(city="Lille", thing="museum loans")}</p></article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.musee.example.fr/fr/expositions/lumieres-du-nord", html=html)
    assert not any(provenance == "byline" for provenance, _ in fields.dates)


@pytest.mark.parametrize(
    "replies",
    [
        '<div class="responses"><h2>Responses (7)</h2><div class="response"><span class="response-date">Feb 12, 2024</span>'
        "<p>Read it in two days.</p></div></div>",  # Medium
        '<section class="webmentions"><ol class="wm-replies"><li class="wm-reply"><time class="wm-date" '
        'datetime="2024-02-12T09:20:00Z">Feb 12, 2024</time> Nice post</li></ol></section>',  # a blog's webmentions
    ],
)
def test_replies_under_a_post_are_not_its_byline_nor_its_time(replies: str) -> None:
    html = f"""<html><head><meta property="article:published_time" content="2024-02-11T18:26:09Z"></head><body><article>
      <h1>A review</h1><p>{PARA.format(city="Zaragoza", thing="the library")}</p></article>{replies}</body></html>"""
    fields = extract_article(parse_html(html), "https://medium.example.com/@ana/a-review-4b2e9a1c7d3f", html=html)
    assert fields.dates == [("meta", "2024-02-11T18:26:09Z")]


@pytest.mark.parametrize(
    ("lead_block", "lead"),
    [
        # Plone's description field, bare text in a <div>
        ('<div class="documentDescription">{d} The cells could make storage cheaper.</div>', ["{d} The cells could make storage cheaper."]),
        # Sitecore's key points, a list
        ('<div class="press-highlights"><ul><li>{d}</li><li>The plant will employ 450 people while it is built.</li></ul></div>',
         ["• {d}", "• The plant will employ 450 people while it is built."]),
    ],
)  # fmt: skip
def test_a_lead_set_apart_in_a_block_of_any_class_is_read_when_the_pages_description_repeats_it(
    lead_block: str, lead: list[str]
) -> None:
    described = "Researchers have built a salt water battery that keeps nine tenths of its capacity after 5,000 cycles."
    body = [PARA.format(city=city, thing=thing) for city in ("Osh", "Naryn", "Talas", "Batken", "Karakol") for thing in ("bail", "fines")]
    html = f"""<html><head><meta name="description" content="{described}"></head><body><main><article>
      <h1>Salt water battery</h1><div class="byline">von Henrike Vogt</div>{lead_block.format(d=described)}
      <div id="content-core">{as_paragraphs(body)}</div></article></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.zaen.example.de/presse/salzwasser-batterie", html=html)
    assert fields.paragraphs == [line.format(d=described) for line in lead] + body


def test_a_date_line_under_the_heading_keeps_htmldates_guess_out() -> None:
    # an old table layout: the news column's dates are no less prominent than the article's own
    news = "".join(f'<tr><td><span class="fecha_peq">0{day}/10/2024</span><br><a href="/noticia.php?id={day}">Otra noticia {day}</a></td></tr>'
                   for day in (2, 3, 4))  # fmt: skip
    html = f"""<html><body><table><tr><td><h1>Mochilas solidarias 2024</h1>
      <font size="1">ACTUALIZACIÓN DE CAMPAÑA · 15/10/2024</font><p>{PARA.format(city="Sevilla", thing="school bags")}</p>
      <p>{PARA.format(city="Cádiz", thing="volunteers")}</p></td><td><table>{news}</table></td></tr></table></body></html>"""
    fields = extract_article(parse_html(html), "https://www.asociacion.example.es/noticia.php?id=421", html=html)
    assert fields.dates == [("byline", "ACTUALIZACIÓN DE CAMPAÑA · 15/10/2024")]


def test_a_quote_between_two_parts_of_the_body_is_read_with_its_speakers_line_under_it() -> None:
    # Drupal's Paragraphs: text, quote, text entities side by side; the speaker's name in a field of its own
    parts = [[PARA.format(city=city, thing=thing) for thing in ("bail", "fines", "appeals")] for city in ("Boxtel", "Oss")]
    quote = ('<blockquote class="quote"><div class="field--name-field-citaat">Many of them have worked here for thirty years. '
             'This hits hard.</div><div class="field--name-field-bron">Marieke Dekkers, FNV</div></blockquote>')  # fmt: skip
    items = [f'<div class="paragraph--type--tekst">{as_paragraphs(part)}</div>' for part in parts]
    html = f"""<html><body><article><h1>Meat plant to close its boning hall</h1><div class="field__items">
      <div class="field__item">{items[0]}</div><div class="field__item"><div class="paragraph--type--citaat">{quote}</div></div>
      <div class="field__item">{items[1]}</div></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.omroep.example.nl/nieuws/vleesverwerker-boxtel", html=html)
    assert fields.paragraphs == [*parts[0], "Many of them have worked here for thirty years. This hits hard.",
                                 "Marieke Dekkers, FNV", *parts[1]]  # fmt: skip


def test_a_plan_set_line_by_line_with_breaks_under_its_subheading_is_read_as_lines() -> None:
    # Wix's rich content viewer: each block of the post in a wrapper of its own, a plan as one <div> of lines
    paragraphs = [PARA.format(city=city, thing="balcony tomatoes") for city in ("Freiburg", "Basel", "Colmar")]
    plan = ["Mid March: sow on the windowsill", "Late April: prick out and harden off", "After mid May: into the tub"]
    blocks = [f'<p class="mm8Nw">{p}</p>' for p in paragraphs[:2]] + [
        '<h2 class="mm8Nw _3f-vr"><strong>My plan for the season</strong></h2>',
        f'<div class="mm8Nw _2aQ4z"><span>{"<br>".join(plan)}</span></div>', f'<p class="mm8Nw">{paragraphs[2]}</p>',
    ]  # fmt: skip
    html = f"""<html><body><article><h1>Tomatoes in a tub</h1><div class="ricos">
      {"".join(f'<div id="viewer-{n}">{block}</div>' for n, block in enumerate(blocks))}</div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.balkongarten.example.de/post/tomaten-im-kuebel", html=html)
    assert fields.paragraphs == [*paragraphs[:2], "My plan for the season", *plan, paragraphs[2]]


def test_a_line_break_in_the_markups_text_is_a_space_as_a_browser_shows_it() -> None:
    html = '<div>Du <time datetime="2024-10-18">18\n      octobre 2024</time> au\n2 février 2025<br>Entrée libre</div>'
    assert block_lines(parse_html(html)) == ["Du 18 octobre 2024 au 2 février 2025", "Entrée libre"]
    # but a <pre> keeps its lines
    assert block_lines(parse_html("<div><pre>cargo add csv\ncargo add serde</pre></div>")) == ["cargo add csv", "cargo add serde"]



def test_an_accordions_questions_in_their_headings_buttons_are_read_with_the_answers() -> None:
    # WAI-ARIA's accordion: <h3><button aria-expanded>question</button></h3>, then the answer's panel
    faq = [("¿Qué es la tarjeta sanitaria digital?", PARA.format(city="Sevilla", thing="digital health cards")),
           ("¿Qué pasa si pierdo el móvil?", PARA.format(city="Málaga", thing="lost phones"))]  # fmt: skip
    items = "".join(f'<div class="faq"><h3><button type="button" aria-expanded="false">{q}</button></h3>'
                    f'<div class="panel" hidden><p>{a}</p></div></div>' for q, a in faq)  # fmt: skip
    intro = [PARA.format(city=city, thing="the new card") for city in ("Córdoba", "Jaén", "Huelva")]
    html = f"""<html><body><article><h1>La tarjeta sanitaria digital, en diez preguntas</h1><div class="body">
      {as_paragraphs(intro)}{items}<button>Compartir</button></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.diario.example.es/salud/tarjeta-sanitaria-digital-preguntas", html=html)
    assert fields.paragraphs == [*intro, *(line for pair in faq for line in pair)]


JAPANESE = "富山市は十五日、市中心部に路面電車の新たな停留場を整備すると発表した。来年春の開業を目指し、事業費は約十二億円。"


def test_a_japanese_release_of_a_few_hundred_characters_is_long_enough_to_keep_its_own_reading() -> None:
    # 400 characters of Japanese say what 1,200 Latin letters do: the body is not handed to
    # trafilatura's reading, which takes the "latest news" list after it for more text
    body = [f"{JAPANESE}（{n}）" for n in range(6)] + ["市は今月下旬から説明会を開く。"]
    latest = "".join(f"<div class='item'>高岡で住宅火災 木造二階建て全焼、けが人なし{n} 3月18日 08:41</div>" for n in range(12))
    html = f"""<html><body><div id="main"><h1>富山市、中心部に路面電車の新停留場</h1><div class="kiji_honbun">
      {as_paragraphs(body)}</div><div class="shinchaku"><h2>社会の新着記事</h2>{latest}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.hokuchu.example.jp/news/article.php?id=20240315-117402", html=html)
    assert (fields.body_from, fields.paragraphs) == ("structure", body)


def test_related_stories_and_an_advert_labelled_in_the_pages_language_are_not_the_text() -> None:
    body = [f"{JAPANESE}（{n}）" for n in range(6)]
    html = f"""<html><body><div id="main"><h1>富山市、中心部に路面電車の新停留場</h1><div class="kiji_honbun">
      {as_paragraphs(body[:3])}
      <div class="kiji_kanren_inline"><p class="ttl">関連記事</p><ul><li><a href="/n/116920">路面電車の南北接続から4年、利用者数はコロナ前の9割に回復</a>
      <span class="date">（2月28日）</span></li></ul></div>
      <div class="ad_inread"><div id="div-gpt-rect1"></div><p class="ad_label">広告</p></div>
      {as_paragraphs(body[3:])}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.hokuchu.example.jp/news/article.php?id=20240315-117402", html=html)
    assert fields.paragraphs == body


def test_a_standfirst_between_a_heading_and_an_article_element_after_it_opens_the_text() -> None:
    # VnExpress: the headline and its description above <article class="fck_detail">, all in the
    # main column "sidebar-1"; a page header's one-line description of its author is no standfirst
    description = "From 15 June five new electric bus routes will link the western districts with the centre, at the usual fare."
    body = [PARA.format(city=city, thing=thing) for city in ("Hanoi", "Ha Dong", "Nam Tu Liem", "Thanh Xuan", "Cau Giay")
            for thing in ("electric buses", "bus fares")]  # fmt: skip
    html = f"""<html><body><section class="section page-detail"><div class="sidebar-1"><h1 class="title-detail">Five new
      electric bus routes</h1><p class="description">{description}</p><article class="fck_detail">
      {"".join(f'<p class="Normal">{p}</p>' for p in body)}</article></div><div class="sidebar-2"><p>Most read</p></div>
      </section></body></html>"""
    fields = extract_article(parse_html(html), "https://vnexpress.example.net/ha-noi-mo-them-5-tuyen-xe-buyt-dien-4754102.html", html=html)
    assert fields.paragraphs == [description, *body]
    byline = '<p class="page-header__description">Press and information team of the Delegation</p>'
    html = html.replace(f'<p class="description">{description}</p>', byline)
    assert extract_article(parse_html(html), "https://vnexpress.example.net/x-4754102.html", html=html).paragraphs == body


def test_an_old_court_sites_headline_in_a_table_cell_beats_the_sites_name_in_its_header() -> None:
    # the <title> "Court - News - Headline" has both pieces shown: the court's name in the header's
    # cell, the headline in a cell of the news table, which og:title repeats whole
    headline = "Дар Суди шаҳри Душанбе семинар оид ба баррасии парвандаҳо баргузор гардид"
    html = f"""<html><head><title>Суди шаҳри Душанбе - Хабарҳо - {headline}</title>
      <meta property="og:title" content="{headline}"></head><body><table><tr><td><font size="4">Суди шаҳри Душанбе</font></td></tr>
      <tr><td class="zagolovok">{headline}</td></tr><tr><td><font size="1">Санаи нашр: 05 ноябри 2025 &nbsp; Шумораи боздидҳо: 412</font></td></tr>
      <tr><td>{PARA.format(city="Dushanbe", thing="domestic violence cases")}</td></tr></table></body></html>"""
    fields = extract_article(parse_html(html), "https://court.example.tj/news.php?id=1192&lang=tj", html=html)
    assert fields.title == headline
    assert fields.dates[0] == ("label", "05 ноябри 2025 Шумораи боздидҳо: 412")  # "date of publication", in Tajik


def test_the_top_bars_date_of_today_is_no_byline() -> None:
    html = f"""<html><head><meta property="article:published_time" content="2025-12-01T20:45:00+00:00"></head><body>
      <div class="topbar"><div class="topbar__date">03 dekabr 2025, çərşənbə</div></div><div class="content"><h1>Müraciətlər artıb</h1>
      <div class="fs-meta"><span class="fs-date">02 dekabr 2025, 00:45</span> <span>Cəmiyyət</span> <span>Baxış: 2 947</span>
      <span>Müəllif: Aytac Quliyeva</span></div><p>{PARA.format(city="Baku", thing="protection orders")}</p></div></body></html>"""
    fields = extract_article(parse_html(html), "https://gundem.example.az/cemiyyet/41877-muracietler.html", html=html)
    assert [parse_date(value) for provenance, value in fields.dates if provenance == "byline"] == [date(2025, 12, 2)]


def test_a_lead_set_apart_as_bare_text_in_its_own_block_opens_the_text() -> None:
    lead = "The ministry will issue protection orders in electronic form across the country from 1 October."
    body = [PARA.format(city=city, thing="protection orders") for city in ("Tashkent", "Samarkand", "Bukhara")]
    html = f"""<html><body><div class="news-single"><h1 class="news-single__title">Protection orders go electronic</h1>
      <div class="news-single__lead">{lead}</div><div class="news-single__content">{as_paragraphs(body)}</div>
      </div></body></html>"""
    fields = extract_article(parse_html(html), "https://iiv.example.uz/uz/news/himoya-orderlari-elektron", html=html)
    assert fields.paragraphs == [lead, *body]


@pytest.mark.parametrize(
    "inset",
    [
        '<div class="VideoEmbed_wrap__n5HgR"><div class="VideoEmbed_player__aR9tM"></div>'
        '<p class="VideoEmbed_title__Fh2dS">Watch: Inside the bridge restoration, 74 metres above the river</p></div>',
        '<div class="ce-video-embed"><p class="player-title">Video: Drone footage shows the extent of the flooding</p></div>',
        '<div class="whatsapp-follow"><p>Follow The Deccan Ledger on WhatsApp for the latest Bengaluru updates. '
        '<a href="https://whatsapp.com/channel/1">Join now</a></p></div>',
        '<div class="kg-card kg-signup-card"><h2 class="kg-signup-card-heading">Get Tidelines in your inbox</h2>'
        '<p class="kg-signup-card-subheading">Stories about our people, research and campus life, twice a month.</p></div>',
    ],
)
def test_a_video_players_title_a_channels_invitation_and_a_sign_up_card_in_the_body_are_not_text(inset: str) -> None:
    body = [PARA.format(city=city, thing="river bridges") for city in ("Brisbane", "Ipswich", "Logan", "Redland")]
    html = f"""<html><body><article><h1>Bridge to close on ten weekends</h1><div class="body">
      {as_paragraphs(body[:2])}{inset}{as_paragraphs(body[2:])}</div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://news.example.com.au/2024/05/21/bridge-to-close", html=html)
    assert fields.paragraphs == body


def test_a_deck_after_the_lead_picture_and_its_caption_is_no_caption() -> None:
    deck = "Die Kosten für das geplante Hallenbad steigen von 18,5 auf voraussichtlich 28,1 Millionen Euro."
    body = [PARA.format(city=city, thing=thing) for city in ("Buchholz", "Tostedt", "Seevetal", "Winsen", "Jesteburg")
            for thing in ("swimming pools", "budgets")]  # fmt: skip
    html = f"""<html><body><article><h1 class="b-headline">Hallenbad wird zehn Millionen Euro teurer</h1>
      <figure class="b-lead-art"><img src="/bad.jpg" alt=""><figcaption>Das alte Hallenbad. Foto: H. Wulf</figcaption></figure>
      <h2 class="b-subheadline">{deck}</h2><div class="b-article-body">{as_paragraphs(body)}</div>
      </article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.kreiszeitung.example.de/lokales/buchholz/hallenbad-2024-05-14/", html=html)
    assert fields.paragraphs == [deck, *body]


def test_an_update_line_showing_the_metadatas_utc_stamp_at_local_time_gives_the_readers_day() -> None:
    # a broadcaster shows only "Stand:" beside a stamp two hours behind, just past midnight
    html = f"""<html><head><meta property="article:published_time" content="2024-05-22T22:20:00Z"></head><body><article>
      <h1>Unwetter im Norden</h1><p class="metatextline">Stand: 23.05.2024 00:20 Uhr</p>
      <p>{PARA.format(city="Kiel", thing="storm damage")}</p></article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.ndr.example.de/nachrichten/unwetter-kiel-100.html", html=html)
    assert ("byline", "Stand: 23.05.2024 00:20 Uhr") in fields.dates
    generic = Source(key="generic", name="generic", organisation="generic", family="generic", kind="listing",
                     start_urls=("https://example.org/",), allowed_hosts=())  # fmt: skip
    raw = RawRelease(source="generic", url="https://www.ndr.example.de/n.html", title=fields.title, text=fields.text,
                     dates=fields.dates)  # fmt: skip
    release = normalize_release(raw, generic, {}, date(2026, 12, 31))
    assert release.published is not None and release.published.value == date(2024, 5, 23)


def test_a_standfirst_beside_the_heading_in_the_pages_header_opens_the_text() -> None:
    # a news template's <header> (outside <main>) holds the picture, the date, the headline and its
    # lead, in a grid classed for its small picture; the body is in <main>
    lead = "An unusual visit: the synod of the reformed church met the foreign minister and the cardinal today."
    body = [PARA.format(city=city, thing=thing) for city in ("Bern", "Basel", "Zurich", "Geneva", "Lausanne")
            for thing in ("church synods", "diplomatic relations")]  # fmt: skip
    html = f"""<html><head><meta property="og:title" content="Ecumenism meets diplomacy at the synod"></head>
      <body><header class="site"><a href="/">EKS</a><nav><a href="/a">News</a></nav></header><header class="news-header"><div class="uk-grid ct-header-small-img"><figure><img src="/p.jpg"></figure>
      <p class="date">8 November 2021 | News</p><h1>Ecumenism meets diplomacy at the synod</h1><div class="uk-text-lead"><p>{lead}</p></div>
      </div></header><main class="ct-main">{as_paragraphs(body)}</main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.evref.example.ch/news/oekumene-trifft-diplomatie/", html=html)
    assert fields.paragraphs == [lead, *body]


def test_a_date_in_a_list_of_other_stories_beside_the_article_is_not_its_byline() -> None:
    # an ASP.NET page's right column: "Latest news" as a table of dates and links, no class saying so
    rows = "".join(f'<tr><td class="date">0{day}.10.2025</td><td><a href="/news/2025/10/story-{day}.html">Two new border '
                   f"liaison offices open in Tajikistan, part {day}</a></td></tr>" for day in (7, 8))  # fmt: skip
    html = f"""<html><body><div class="content"><h1>First instructors trained in gender-sensitive policing</h1>
      <p>{PARA.format(city="Tashkent", thing="police training")}</p></div><div class="right-column"><div class="box-news">
      <h3>Latest news</h3><table class="news-list">{rows}</table></div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.unodc.example.org/centralasia/ru/news/2025/10/police.html", html=html)
    assert not any(provenance == "byline" for provenance, _ in fields.dates)


def test_a_telegram_post_embedded_in_the_body_is_not_its_text() -> None:
    body = [PARA.format(city=city, thing="police conduct") for city in ("Shymkent", "Turkestan", "Kentau", "Arys")]
    post = ('<blockquote class="telegram-post" data-telegram-post="shamal_news/18234"><div class="tgme_widget_message_text">'
            "Shymkent: a local officer refuses to take a beaten woman's complaint. Video from a subscriber.</div>"
            '<div class="tgme_widget_message_footer">20 August, 21:14</div></blockquote>')  # fmt: skip
    html = f"""<html><body><article><h1>Officer suspended after refusing a complaint</h1><div class="entry-content">
      {as_paragraphs(body[:2])}{post}{as_paragraphs(body[2:])}</div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://shamal.example.kz/2025/08/21/officer-suspended/", html=html)
    assert fields.paragraphs == body


@pytest.mark.parametrize(
    ("byline", "changed", "published"),
    [
        ("Julkaistu 8.11.2019 17:45 Päivitetty 9.11.2019 8:02", "2019-11-09", date(2019, 11, 8)),  # Finnish
        ("Publiceret 02.03.2021 06:00 Opdateret 03.03.2021 09:12", "2021-03-03", date(2021, 3, 2)),  # Danish
        ("Publisert 27.01.2023 00:05 Oppdatert 28.01.2023 10:41", "2023-01-28", date(2023, 1, 27)),  # Norwegian
        ("Publicado em 14/03/2023 23h10 Atualizado em 16/03/2023", "2023-03-16", date(2023, 3, 14)),  # Portuguese
    ],
)
def test_a_bylines_change_in_other_languages_outvotes_the_metadatas_change(byline: str, changed: str, published: date) -> None:
    # the metadata's date is the change's; the byline names both days
    body = [PARA.format(city=city, thing="the budget") for city in ("Hämeenlinna", "Janakkala", "Hattula")]
    html = f"""<html><head><meta name="dcterms.date" content="{changed}T08:02:00+02:00"></head><body><div class="node">
      <h1>Perusturva hakee säästöjä</h1><div class="byline">{byline}</div>
      <div class="field-body">{as_paragraphs(body)}</div></div></body></html>"""
    url = "https://www.lehti.example.fi/uutiset/perusturva-hakee-saastoja"
    assert generic_release(extract_article(parse_html(html), url, html=html), url).published.value == published


def test_a_byline_naming_its_date_the_publications_keeps_htmldates_guess_out() -> None:
    # Plone: "von … — veröffentlicht 29.06.2023 09:10, zuletzt verändert: 03.07.2023"; the metadata's
    # creation day, two days before, is what htmldate would read
    byline = "von Dr. Anke Thomsen — veröffentlicht 29.06.2023 09:10 , zuletzt verändert: 03.07.2023 14:22"
    html = f"""<html><head><meta name="DC.date.created" content="2023-06-27T11:05:02+01:00"></head><body><div id="content">
      <h1 class="documentFirstHeading">Neue Messstation am Deich</h1><p>{PARA.format(city="Husum", thing="dikes")}</p>
      <div class="documentByLine">{byline}</div>{as_paragraphs([PARA.format(city="Tönning", thing="floods")])}</div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.institut.example.de/aktuelles/messstation", html=html)
    assert fields.dates == [("label", byline), ("updated", "03.07.2023 14:22")]


def generic_release(fields, url: str):
    """The release normalisation makes of what the generic path read."""
    generic = Source(key="generic", name="generic", organisation="generic", family="generic", kind="listing",
                     start_urls=("https://example.org/",), allowed_hosts=())  # fmt: skip
    raw = RawRelease(source="generic", url=url, title=fields.title, text=fields.text, dates=fields.dates)
    return normalize_release(raw, generic, {}, date(2026, 12, 31))


def test_a_lead_asset_holding_a_video_player_is_not_the_articles_lead() -> None:
    # a broadcaster's "article__lead-asset": the player's title and caption, not a standfirst
    body = [PARA.format(city=city, thing="school transport") for city in ("Savannah", "Pooler", "Richmond Hill")]
    html = f"""<html><body><div class="article"><h1>School board raises bus driver pay</h1>
      <div class="article__lead-asset"><div class="video-player" data-title="Drivers wanted">
      <div class="video-player__title">Schools short 40 bus drivers</div>
      <div class="video-player__caption">The district is offering a signing bonus to get drivers behind the wheel.</div></div></div>
      <div class="article__body">{as_paragraphs(body)}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.wtv.example.com/article/news/bus-drivers/512-8d3f", html=html)
    assert fields.paragraphs == body


def test_a_pictures_source_line_in_a_body_set_in_br_lines_is_not_text() -> None:
    # a DataLife Engine story: the text loose in its block, lines set apart by <br>s, the picture's
    # source under it in a <div class="img-source">
    lines = [PARA.format(city=city, thing="road works") for city in ("Bishkek", "Osh", "Karakol", "Naryn", "Talas", "Batken", "Tokmok", "Jalal-Abad", "Balykchy", "Kant")]
    html = f"""<html><body><div id="dle-content"><h1>Chui Avenue closed for two months</h1><div class="fs-text">
      <div style="text-align:center"><img src="/uploads/chuy.jpg"></div><div class="img-source">Фото иллюстративное / Бишкек Пресс</div>
      {"<br><br>".join(lines)}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://press.example.kg/society/4821-chuy.html", html=html)
    assert fields.paragraphs == lines


def test_a_box_of_scores_pros_and_cons_closing_a_review_is_its_text() -> None:
    # the verdict of a review, in an <aside> right after the body: a table of scores, lists, a sentence
    body = [PARA.format(city=city, thing="board games") for city in ("Leeds", "York", "Hull")]
    html = f"""<html><body><main><h1>Cascadia review: a calm puzzle</h1><div class="review-body">{as_paragraphs(body)}</div>
      <aside class="scorebox"><table><tr><td>Components</td><td>9</td></tr><tr><td>Solo mode</td><td>8</td></tr></table>
      <h3>Pros</h3><ul><li>Rules you can teach in five minutes</li></ul><h3>Cons</h3><ul><li>Almost no interaction</li></ul>
      <p class="verdict">Verdict: buy it for the calm, stay for the puzzle.</p><a href="https://shop.example/x">Check price</a></aside>
      </main></body></html>"""
    fields = extract_article(parse_html(html), "https://cardcrunch.example.co.uk/reviews/cascadia/", html=html)
    assert fields.paragraphs[: len(body)] == body
    assert {"• Rules you can teach in five minutes", "Verdict: buy it for the calm, stay for the puzzle."} <= set(fields.paragraphs)


def test_an_old_pages_paragraphs_in_a_font_tag_are_its_body_and_its_posted_line_dates_it() -> None:
    # a hand-written page of tables and <font>s: the call-out's time in a table under the heading
    # is not the day the report was put online ("eingestellt am", after a rule)
    body = [PARA.format(city=city, thing="fire services") for city in ("Lindach", "Oberweiler", "Stetten", "Unterweiler", "Kreisstadt", "Mühlbach", "Hausen", "Au", "Tal")]
    html = f"""<html><body><table><tr><td class="menu"><a href="/">Startseite</a> <a href="/einsaetze.html">Einsätze</a></td>
      <td class="inhalt"><table><tr><td><font size="1"><a href="einsaetze_2016.html">&lt;&lt; zurück zur Einsatzübersicht 2016</a></font>
      <h1>Scheunenbrand in Unterweiler</h1><table><tr><td><b>Alarmierung:</b></td><td>Freitag, 22.07.2016, 01:47 Uhr</td></tr></table>
      <font face="Arial" size="2">{as_paragraphs(body)}</font><font size="1">Fotos: FF Lindach</font><hr>
      <font size="1">eingestellt am 24.07.2016 von Markus Huber (Pressewart)</font></td></tr></table></td></tr></table></body></html>"""
    fields = extract_article(parse_html(html), "https://www.ff-lindach.example.de/einsaetze/einsatz_2016_14.html", html=html)
    assert fields.paragraphs == body
    assert generic_release(fields, "https://www.ff-lindach.example.de/e.html").published.value == date(2016, 7, 24)


def test_a_publication_line_run_on_past_its_hatom_stamps_dates_the_page_and_its_change_is_no_publication() -> None:
    # SPIP: "publié le … , mis à jour le …" in two <abbr>s; the metadata's date is the change
    body = [PARA.format(city=city, thing="birth registration") for city in ("Lomé", "Kara", "Sokodé")]
    html = f"""<html><head><title>Enregistrement des naissances</title><meta name="date" content="2024-01-22"></head>
      <body><div class="main"><h1 class="entry-title">Enregistrement des naissances</h1>
      <p class="info-publi"><abbr class="published" title="2024-01-16T09:30:00Z">publié le 16 janvier 2024</abbr><span>, </span>
      <abbr class="updated" title="2024-01-22T14:11:00Z">mis à jour le 22 janvier 2024</abbr></p>
      <div class="texte">{as_paragraphs(body)}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.ong.example.tg/Enregistrement-des-naissances", html=html)
    assert ("label", "publié le 16 janvier 2024, mis à jour le 22 janvier 2024") in fields.dates
    assert generic_release(fields, "https://www.ong.example.tg/e").published.value == date(2024, 1, 16)


def test_a_chinese_portals_title_names_its_site_after_an_underscore() -> None:
    body = [PARA.format(city=city, thing="air quality") for city in ("Beijing", "Tianjin", "Shijiazhuang")]
    html = f"""<html><head><title>生态环境部通报2月全国环境空气质量状况_中华人民共和国生态环境部</title></head>
      <body><div class="header"><a href="/">中华人民共和国生态环境部</a></div>
      <div class="neiright"><h2 class="neiright_Title">生态环境部通报2月全国环境空气质量状况</h2>
      <div class="TRS_Editor">{as_paragraphs(body)}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.mee.example.cn/ywdt/xwfb/202403/t20240315_1068.shtml", html=html)
    assert fields.title == "生态环境部通报2月全国环境空气质量状况"


def test_a_taiwanese_release_is_dated_by_its_label_in_the_republics_years_not_by_its_update() -> None:
    body = [PARA.format(city=city, thing="court surveys") for city in ("Taipei", "Taichung", "Kaohsiung")]
    html = f"""<html><head><title>司法院公布民眾對司法信任度調查結果</title><meta name="DC.Date" content="2024-01-18"></head>
      <body><div class="cp"><h2>司法院公布民眾對司法信任度調查結果</h2>
      <ul class="info"><li>發布日期：113-01-16</li><li>更新日期：113-01-18</li></ul>
      <div class="essay">{as_paragraphs(body)}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.judicial.example.tw/tw/cp-1887-1001-1.html", html=html)
    assert ("updated", "更新日期：113-01-18") in fields.dates
    assert generic_release(fields, "https://www.judicial.example.tw/e").published.value == date(2024, 1, 16)


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("NCDC | News", '<h3 class="news-title">Public Health Advisory: NCDC Urges Nigerians to Take Precautions</h3>'),
        ("보도자료 상세보기 | 알림·홍보 : 환경부", '<table><tr><td class="tit">봄철 황사·미세먼지 대비 취약계층 보호 강화</td></tr></table>'),
    ],
)
def test_a_sections_heading_the_title_names_yields_to_the_headline_its_class_names(title: str, headline: str) -> None:
    section = title.split("|")[-1].split(":")[0].strip()
    body = [PARA.format(city=city, thing="meningitis") for city in ("Abuja", "Kano", "Sokoto")]
    html = f"""<html><head><title>{title}</title></head><body><ul class="nav"><li><a href="/news">{section}</a></li></ul>
      <div class="content"><h2 class="page-title">{section}</h2>{headline}
      <div class="news-body">{as_paragraphs(body)}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://ncdc.example.gov.ng/news/512/advisory", html=html)
    assert fields.title == text_of(parse_html(headline).find(".//body")[0])


def test_a_heading_in_the_aria_banner_names_the_site_not_the_article() -> None:
    # phpBB: the board's name is the banner's <h1>; the topic's title an <h2> the <title> names
    post = [PARA.format(city=city, thing="dark-sky weekends") for city in ("Reading", "Henley", "Marlow")]
    html = f"""<html><head><title>Autumn dark-sky weekend: booking now open - TVAS Forum</title></head><body>
      <div id="page-header"><div class="headerbar" role="banner"><h1>TVAS Forum</h1><p>Discussion board of the society</p></div></div>
      <div id="page-body"><h2 class="topic-title"><a href="./viewtopic.php?t=2214">Autumn dark-sky weekend: booking now open</a></h2>
      <div class="post"><div class="content">{as_paragraphs(post)}</div></div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.tvas.example.org.uk/forum/viewtopic.php?t=2214", html=html)
    assert fields.title == "Autumn dark-sky weekend: booking now open"


def test_a_date_signing_off_the_text_dates_it_before_htmldates_guess() -> None:
    # a club's notice signed "Eure Vorstandschaft, 29. März 2023"; htmldate reads the side column's next concert
    body = [PARA.format(city="Aichstetten", thing="rehearsals"), "Frohe Ostern! Eure Vorstandschaft, 29. März 2023"]
    html = f"""<html><body><div class="com-content-article"><h1>Osterpause und Frühjahrskonzert</h1>{as_paragraphs(body)}</div>
      <aside><h3>Nächste Termine</h3><ul><li><span class="termin-datum">22.04.2023</span> Frühjahrskonzert</li></ul></aside></body></html>"""
    fields = extract_article(parse_html(html), "https://www.mv-harmonie.example.de/aktuelles/85-osterpause", html=html)
    release = generic_release(fields, "https://www.mv-harmonie.example.de/aktuelles/85-osterpause")
    assert (release.published.value, release.published.provenance) == (date(2023, 3, 29), "signed")


def test_a_byline_set_as_a_paragraph_of_the_body_is_not_its_text() -> None:
    # an AMP story: <p class="byline"> with the author and the times, among the body's paragraphs
    body = [PARA.format(city=city, thing="bridge works") for city in ("Tweed Heads", "Banora Point", "Kingscliff")]
    html = f"""<html><body><article class="story"><h1>Bridge to close for three weekends</h1>
      <p class="byline">By Jess Whitfield<br><time datetime="2024-05-22T06:30:00+10:00">May 22 2024 - 6:30am</time><br>
      <span class="updated">Updated May 23 2024 - 9:05am, first published 6:30am</span></p>{as_paragraphs(body)}</article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.chronicle.example.com.au/story/8623147/bridge/", html=html)
    assert fields.paragraphs == body


def test_an_embedded_players_title_set_as_a_paragraph_is_not_text() -> None:
    body = [PARA.format(city=city, thing="folk music") for city in ("Orkney", "Stromness", "Kirkwall")]
    embed = ('<div class="lh-embed lh-embed--spotify"><p class="lh-embed__title">Listen: Kirsty Ballantyne – Yesnaby</p>'
             '<iframe title="Spotify embed" src="https://open.spotify.example/embed/track/4xQ1"></iframe></div>')  # fmt: skip
    html = f"""<html><body><article><h1>An accordion half-eaten by mice</h1><div class="entry-content">
      {as_paragraphs(body[:2])}{embed}{as_paragraphs(body[2:])}</div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.loudhum.example/2023/11/08/kirsty-ballantyne/", html=html)
    assert fields.paragraphs == body


def test_a_picture_and_its_legend_in_a_box_of_their_own_are_not_the_text() -> None:
    # Liferay: <div class="img-left"><img><span class="img-legend">…</span></div> before the paragraphs
    body = [PARA.format(city=city, thing="violence against women") for city in ("Astana", "Almaty", "Shymkent")]
    html = f"""<html><body><div class="journal-content-article"><h1>Lawyers and judges complete the HELP course</h1>
      <div class="inner-article"><div class="img-left"><img src="/documents/help.jpg" alt=""><span class="img-legend">Closing
      event of the HELP course in Astana</span></div>{as_paragraphs(body)}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.coe.example.int/en/web/central-asia/-/help-astana", html=html)
    assert fields.paragraphs == body


def test_a_heading_in_a_content_elements_header_of_headings_alone_is_the_headline() -> None:
    # TYPO3: the headline and its subheader in a <header> of the content element, outside <article>
    # and <main>; the <title> adds the institute's name and "Presseinformation:"
    body = [PARA.format(city=city, thing="wind turbines") for city in ("Bremen", "Kiel", "Rostock")]
    html = f"""<html><head><title>Fraunhofer IOS - Presseinformation: Leuchtende Lackschicht warnt vor Rissen</title></head><body>
      <header class="page-header"><a href="/">Fraunhofer IOS</a><nav><a href="/presse">Presse</a></nav></header>
      <div class="col-content"><div class="frame frame-type-header"><p>Presseinformation</p><p>12.3.2024</p><header>
      <h1 class="ce-headline-center">Leuchtende Lackschicht warnt vor Rissen</h1><h2 class="ce-subheader">Sensorbeschichtung macht
      Materialermüdung sichtbar</h2></header></div><div class="frame frame-type-text">{as_paragraphs(body)}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.ios.example.de/de/presse/2024/lackschicht.html", html=html)
    assert fields.title == "Leuchtende Lackschicht warnt vor Rissen"


def test_a_fact_box_of_a_list_alone_closing_the_text_is_its_text() -> None:
    body = [PARA.format(city=city, thing="travel") for city in ("Bovec", "Kobarid", "Tolmin")]
    facts = ["Getting there: the nearest major airport is Ljubljana, about two hours' drive.", "Currency: Euro"]
    html = f"""<html><body><main><h1>Slow days in the Soča valley</h1><div class="rich-text">{as_paragraphs(body)}</div>
      <aside class="factbox"><h2 class="factbox__title">Fact box: Soča Valley essentials</h2><ul>{"".join(f"<li>{f}</li>" for f in facts)}</ul>
      </aside></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.wanderlust.example/travel/slovenia-soca-valley", html=html)
    assert fields.paragraphs[: len(body)] == body
    assert {f"• {fact}" for fact in facts} <= set(fields.paragraphs)


def test_a_page_builders_blocks_without_paragraphs_are_read_with_the_headings_and_lists_between_them() -> None:
    # server-rendered blocks, each in a wrapper of its own: text in <span>s, a heading block, a list block
    # (over a thousand characters: a shorter body is checked against trafilatura's reading)
    texts = [f"{PARA.format(city=city, thing='build caches')} {PARA.format(city=city, thing='test runs')}"
             for city in ("Berlin", "Leipzig", "Dresden", "Jena", "Halle")]  # fmt: skip
    block = '<div class="css-0 e1rh9zh0" data-block-type="{kind}">{inner}</div>'
    items = ["Caching the package store between runs.", "Splitting the end-to-end suite into eight shards."]
    blocks = [
        *(block.format(kind="paragraph", inner=f'<span class="css-1x2y">{t}</span>') for t in texts[:2]),
        block.format(kind="heading", inner="<h2>The boring fixes</h2>"),
        block.format(kind="list", inner="<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
        *(block.format(kind="paragraph", inner=f'<span class="css-1x2y">{t}</span>') for t in texts[2:]),
    ]
    html = f"""<html><body><div id="__next"><h1>How we cut our CI time by 60%</h1><div class="css-9k1">{"".join(blocks)}</div>
      </div></body></html>"""
    fields = extract_article(parse_html(html), "https://engineering.loomwork.example/blog/ci-remote-caching", html=html)
    assert fields.paragraphs == [*texts[:2], "The boring fixes", *items, *texts[2:]]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("掲載日：2024年1月19日", date(2024, 1, 19)),  # a full-width colon
        ("发布时间：2023-08-07 09:15", date(2023, 8, 7)),
        ("Опубліковано: 12.03.2021", date(2021, 3, 12)),
        ("Yayınlanma tarihi: 12 Mart 2021", date(2021, 3, 12)),
    ],
)
def test_a_publication_label_in_other_languages_dates_the_page(line: str, expected: date) -> None:
    # a date widget beside the article: the sidebar's list of other news, the label above the text
    html = f"""<html><body><main><h1>Seagrass meadows store more carbon than thought</h1><p class="info">{line}</p>
      <p>{PARA.format(city="Hiroshima", thing="coastal research")}</p></main><aside><ul><li><span>2023.12.22</span>
      <a href="/news/20231222_01.html">An older release of the university's about the sea</a></li></ul></aside></body></html>"""
    fields = extract_article(parse_html(html), "https://www.univ.example.ac.jp/news/research/2024/01/01.html", html=html)
    published = generic_release(fields, "https://www.univ.example.ac.jp/n.html").published
    assert (published.value, published.provenance) == (expected, "label")  # what the page says, not htmldate's guess


def test_a_quote_then_a_subheading_and_a_list_closing_the_body_in_blocks_of_their_own_are_its_text() -> None:
    # Wix's rich text: every paragraph, the quote, the subheading in a <div> of its own, the list bare
    body = [PARA.format(city=city, thing="bird counts") for city in ("Hula", "Kiryat Shmona", "Rosh Pina")]
    block = '<div type="{kind}" class="mm8Nw public-DraftStyleDefault-text-rtl">{inner}</div>'
    html = f"""<html><body><main><h1>Annual crane count in the Hula valley</h1><div class="rich-content">
      {"".join(block.format(kind="paragraph", inner=f"<p>{text}</p>") for text in body)}
      {block.format(kind="blockquote", inner="<blockquote>“Seeing tens of thousands of cranes take off at sunrise never gets old,” says the coordinator.</blockquote>")}
      {block.format(kind="header-three", inner="<h3>How to join the next count?</h3>")}
      <ul><li>The next count takes place in mid-January.</li><li>No experience is needed.</li></ul></div></main>
      <div class="post-footer"><a href="/tags/birds">Birds</a> <button>Share</button></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.cranes.example.org.il/post/crane-count-2021", html=html)
    assert fields.paragraphs == [
        *body, "“Seeing tens of thousands of cranes take off at sunrise never gets old,” says the coordinator.",
        "How to join the next count?", "• The next count takes place in mid-January.", "• No experience is needed.",
    ]  # fmt: skip


def test_a_consent_platforms_box_in_place_of_a_video_is_not_text() -> None:
    body = [PARA.format(city=city, thing="bicycle repairs") for city in ("Freiburg", "Emmendingen", "Lahr")]
    consent = ('<div class="uc-embedding-container"><div class="uc-embedding-wrapper"><h3>Wir benötigen Ihre Zustimmung, um '
               'den YouTube Video-Service zu laden!</h3><p class="description-text">Wir verwenden einen Drittanbieter-Service, '
               "um Videoinhalte einzubetten, die möglicherweise Daten über Ihre Aktivität sammeln.</p></div></div>")  # fmt: skip
    html = f"""<html><body><article><h1>Neue Fertigung eröffnet</h1><div class="news-text-wrap">
      {as_paragraphs(body[:2])}{consent}{as_paragraphs(body[2:])}</div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.vetter.example.de/presse/neue-fertigung", html=html)
    assert fields.paragraphs == body


def test_a_forum_topics_title_holding_a_dash_is_its_headline_not_the_boards_name_in_the_banner() -> None:
    # the <title>: topic (with a dash of its own) - board – tagline; the banner's <h1>: board – tagline
    topic = "Truma Combi 4 springt nach der Winterpause nicht mehr an – Fehler 121H"
    post = [PARA.format(city=city, thing="caravan heating") for city in ("Ulm", "Biberach", "Memmingen")]
    html = f"""<html><head><title>{topic} - Womo-Treff.de – Das Wohnmobil-Forum</title></head><body>
      <div class="headerbar" role="banner"><a class="logo" href="https://www.womo-treff.example.de"></a>
      <h1>Womo-Treff.de – Das Wohnmobil-Forum</h1><p>Erfahrungen, Technik, Stellplätze</p></div>
      <div id="page-body"><h2 class="topic-title"><a href="./viewtopic.php?t=48213">{topic}</a></h2>
      <div class="post"><div class="content">{as_paragraphs(post)}</div></div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.womo-treff.example.de/viewtopic.php?t=48213", html=html)
    assert fields.title == topic


def test_a_sections_heading_set_as_an_h1_inside_the_body_is_its_text() -> None:
    # Medium: the post's own sections headed by <h1>s among the paragraphs
    body = [PARA.format(city=city, thing="service boundaries") for city in ("Lisbon", "Porto", "Braga", "Faro")]
    html = f"""<html><body><article><h1>Microservices will not fix your monolith</h1><section>
      {as_paragraphs(body[:2])}<h1 id="5e44" class="rm rn it bf">A deployment decision wearing a design costume</h1>
      {as_paragraphs(body[2:])}</section></article></body></html>"""
    fields = extract_article(parse_html(html), "https://medium.example.com/engineering/microservices-monolith-3f1a", html=html)
    assert fields.title == "Microservices will not fix your monolith"
    assert fields.paragraphs == [*body[:2], "A deployment decision wearing a design costume", *body[2:]]


def test_a_headline_set_in_a_div_classed_hed_after_the_sites_prefix_is_the_title() -> None:
    # a design magazine's page of <div>s: no heading tag; the <title> words the headline otherwise
    body = [PARA.format(city=city, thing="school buildings") for city in ("Mexico City", "Puebla", "Oaxaca")]
    html = f"""<html><head><title>Tatiana Reyes on designing schools children want to stay in - Frame + Field</title></head><body>
      <div class="ff-nav"><a href="/">Frame + Field</a></div><div class="ff-story"><div class="ff-story-hed">Tatiana Reyes on
      designing schools that children actually want to stay in</div><div class="ff-story-body">{as_paragraphs(body)}</div></div>
      </body></html>"""
    fields = extract_article(parse_html(html), "https://www.frameandfield.example/interviews/tatiana-reyes", html=html)
    assert fields.title == "Tatiana Reyes on designing schools that children actually want to stay in"


def test_a_bylines_hidden_change_stamp_neither_dates_it_nor_lets_htmldate_do_so() -> None:
    # Avada: "By Museum Team | <span class="updated rich-snippet-hidden">2019-09-20T10:04</span> September 12th, 2019"
    body = [PARA.format(city=city, thing="museum archives") for city in ("Calderbrook", "Halifax", "Hebden")]
    meta = ('<div class="fusion-meta-info">By <span class="vcard"><a href="/author/team/">Museum Team</a></span> | '
            '<span class="updated rich-snippet-hidden">2019-09-20T10:04:12+01:00</span><span>September 12th, 2019</span>'
            ' | Categories: <a href="/category/news/">News</a></div>')  # fmt: skip
    html = f"""<html><body><div id="content"><h1>Mill girls: voices from the weaving sheds</h1><div class="post-content">
      {as_paragraphs(body)}</div>{meta}</div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.calderbrook.example.org.uk/mill-girls/", html=html)
    published = generic_release(fields, "https://www.calderbrook.example.org.uk/mill-girls/").published
    assert published.value == date(2019, 9, 12)


def test_a_telegram_channels_invitation_closing_the_body_is_not_text() -> None:
    body = [PARA.format(city=city, thing="probation") for city in ("Tashkent", "Samarkand", "Bukhara")]
    html = f"""<html><body><article><h1>Probation officers trained in Tashkent</h1><div class="news-single__text">
      {as_paragraphs(body)}<p class="news-single__tg"><strong>Oliy sudning rasmiy Telegram kanaliga obuna bo‘ling:</strong>
      <a href="https://t.me/oliysud_uz">@oliysud_uz</a></p></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://sud.example.uz/uz/news/probation-2025", html=html)
    assert fields.paragraphs == body


def test_a_subheading_the_metadata_names_after_a_categorys_is_the_title_under_a_generic_h1() -> None:
    # CivicPlus: <h1>News Flash</h1>, <h2>Public Works</h2> (the category), <h3><a>the headline</a></h3>
    body = [PARA.format(city=city, thing="waste collection") for city in ("Maple Falls", "Dover", "Canton")]
    html = f"""<html><head><title>Holiday Trash and Recycling Collection Schedule | Maple Falls, OH</title>
      <meta property="og:title" content="Holiday Trash and Recycling Collection Schedule"></head><body>
      <div id="content"><h1 class="headline">News Flash</h1><h2 class="categoryTitle">Public Works</h2>
      <h3 class="subhead1"><a href="/CivicAlerts.aspx?AID=612">Holiday Trash and Recycling Collection Schedule</a></h3>
      <div class="fr-view">{as_paragraphs(body)}</div></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.maplefalls.example.gov/CivicAlerts.aspx?AID=612", html=html)
    assert fields.title == "Holiday Trash and Recycling Collection Schedule"


def test_a_comment_forms_h1_after_the_body_inside_its_container_is_not_text() -> None:
    body = [PARA.format(city=city, thing="service boundaries") for city in ("Lisbon", "Porto", "Braga")]
    html = f"""<html><body><article><h1>Microservices will not fix your monolith</h1><div class="entry">
      {as_paragraphs(body)}<h1 class="comment-reply-title">Leave a reply</h1></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://blog.example.com/2023/11/microservices/", html=html)
    assert fields.paragraphs == body


def test_a_list_of_links_to_other_sites_or_documents_in_the_body_is_text() -> None:
    # a podcast's "Links mentioned" and a society's PDF downloads, between and after paragraphs
    body = [PARA.format(city=city, thing="cover crops") for city in ("Reading", "Didcot", "Wantage")]
    html = f"""<html><body><article><h1>Cover crops and soil carbon</h1><div class="entry-content">
      {as_paragraphs(body[:2])}<ul class="pdf-downloads">
      <li><a href="/wp-content/uploads/2020/04/Board-Renewal-Notice.pdf">State Board renewal notice (PDF, 212 KB)</a></li>
      <li><a href="https://www.gov.uk/guidance/sfi-actions-for-soil">Incentive actions for soil health</a></li></ul>
      {as_paragraphs(body[2:])}<h2>Links mentioned</h2><ul>
      <li><a href="https://ahdb.org.uk/cover-crops">AHDB cover crop guidance</a> for arable farmers</li>
      <li><a href="https://doi.org/10.1016/j.still.2023.105744">Ten years of cover cropping on a clay soil</a></li>
      <li><a href="/episodes/61-soil-sampling">Episode 61: Soil sampling done right</a></li></ul>
      <ul><li><a href="https://www.facebook.com/sharer/sharer.php?u=x">Share on Facebook</a></li>
      <li><a href="https://twitter.com/intent/tweet?url=x">Share on Twitter</a></li></ul>
      <ul><li><a href="/episodes/86-hedgerows">86: Hedgerows as farm infrastructure</a></li>
      <li><a href="/episodes/72-carbon-markets">72: Carbon markets explained for farmers</a></li></ul>
      </div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://soilsessions.example.fm/episodes/87-cover-crops", html=html)
    assert fields.paragraphs == [
        *body[:2],
        "• State Board renewal notice (PDF, 212 KB)",
        "• Incentive actions for soil health",
        body[2],
        "Links mentioned",
        "• AHDB cover crop guidance for arable farmers",
        "• Ten years of cover cropping on a clay soil",
        "• Episode 61: Soil sampling done right",
    ]


def test_a_date_above_the_sites_banner_is_todays_not_the_articles() -> None:
    # a newspaper's top bar (today's date, the weather, the e-paper) before its <header>
    body = [PARA.format(city=city, thing="the metro line") for city in ("Pune", "Swargate", "Katraj")]
    html = f"""<html><body><div class="top-strip"><span class="top-strip__date">Tuesday, August 15, 2023</span>
      <span class="top-strip__weather">Pune 24°C</span></div>
      <header role="banner" class="site-header"><a href="/">The Sentinel</a></header>
      <main><h1>State clears the revised metro plan</h1><div class="node__meta">By a staff reporter, Sentinel News Service, 14 Aug 2023</div>
      <div class="body">{as_paragraphs(body)}</div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.sentinel.example.com/city/pune/metro-154872", html=html)
    assert generic_release(fields, "https://www.sentinel.example.com/city/pune/metro-154872").published.value == date(2023, 8, 14)


def test_metadata_stating_the_day_the_page_shows_as_its_update_is_not_the_publication_day() -> None:
    # the CMS writes the modification time as datePublished; the page shows both days
    body = [PARA.format(city=city, thing="the metro line") for city in ("Pune", "Swargate", "Katraj")]
    ld = '{"@type": "NewsArticle", "datePublished": "2023-08-15T11:02:44+0530", "dateModified": "2023-08-15T11:02:44+0530"}'
    html = f"""<html><head><script type="application/ld+json">{ld}</script></head><body><main>
      <h1>State clears the revised metro plan</h1>
      <div class="node__dates"><span class="label">Published:</span> 14 Aug 2023, 6:15 am IST |
      <span class="label">Updated:</span> 15 Aug 2023, 11:02 am IST</div>
      <div class="body">{as_paragraphs(body)}</div></main></body></html>"""
    url = "https://www.sentinel.example.com/city/pune/metro-154872"
    published = generic_release(extract_article(parse_html(html), url, html=html), url).published
    assert (published.value, published.provenance) == (date(2023, 8, 14), "label")


def test_a_line_that_only_dates_the_article_is_not_its_text() -> None:
    # an AMP page's "Published On …" line opening the body; a timeline's dated line and a table's
    # dated row stay
    body = [PARA.format(city=city, thing="tractor sales") for city in ("Ludhiana", "Karnal", "Meerut")]
    html = f"""<html><body><h1>Tractor sales rise 12% in October</h1><div class="artText">
      <div class="pub-dt">Published On Nov 10, 2023 at 05:42 PM IST</div>{as_paragraphs(body)}
      <ul><li>August 14, 2023: the cabinet approves the revised cost</li></ul>
      <table><tr><td>Stock on 31.10.2023</td><td>9,120 units</td></tr></table><p>Tuesday, 14 November 2023</p></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.autotrade.example.in/news/tractor-sales/104938271", html=html)
    assert fields.paragraphs == [*body, "• August 14, 2023: the cabinet approves the revised cost", "Stock on 31.10.2023 9,120 units"]


def test_a_summary_list_under_its_own_heading_before_the_text_is_part_of_it() -> None:
    # "Das Wichtigste in Kürze" in a <section> of its own before the body's block
    body = [PARA.format(city=city, thing="hail damage") for city in ("Öhringen", "Neuenstein", "Künzelsau")]
    points = ["Hailstones of up to five centimetres", "More than 300 call-outs for the fire brigades"]
    html = f"""<html><body><article><h1>Hail causes damage worth millions</h1><div class="story">
      <section class="hb-summary"><h2>Das Wichtigste in Kürze</h2><ul>{"".join(f"<li>{p}</li>" for p in points)}</ul></section>
      <figure><img src="/hagel.jpg"></figure>
      <div class="hb-body">{as_paragraphs(body)}</div></div></article><div class="more"><h2>Weitere Themen</h2>
      <ul><li><a href="/region/a">Storm closes the B19</a></li><li><a href="/region/b">Clean-up begins</a></li></ul></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.bote.example.de/region/hagel-art-2814407", html=html)
    assert fields.paragraphs == ["Das Wichtigste in Kürze", *(f"• {p}" for p in points), *body]


def test_a_custom_header_elements_date_and_a_capitalised_modified_stamp_do_not_date_the_article() -> None:
    # Brightspot: today's date in <bsp-header>, the change in "ArticlePage-dateModified"
    body = [PARA.format(city=city, thing="flood repairs") for city in ("Lismore", "Coraki", "Woodburn")]
    html = f"""<html><body><bsp-header class="Page-header"><div class="Page-header-bar-date">Friday 1 March 2024</div>
      </bsp-header><main><h1>Flood buyback offers still waiting</h1><figure><img src="/lismore.jpg"><figcaption>
      Residents of North Lismore, where more than 400 homes were flooded above the floor in 2022, are still waiting for an offer.
      </figcaption></figure><div class="ArticlePage-timestamps">
      <div class="ArticlePage-datePublished">February 28 2024 - 5:00am</div>
      <div class="ArticlePage-dateModified"><span>Updated</span> March 1 2024 - 2:14pm</div></div>
      <div class="RichTextArticleBody">{as_paragraphs(body)}</div></main></body></html>"""
    url = "https://www.rivers.example.com.au/news/flood-buyback/"
    assert generic_release(extract_article(parse_html(html), url, html=html), url).published.value == date(2024, 2, 28)


def test_a_list_the_bodys_last_line_introduces_is_read() -> None:
    # g1's blocks: each paragraph in a "content-text" column, the advice a list in a column of its
    # own after "… a Defesa Civil orienta:", then the videos' heading
    body = [PARA.format(city=city, thing="the storm") for city in ("Campinas", "Valinhos", "Sumaré")]
    column = '<div class="mc-column content-text"><p class="content-text__container">{}</p></div>'
    advice = ["não atravessar ruas ou áreas alagadas;", "ligar para o telefone 199 em caso de risco."]
    items = "".join(f"<li>{item}</li>" for item in advice)
    html = f"""<html><body><main><h1>Temporal derruba árvores em Campinas</h1><div class="mc-body">
      {"".join(column.format(p) for p in body)}{column.format("Em caso de emergência, a Defesa Civil orienta:")}
      <div class="mc-column content-unordered-list"><ul>{items}</ul></div>
      <div class="mc-column content-intertitle"><h2>VÍDEOS: tudo sobre Campinas e região</h2></div></div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://g1.example.com/sp/campinas/noticia/2023/03/14/temporal.ghtml", html=html)
    assert fields.paragraphs == [*body, "Em caso de emergência, a Defesa Civil orienta:", *(f"• {item}" for item in advice)]


def test_a_lead_set_out_as_a_list_of_points_is_read_whatever_they_end_with() -> None:
    # a Spanish hospital's "entradilla": the release's highlights as points without full stops
    body = [PARA.format(city=city, thing="deep brain stimulation") for city in ("Valencia", "Paterna", "Burjassot")]
    points = ["El dispositivo ajusta la estimulación en tiempo real", "El paciente recibió el alta cuatro días después"]
    html = f"""<html><body><main><div class="nota-prensa"><h1>Primer implante adaptativo</h1>
      <div class="nota-prensa__entradilla"><ul>{"".join(f"<li>{p}</li>" for p in points)}</ul></div>
      <figure><img src="/implante.jpg"></figure><div class="nota-prensa__cuerpo">{as_paragraphs(body)}</div></div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.hospital.example.es/es/noticias/primer-implante", html=html)
    assert fields.paragraphs == [*(f"• {p}" for p in points), *body]


def test_a_centred_italic_line_after_a_picture_is_its_caption() -> None:
    # the photo in one centred <div>, its caption in <i> in the next; an italic quote after a
    # picture in a line of text stays
    body = [PARA.format(city=city, thing="free legal aid") for city in ("Khujand", "Isfara", "Panjakent")]
    html = f"""<html><body><h1>Reception of citizens in Sughd</h1><div id="news-id-1187">{as_paragraphs(body[:2])}
      <div style="text-align:center;"><a href="/uploads/qabul.jpg"><img src="/uploads/thumbs/qabul.jpg"></a></div>
      <div style="text-align:center;"><i>Reception of citizens at the regional office in Sughd</i></div>
      <p><img src="/uploads/b.jpg"><i>"Justice must reach every village,"</i> the ombudsman said.</p>{as_paragraphs(body[2:])}
      </div></body></html>"""
    fields = extract_article(parse_html(html), "https://ombudsman.example.tj/news/1187-qabul.html", html=html)
    assert fields.paragraphs == [*body[:2], '"Justice must reach every village," the ombudsman said.', *body[2:]]


def test_a_subheading_marked_as_the_headline_that_ends_the_title_heads_the_article() -> None:
    # TYPO3 with tx_news: the page's <h1> names the section, the news item's <h3 itemprop="headline">
    # is what the <title> says after the site's name
    body = [PARA.format(city=city, thing="first communion") for city in ("Oberzell", "Hausen", "Zell")]
    html = f"""<html><head><title>Pfarreiengemeinschaft Oberzell-Hausen: Erstkommunion 2024 – die Termine</title></head>
      <body><div id="c212"><h1 class="csc-firstHeader">Aktuelles aus der Pfarreiengemeinschaft</h1></div>
      <div class="news-single-item" itemscope itemtype="http://schema.org/Article"><h3 itemprop="headline">Erstkommunion 2024 – die Termine</h3>
      {as_paragraphs(body)}</div></body></html>"""
    url = "https://www.pg-oberzell.example.de/aktuelles/detail/erstkommunion-2024/"
    release = generic_release(extract_article(parse_html(html), url, html=html), url)
    assert (release.title, release.text) == ("Erstkommunion 2024 – die Termine", "\n\n".join(body))


def test_a_subheading_ending_a_title_that_begins_with_the_h1_heads_the_article() -> None:
    # Moodle's forum: the page's <h1> is the forum's name, the <title> "<forum>: <subject> | <site>",
    # the post's subject an <h3>, the replies' "Re: <subject>"
    body = [PARA.format(city=city, thing="the school year") for city in ("Lindenfels", "Fürth", "Rimbach")]
    html = f"""<html><head><title>Website-Ankündigungen: Informationen zum Schuljahresbeginn | GGL Moodle</title></head>
      <body><header id="page-header"><nav><ol class="breadcrumb"><li><a href="/mod/forum/view.php?id=3">
      Website-Ankündigungen</a></li></ol></nav><div class="page-header-headings"><div class="small">Forum</div>
      <h1 class="h2">Website-Ankündigungen</h1></div></header>
      <article class="forum-post-container"><h3 class="h6" data-region-content="forum-post-core-subject">Informationen
      zum Schuljahresbeginn</h3><div class="post-content-container">{as_paragraphs(body)}</div></article>
      <article class="forum-post-container"><h3 class="h6">Re: Informationen zum Schuljahresbeginn</h3>
      <div class="post-content-container"><p>Vielen Dank!</p></div></article></body></html>"""
    url = "https://moodle.ggl.example.de/mod/forum/discuss.php?d=1432"
    fields = extract_article(parse_html(html), url, html=html)
    assert fields.title == "Informationen zum Schuljahresbeginn"


def test_a_board_name_opening_the_title_yields_to_the_subheading_that_closes_it() -> None:
    # phpBB 3.0: the <h1> the board's name, not linked home; the <title> "<board> • Thema anzeigen - <subject>"
    body = [PARA.format(city=city, thing="the oxalic acid treatment") for city in ("Kassel", "Fulda")]
    html = f"""<html><head><title>Imker-Stammtisch &bull; Thema anzeigen - Träufeln im Dezember – Auswertung</title>
      </head><body><div id="wrap"><div class="headerbar"><h1>Imker-Stammtisch</h1><p>Forum für Imker</p></div>
      <div id="page-body"><h2><a href="./viewtopic.php?f=12&amp;t=3861">Träufeln im Dezember – Auswertung</a></h2>
      <div class="post"><div class="postbody">{as_paragraphs(body)}</div></div></div></div></body></html>"""
    url = "https://www.imker.example.de/forum/viewtopic.php?f=12&t=3861"
    fields = extract_article(parse_html(html), url, html=html)
    assert fields.title == "Träufeln im Dezember – Auswertung"


@pytest.mark.parametrize("og", ["", '<meta property="og:title" content="Welcome Back Letter: 2019-20 School Year">'])
def test_the_articles_h1_wins_over_a_sections_h1_the_title_also_holds(og: str) -> None:
    # Blackboard: "Headlines & Features", the section's <h1>, comes first; the article's <h1> after it
    body = [PARA.format(city=city, thing="the new school year") for city in ("Pine Hollow", "Cedar Falls")]
    html = f"""<html><head><title>Welcome Back Letter: 2019-20 School Year / Headlines &amp; Features</title>{og}</head>
      <body><div class="ui-widget"><h1>Headlines &amp; Features</h1><div class="ui-article">
      <h1 class="ui-article-title">Welcome Back Letter: 2019-20 School Year</h1>{as_paragraphs(body)}</div></div>
      </body></html>"""
    url = "https://www.phusd.example.org/site/default.aspx?PageType=3&ModuleInstanceID=1&ViewID=2&PageID=1"
    fields = extract_article(parse_html(html), url, html=html)
    assert fields.title == "Welcome Back Letter: 2019-20 School Year"


def test_a_subtitle_right_under_the_headline_is_read_though_it_is_no_sentence() -> None:
    # Newspack's "post-subtitle" <div>, and Bootstrap Italia's <h2 class="sommario">; a byline
    # or a date line in that place is not read
    body = [PARA.format(city=city, thing="fuel supply") for city in ("Abuja", "Lagos", "Kano")]
    subtitle = "NNPC insists it has enough petrol in stock, blames logistics and heavy rains"
    for under in (f'<div class="newspack-post-subtitle">{subtitle}</div>', f'<h2 class="h4 sommario">{subtitle}</h2>'):
        html = f"""<html><body><main><header class="entry-header"><h1>Fuel queues return to Abuja and Lagos</h1>{under}
          <div class="entry-meta">By Halima Abubakar, July 3, 2024</div></header><figure><img src="/q.jpg"></figure>
          <div class="entry-content">{as_paragraphs(body)}</div></main></body></html>"""
        fields = extract_article(parse_html(html), "https://dailycourier.example.ng/2024/07/03/fuel-queues/", html=html)
        assert fields.paragraphs == [subtitle, *body]
    html = f"""<html><body><main><h1>Fuel queues return to Abuja and Lagos</h1>
      <div class="post-subtitle">By Halima Abubakar and Chidi Okafor, Daily Courier</div>
      <div class="entry-content">{as_paragraphs(body)}</div></main></body></html>"""
    assert extract_article(parse_html(html), "https://dailycourier.example.ng/2024/07/03/fuel-queues/", html=html).paragraphs == body


def test_a_box_asking_for_the_readers_email_inside_the_body_is_not_text() -> None:
    # an AMP magazine's newsletter box between two paragraphs, classed only "oriel-nl"
    body = [PARA.format(city=city, thing="space security") for city in ("Geneva", "Vienna", "Rome")]
    box = """<div class="oriel-nl"><h3>Oriel Weekly</h3><p>The week's best analysis of world affairs, from our editors.</p>
      <form method="post" action-xhr="/newsletter"><input type="email" name="email"><input type="submit" value="Sign up"></form></div>"""
    html = f"""<html><body><article><h1>A pledge in orbit</h1><div class="entry-content">{as_paragraphs(body[:2])}{box}
      {as_paragraphs(body[2:])}</div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://orielreview.example.com/2024/03/a-pledge-in-orbit/amp/", html=html)
    assert fields.paragraphs == body


def test_htmldate_reading_the_metadatas_change_does_not_outweigh_the_byline() -> None:
    # Bitrix: the byline's day in "news-date-time", the metadata's only date a later change
    body = [PARA.format(city=city, thing="student life") for city in ("Yekaterinburg", "Berezovsky", "Verkhnyaya Pyshma")]
    html = f"""<html><head><meta property="article:modified_time" content="2023-07-27T10:12:00+05:00"></head><body>
      <h1 id="pagetitle">Students return from the geology field camp</h1><div class="news-detail">
      <img src="/upload/iblock/camp.jpg"><p>A long caption of the picture taken at the field camp near the Iset river, by the press office.</p>
      <span class="news-date-time">14.07.2023</span> Views: 1245 Student life
      {as_paragraphs(body)}</div></body></html>"""
    url = "https://www.ursmu.example.ru/press-center/news/students-field-camp/"
    assert generic_release(extract_article(parse_html(html), url, html=html), url).published.value == date(2023, 7, 14)


@pytest.mark.parametrize(("label", "shown"), [("Data:", "18 settembre 2023"), ("Fecha:", "18/09/2023"), ("Datum:", "18.09.2023")])
def test_the_bare_date_label_in_other_languages_dates_the_page(label: str, shown: str) -> None:
    # Bootstrap Italia's "Design Comuni" news: <small>Data:</small> over the day
    body = [PARA.format(city=city, thing="waste collection") for city in ("Cesena", "Forlì", "Cervia")]
    html = f"""<html><body><main><h1>Raccolta differenziata: cambia il calendario</h1>
      <div class="row"><div class="col-6"><small>{label}</small><p class="fw-semibold">{shown}</p></div>
      <div class="col-6"><small>Tempo di lettura:</small><p>3 min</p></div></div>
      <div class="it-page-section">{as_paragraphs(body)}</div></main></body></html>"""
    url = "https://www.comune.example.it/novita/notizie/raccolta-differenziata"
    published = generic_release(extract_article(parse_html(html), url, html=html), url).published
    assert (published.value, published.provenance) == (date(2023, 9, 18), "label")


def test_a_czech_town_halls_created_and_changed_line_dates_the_page_by_its_first_day() -> None:
    # vismo, many Czech towns' CMS: the day only under the text, "Vytvořeno / změněno: <created> / <changed>"
    body = [PARA.format(city=city, thing="the bridge joints") for city in ("Vsetín", "Jablůnka", "Ratiboř")]
    html = f"""<html><body><div id="obsah"><h1>Oprava mostních závěrů na Smetanově ulici</h1>{as_paragraphs(body)}
      <p class="vlozeno">Vytvořeno / změněno: 3. 5. 2022, 10:14 / 9. 5. 2022, 14:36</p></div></body></html>"""
    url = "https://www.mestovsetin.example.cz/oprava-mostnich-zaveru/d-28714"
    published = generic_release(extract_article(parse_html(html), url, html=html), url).published
    assert (published.value, published.provenance) == (date(2022, 5, 3), "label")


def test_a_byline_under_the_title_dates_the_page_before_the_metadatas_change() -> None:
    # a gallery page in utility classes only: the byline's day, its change, and a meta date of the change
    body = [PARA.format(city=city, thing="the Whitsun fair") for city in ("Wertingen", "Buttenwiesen", "Zusamaltheim")]
    html = f"""<html><head><meta name="date" content="2024-05-21T08:32:00+02:00"></head><body><main><div class="mb-6">
      <h1 class="font-serif text-3xl">Fotos: So voll war der Pfingstmarkt in Wertingen</h1>
      <div class="mt-3 flex text-sm"><span>Von <a href="/autor/sb/">Stefanie Brandl-Kopp</a></span> <span>|</span>
      <span>20.05.2024 - 17:05 Uhr</span> <span>|</span> <span>Aktualisiert: 21.05.2024 - 08:32 Uhr</span></div></div>
      <div class="prose">{as_paragraphs(body)}</div></main></body></html>"""
    url = "https://www.allgemeine.example.de/wertingen/fotos-pfingstmarkt-wertingen-id70812345.html"
    assert generic_release(extract_article(parse_html(html), url, html=html), url).published.value == date(2024, 5, 20)


def test_an_updated_time_under_the_title_gives_way_to_the_posted_one_in_the_articles_footer() -> None:
    # Genesis: <time itemprop="dateModified">Updated …</time> under the title, "Posted on <time>"
    # in the article's own <footer>; the site's footer below it dates nothing
    body = [PARA.format(city=city, thing="the walkthrough") for city in ("Baldur", "Emerald", "Waukeen")]
    html = f"""<html><body><main class="content"><article class="post entry"><header class="entry-header">
      <h1 class="entry-title">BG3 Act 1 Walkthrough, Part 2</h1><p class="entry-meta"><time class="entry-modified-time"
      itemprop="dateModified" datetime="2023-09-22T21:48:19+00:00">Updated September 22, 2023</time> by Mara</p></header>
      <div class="entry-content">{as_paragraphs(body)}</div><footer class="entry-footer"><p class="entry-meta">Posted on
      <time class="entry-time" itemprop="datePublished" datetime="2023-08-14T20:15:00+00:00">August 14, 2023</time></p>
      </footer></article></main><footer class="site-footer"><p>© <time>2024</time> Save Point Diaries</p></footer></body></html>"""
    url = "https://savepoint.example.com/bg3-act-1-walkthrough-part-2/"
    fields = extract_article(parse_html(html), url, html=html)
    assert ("time", "2023-08-14T20:15:00+00:00") in fields.dates
    assert generic_release(fields, url).published.value == date(2023, 8, 14)


def test_canadas_web_template_is_dated_by_its_issue_not_its_modification() -> None:
    # Canada.ca: dcterms.issued and dcterms.modified in the head, "Date modified:" with an RDFa
    # <time property="dateModified"> at the foot of <main>
    body = [PARA.format(city=city, thing="youth employment") for city in ("Gatineau", "Ottawa", "Moncton")]
    html = f"""<html><head><meta name="dcterms.issued" content="2024-03-07"><meta name="dcterms.modified" content="2024-03-12">
      </head><body><main property="mainContentOfPage"><h1>Call for proposals for young people with disabilities</h1>
      <div class="mwsbodytext">{as_paragraphs(body)}</div><section class="pagedetails"><dl id="wb-dtmd">
      <dt>Date modified:</dt><dd><time property="dateModified">2024-03-12</time></dd></dl></section></main></body></html>"""
    url = "https://www.canada.example.ca/en/employment-social-development/news/2024/03/call-for-proposals.html"
    fields = extract_article(parse_html(html), url, html=html)
    assert ("time", "2024-03-12") not in fields.dates
    assert generic_release(fields, url).published.value == date(2024, 3, 7)


def test_a_change_on_the_day_of_publication_leaves_that_day_standing() -> None:
    # Le Monde: "Publié le 14 avril 2023 à 05h30, modifié le 14 avril 2023 à 11h02" in the header, and
    # a related story's "Publié le 12 avril 2023" below: an earlier day, but not this page's
    body = [PARA.format(city=city, thing="the drought") for city in ("Perpignan", "Prades", "Céret")]
    html = f"""<html><body><main class="article"><section class="article__wrapper"><header class="article__header">
      <h1 class="article__title">La sécheresse impose des restrictions d’eau</h1><section class="meta">
      <span class="meta__date">Publié le 14 avril 2023 à 05h30, modifié le 14 avril 2023 à 11h02</span></section>
      </header><article class="article__content">{as_paragraphs(body)}</article>
      <section class="article__siblings"><section class="teaser"><a class="teaser__link" href="/planete/nappes">
      <h3 class="teaser__title">Les nappes au plus bas</h3></a><span class="meta__date">Publié le 12 avril 2023</span>
      </section></section></section></main></body></html>"""
    url = "https://www.lemonde.example.fr/planete/article/secheresse-restrictions_6169512_3244.html"
    fields = extract_article(parse_html(html), url, html=html)
    assert not [value for provenance, value in fields.dates if provenance == "updated"]
    assert generic_release(fields, url).published.value == date(2023, 4, 14)


def test_a_pull_quote_between_the_bodys_blocks_is_read_in_its_place() -> None:
    # NZZ's article components: each paragraph a "text" block, the quote a <blockquote> beside them
    body = [PARA.format(city=city, thing="the old cinema") for city in ("Zürich", "Winterthur", "Baden")]
    quote = "«Ein Kino ist kein Museum. Aber wenn es verschwindet, fehlt der Altstadt ein Stück Abendleben.»"
    blocks = [f'<div class="articlecomponent text"><p>{p}</p></div>' for p in body]
    html = f"""<html><body><main><h1>Das Kino Loge sucht Käufer</h1><section class="article">{blocks[0]}{blocks[1]}
      <blockquote class="articlecomponent quote"><p>{quote}</p></blockquote>{blocks[2]}</section></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.nzz.example.ch/zuerich/kino-loge-ld.1784512", html=html)
    assert fields.paragraphs == [*body[:2], quote, body[2]]


def test_an_italic_paragraph_right_after_a_pictures_paragraph_is_its_caption() -> None:
    # Joomla: <p><img></p> then <p><em>Суретті түсірген: …</em></p> (the photographer) in the text
    body = [PARA.format(city=city, thing="spring sowing") for city in ("Aksu-Ayuly", "Moyynty", "Agadyr")]
    html = f"""<html><body><div class="item-page"><h2>Көктемгі егіс басталды</h2>{as_paragraphs(body[:1])}
      <p style="text-align: center;"><img src="/images/2020/05/egis-1.jpg" width="700"></p>
      <p style="text-align: center;"><em>Суретті түсірген: Айдос Қайратұлы</em></p>{as_paragraphs(body[1:])}</div></body></html>"""
    fields = extract_article(parse_html(html), "https://shet.example.kz/kk/zhanalyktar/1234-egis", html=html)
    assert fields.paragraphs == ["Көктемгі егіс басталды", *body]  # the heading, dropped as the title later


@pytest.mark.parametrize(
    "caption",
    [
        "8月29日，工人在上海市徐汇区某小区安装电梯井道。华夏网记者 陈浩 摄",  # "photographed by"
        "8月29日，工人在上海市徐汇区某小区安装电梯井道。华夏网记者 陈浩 图",  # "picture by"
    ],
)
def test_a_chinese_caption_naming_who_took_the_picture_is_not_text(caption: str) -> None:
    # Xinhua's table-era pages: a centred <p><font> under the picture, ending "记者 陈浩 摄"
    body = ["上海市徐汇区今年已有四十二个老旧小区完成加装电梯，居民上下楼不再发愁。" * 3,
            "区住房保障局表示，明年将继续推进这项工作，并简化审批流程，缩短施工周期。" * 3]  # fmt: skip
    html = f"""<html><body><div id="detail"><h1>徐汇区老旧小区加装电梯提速</h1><p>{body[0]}</p>
      <p style="text-align: center;"><img src="/photo.jpg"></p><p style="text-align: center;"><font color="navy">{caption}</font></p>
      <p>{body[1]}</p></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.huaxia.example.cn/2023-08/30/c_1129833.htm", html=html)
    assert fields.paragraphs == body


def test_a_figure_legend_in_the_body_is_a_caption() -> None:
    # a university's news: "Figure 1: …" under the picture, and a chart's legend as a <p> of the body
    body = [PARA.format(city=city, thing="the catalyst") for city in ("Wessex", "Harwell", "Didcot")]
    legend = "<strong>Figure 1:</strong> Electron microscope image of the catalyst particles. Image: Wessex EM Facility"
    html = f"""<html><body><article><h1>Iron catalyst turns CO2 into jet fuel</h1><div class="news-article__body">
      <p>{body[0]}</p><div class="news-article__figure"><img src="/tem.jpg"><p class="figure-legend">{legend}</p></div>
      <p>{body[1]}</p><p class="chart-legend">Blue: yield per pass. Grey: the cobalt catalyst's.</p><p>{body[2]}</p>
      </div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.wessex.example.ac.uk/news/2024/iron-catalyst", html=html)
    assert fields.paragraphs == body


def test_a_view_counter_in_the_body_is_not_text() -> None:
    # WordPress's Post Views Counter, injected into the content after the last paragraph
    body = [PARA.format(city=city, thing="cardiac surgery") for city in ("Atyrau", "Kulsary", "Makhambet")]
    html = f"""<html><body><article><h1>Сложная операция на сердце</h1><div class="entry-content">{as_paragraphs(body)}
      <div class="post-views content-post post-4521 entry-meta"><span class="post-views-label">Қаралды / Просмотров:</span>
      <span class="post-views-count">1 064</span></div></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://obl-hospital.example.kz/2023/03/operatsiya/", html=html)
    assert fields.paragraphs == body


def test_an_affiliates_product_box_in_the_body_is_not_text() -> None:
    # AAWP's and Lasso's boxes: a shop's product name, its blurb, its price and a button
    body = [PARA.format(city=city, thing="brush pens") for city in ("Köln", "Bonn", "Siegen")]
    boxes = ('<div class="aawp"><div class="aawp-product"><a class="aawp-product__title">Tombow ABT Dual Brush Pen, 10er Set</a>'
             '<div class="aawp-product__description"><ul><li>Flexible Pinselspitze und feine Spitze in einem Stift</li>'
             '</ul></div><span class="aawp-product__price">19,99 EUR</span></div></div>',
             '<div class="lasso-container"><div class="lasso-display"><a class="lasso-title">Pitt Artist Pen Brush, 6er Etui</a>'
             '<div class="lasso-description"><p>Lichtechte Tusche, wasserfest nach dem Trocknen.</p></div></div></div>')  # fmt: skip
    html = f"""<html><body><article><h1>Handlettering: die besten Stifte</h1><div class="td-post-content">
      <p>{body[0]}</p>{boxes[0]}<p>{body[1]}</p>{boxes[1]}<p>{body[2]}</p></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://www.kreativ.example.de/handlettering-stifte/", html=html)
    assert fields.paragraphs == body


def test_a_carousels_slide_descriptions_before_the_text_are_captions() -> None:
    # AP's photo carousel: each slide's description ends with its credit
    body = [PARA.format(city=city, thing="earthquake relief") for city in ("Hinatuan", "Bislig", "Lianga")]
    html = f"""<html><body><main><h1>Strong quake shakes southern Philippines</h1><div class="Carousel">
      <div class="CarouselSlide"><figure><img src="/q1.jpg"></figure><div class="CarouselSlide-info">
      <div class="CarouselSlide-infoDescription"><p>Residents gather outside a damaged church in Hinatuan town on Thursday. (AP Photo/Ramil Ocampo)</p></div>
      </div></div></div><div class="RichTextStoryBody">{as_paragraphs(body)}</div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://apnews.example.com/article/philippines-earthquake-3f2a", html=html)
    assert fields.paragraphs == body


def test_a_line_saying_when_the_page_was_changed_is_no_text_and_outvotes_metadata_on_that_day() -> None:
    # Elementor's post info: the day as a list item, the change as the next one; Yoast's
    # datePublished is the change's day. A recipe's "Zuletzt aktualisiert am …" opens the content.
    body = [PARA.format(city=city, thing="winter hiking") for city in ("Oberstdorf", "Sonthofen", "Fischen")]
    ld = '{"@type": "BlogPosting", "datePublished": "2022-11-28T10:14:51+00:00", "dateModified": "2022-11-28T10:14:51+00:00"}'
    html = f"""<html><head><script type="application/ld+json">{ld}</script></head><body><main>
      <h1>Winterwandern rund um Oberstdorf</h1><ul class="elementor-post-info">
      <li class="elementor-icon-list-item"><span class="elementor-post-info__item--type-date">25. November 2021</span></li>
      <li class="elementor-icon-list-item"><span>Zuletzt aktualisiert: 28. November 2022</span></li></ul>
      <div class="entry-content"><p>Zuletzt aktualisiert am 28. November 2022</p>{as_paragraphs(body)}</div></main></body></html>"""
    url = "https://www.hotel-sonnenbichl.example.de/blog/winterwandern-oberstdorf/"
    fields = extract_article(parse_html(html), url, html=html)
    assert fields.paragraphs == body
    assert generic_release(fields, url).published.value == date(2021, 11, 25)


def test_the_subheading_named_by_the_title_under_a_sections_h1_is_found_past_a_side_columns_headings() -> None:
    # Joomla: a side column set before <main> in the page, its headings first; the <h1> names the section
    body = [PARA.format(city=city, thing="the cold season") for city in ("Bacău", "Onești", "Moinești")]
    html = f"""<html><head><title>Ședința extraordinară a CJSU privind sezonul rece</title></head><body>
      <div class="span3"><h3>Comunicate recente</h3><ul><li><a href="/a">Ședința lunară</a></li></ul><h3>Program audiențe</h3>
      <p>Luni, 10:00-12:00</p></div><main><div class="page-header"><h1>Comunicate de presă</h1></div>
      <div class="page-header"><h2 itemprop="headline">Ședința extraordinară a CJSU privind sezonul rece</h2></div>
      <div itemprop="articleBody">{as_paragraphs(body)}</div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.prefectura.example.ro/index.php/comunicate/1843-sedinta", html=html)
    assert fields.title == "Ședința extraordinară a CJSU privind sezonul rece"


@pytest.mark.parametrize("strip", ['<div class="top-line">', '<div class="hdr-top">', '<div class="header-top">'])
def test_a_date_in_a_strip_classed_as_the_sites_header_is_todays(strip: str) -> None:
    # no <header> element: the strip of today's date, the rates and the languages is classed so
    body = [PARA.format(city=city, thing="a new kindergarten") for city in ("Batumi", "Kobuleti", "Khelvachauri")]
    html = f"""<html><body>{strip}<div class="current-date">16 January 2025, Thursday</div>
      <div class="currency">USD 2.8412</div></div><div class="content"><h1>A kindergarten for 240 children opens</h1>
      <div class="meta">By the news desk, agency correspondent in Adjara · 15 January 2025 14:27</div>
      <div class="text">{as_paragraphs(body)}</div></div></body></html>"""
    url = "https://www.agency.example.ge/en/news/132045"
    assert generic_release(extract_article(parse_html(html), url, html=html), url).published.value == date(2025, 1, 15)


@pytest.mark.parametrize(
    "line", ["Members' Bulletin · Tuesday 14 June 2022", "12 février 2024 · Camille Roux, Hugo Lefèvre"]
)
def test_a_date_set_apart_by_a_middle_dot_from_a_label_or_names_is_no_text(line: str) -> None:
    # a bulletin's issue line over its text, a blog's date and authors under its title
    body = [PARA.format(city=city, thing="the members' meeting") for city in ("Leeds", "York", "Hull")]
    html = f"""<html><body><article><h1>Our summer programme</h1>
      <div class="content"><p class="kicker">{line}</p>{as_paragraphs(body)}<p>Tuesday 14 June 2022 · 18:00 · the AGM in the Corn Exchange,
      with the accounts, the election of the board and a talk by the archivist.</p></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://bulletin.example.org/2022/06/summer-programme/", html=html)
    assert fields.paragraphs[:3] == body and len(fields.paragraphs) == 4  # a dated line of the text stays


def test_an_advertisement_labelled_between_dashes_is_taken_out() -> None:
    # tagDiv's in-content ad: "- Reklama -" over the slot
    body = [PARA.format(city=city, thing="geriatric care") for city in ("Bełchatów", "Zelów", "Kleszczów")]
    ad = '<div class="td-a-rec"><span class="td-adspot-title">- Reklama -</span><div class="td-g-rec"><ins class="adsbygoogle"></ins></div></div>'
    html = f"""<html><body><article><h1>Nowy oddział geriatrii</h1><div class="td-post-content">{as_paragraphs(body[:2])}{ad}
      {as_paragraphs(body[2:])}</div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://belchatow.example.info/wiadomosci/oddzial-geriatrii/", html=html)
    assert fields.paragraphs == body


def test_civicplus_post_date_label_dates_the_item_over_the_other_news_posted_under_it() -> None:
    body = [PARA.format(city=city, thing="lead service lines") for city in ("Kirkwood", "Glendale", "Oakland")]
    others = "".join(f'<li><a href="/CivicAlerts.aspx?AID={n}">Other item {n}</a><p class="date">Posted on: March {n}, 2024</p></li>' for n in (5, 26))
    html = f"""<html><body><main><h1 class="moduleTitle">News Flash</h1><div class="single">
      <div class="date">Post Date:<span class="alertPostDate">04/22/2024 8:41 AM</span></div>
      <h3 class="subhead1">City to replace lead service lines</h3><div class="fr-view">{as_paragraphs(body)}</div></div>
      <h2 class="subhead2">Other News in Public Works</h2><ul>{others}</ul></main></body></html>"""
    url = "https://www.kirkwood.example.org/CivicAlerts.aspx?AID=1187"
    assert generic_release(extract_article(parse_html(html), url, html=html), url).published.value == date(2024, 4, 22)


def test_a_widgets_headings_over_links_are_passed_over_under_a_generic_h1() -> None:
    # CivicPlus: "News Flash", then the side widgets "Categories" and "Tools", then the item's <h3>
    body = [PARA.format(city=city, thing="lead service lines") for city in ("Kirkwood", "Glendale", "Oakland")]
    widgets = """<div class="moduleSidebar"><h2>Categories</h2><ul><li><a href="/c1">All Categories</a></li>
      <li><a href="/c2">Public Works</a></li></ul></div><div class="moduleSidebar tools"><h2>Tools</h2>
      <ul class="toolList"><li><a href="/rss"><img src="/rss.png"> RSS</a></li>
      <li><a href="/notify"><img src="/n.png"> Notify Me®</a></li></ul></div>"""
    html = f"""<html><head><title>Kirkwood, MO - Official Website | City to replace lead service lines</title>
      <meta property="og:site_name" content="Kirkwood, MO - Official Website"></head><body>
      <main><h1 class="moduleTitle">News Flash</h1>{widgets}<div class="single"><h3 class="subhead1">City to replace lead service lines</h3>
      <div class="fr-view">{as_paragraphs(body)}</div></div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.kirkwood.example.org/CivicAlerts.aspx?AID=1187", html=html)
    assert fields.title == "City to replace lead service lines"


def test_a_summary_list_under_a_label_classed_as_its_title_before_the_text_is_part_of_it() -> None:
    # Webflow: "Key takeaways" is a <div class="takeaways-label"> over the rich-text list
    body = [PARA.format(city=city, thing="harassment prevention") for city in ("Leeds", "York", "Hull")]
    points = ["Employers must take reasonable steps to prevent harassment", "Tribunals may raise compensation by 25%"]
    html = f"""<html><body><main><h1>The new duty to prevent sexual harassment</h1><div class="insight-body-main">
      <div class="takeaways-box"><div class="takeaways-label">Key takeaways</div><div class="w-richtext"><ul>
      {"".join(f"<li>{p}</li>" for p in points)}</ul></div></div>
      <div class="insight-richtext w-richtext">{as_paragraphs(body)}</div></div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://www.harrowlaw.example.co.uk/insights/duty-to-prevent", html=html)
    assert fields.paragraphs == ["Key takeaways", *(f"• {p}" for p in points), *body]


def test_paragraphs_in_an_aspnet_labels_span_are_the_body() -> None:
    # WebForms: the text is rendered into <span id="…_lblText"> inside a layout table's cell
    cities = ("Bishkek", "Osh", "Naryn", "Talas", "Batken", "Karakol", "Tokmok", "Jalal-Abad", "Kant", "Balykchy", "Uzgen", "Kara-Balta")
    body = [PARA.format(city=city, thing="the constitutional chamber") for city in cities]
    html = f"""<html><body><form id="aspnetForm"><table><tr><td class="menu"><a href="/about">About</a> <a href="/opinions">Opinions</a>
      <a href="/news">News</a></td><td><table><tr><td class="EventTitle"><h1><span id="lblTitle">Urgent opinion endorsed</span></h1></td></tr>
      <tr><td class="EventText"><span id="ctl00_lblText">{as_paragraphs(body)}</span></td></tr></table></td></tr></table></form></body></html>"""
    fields = extract_article(parse_html(html), "https://www.venice.example.int/webforms/events/?id=3041", html=html)
    assert fields.paragraphs == body


@pytest.mark.parametrize("above", ["Media and anti-corruption", "News · Criminal justice"])
def test_a_kicker_over_the_headline_in_the_bodys_block_is_no_text(above: str) -> None:
    # an old field-office template: no <article>, the kicker, the <h1> and the paragraphs in one <div>
    body = [PARA.format(city=city, thing="a workshop for journalists") for city in ("Almaty", "Bishkek", "Osh")]
    html = f"""<html><body><div id="main"><div class="fo-article"><p class="fo-kicker">{above}</p>
      <h1>Journalists trained to report on organized crime</h1>{as_paragraphs(body)}</div></div>
      <div id="right"><h4>Recent stories</h4><ul><li><a href="/x.html">Another story</a></li></ul></div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.unodc.org/roca/en/NEWS/news_2023/december/x.html", html=html)
    assert fields.title == "Journalists trained to report on organized crime"
    assert fields.paragraphs == body


def test_the_headline_under_an_h1_classed_as_its_sections_heading_is_the_title() -> None:
    # an old field-office template: "Press releases 2024" over the release's classed <h2>; a <title> naming neither
    body = [PARA.format(city=city, thing="a legal aid hotline") for city in ("Bishkek", "Osh", "Naryn")]
    html = f"""<html><head><title>Press release - UNODC ROCA</title></head><body><div id="main">
      <h1 class="section-head">Press releases 2024</h1><h2 class="pr-title">A free legal aid hotline for women opens</h2>
      {as_paragraphs(body)}</div></body></html>"""
    fields = extract_article(parse_html(html), "https://www.unodc.org/roca/en/Press-Releases/2024/hotline.html", html=html)
    assert fields.title == "A free legal aid hotline for women opens"
    # an <h1> not so classed stays the headline over a classed subheading
    html = html.replace('class="section-head"', 'class="page-title"')
    fields = extract_article(parse_html(html), "https://www.unodc.org/roca/en/Press-Releases/2024/hotline.html", html=html)
    assert fields.title == "Press releases 2024"


def test_a_pages_own_change_stamp_and_its_dateline_outweigh_metadata_of_the_change() -> None:
    # the metadata's date and the footer's "Page last updated" are the change's; the dateline the release's
    body = [PARA.format(city=city, thing="a legal aid hotline") for city in ("Bishkek", "Osh", "Naryn")]
    body[0] = "Bishkek (Kyrgyzstan), 7 March 2024 – " + body[0]
    html = f"""<html><head><meta name="dc.date" content="2024-03-12"></head><body><main><h1>A hotline opens</h1>
      {as_paragraphs(body)}</main><div id="footer"><p class="updated">Page last updated: 12 March 2024</p></div></body></html>"""
    url = "https://www.unodc.org/roca/en/Press-Releases/2024/hotline.html"
    fields = extract_article(parse_html(html), url, html=html)
    assert ("updated", "Page last updated: 12 March 2024") in fields.dates
    assert generic_release(fields, url).published.value == date(2024, 3, 7)
    # without the stamp the metadata's day stands
    unstamped = html.replace("Page last updated: 12 March 2024", "Contact us")
    assert generic_release(extract_article(parse_html(unstamped), url, html=unstamped), url).published.value == date(2024, 3, 12)


def test_a_line_introducing_a_list_and_a_pull_quote_between_the_bodys_blocks_are_its_text() -> None:
    # a Drupal paragraphs body: each paragraph a block of its own, a list and a quote between them
    paragraphs = [PARA.format(city=city, thing="election coverage") for city in ("Ashgabat", "Mary", "Dashoguz", "Balkanabat")]
    blocks = "".join(f'<div class="c-paragraph c-paragraph--text"><p>{p}</p></div>' for p in paragraphs[:3])
    quote = "“The exercises showed us how to give every candidate a fair hearing,” said a journalist from Dashoguz."
    html = f"""<html><body><article><h1>Journalists trained on election coverage</h1><div class="c-article__body">{blocks}
      <div class="c-paragraph c-paragraph--text"><p>Topics of the course included:</p></div>
      <ul class="c-list"><li>standards of election coverage;</li><li>paid political advertising.</li></ul>
      <figure class="c-quote"><blockquote><p>{quote}</p></blockquote></figure>
      <div class="c-paragraph c-paragraph--text"><p>{paragraphs[3]}</p></div></div></article></body></html>"""
    fields = extract_article(parse_html(html), "https://ashgabat.osce.org/news/journalists/584388", html=html)
    assert fields.paragraphs == [*paragraphs[:3], "Topics of the course included:", "• standards of election coverage;",
                                 "• paid political advertising.", quote, paragraphs[3]]  # fmt: skip


def test_metadata_dated_after_the_day_shown_under_the_headline_is_a_changes() -> None:
    # a page cannot show a day before it was published: the later metadata is an import's or a change's
    body = [PARA.format(city=city, thing="accessible polling stations") for city in ("Astana", "Almaty", "Shymkent")]
    url = "https://www.undp.org/kazakhstan/news/accessible-polling-stations"
    html = f"""<html><head><meta property="article:published_time" content="2024-06-05T16:22:00+05:00"></head><body>
      <main><h1>Accessibility audit covers 1,100 polling stations</h1><h6 class="coh-heading date-published">June 3, 2024</h6>
      {as_paragraphs(body)}</main></body></html>"""
    assert generic_release(extract_article(parse_html(html), url, html=html), url).published.value == date(2024, 6, 3)
    # metadata of an earlier day stands (the day shown may be a change's), as it does where the
    # title is also a sidebar's link, whose next line may be another story's date
    earlier = html.replace("2024-06-05T16:22:00", "2024-06-01T16:22:00")
    assert generic_release(extract_article(parse_html(earlier), url, html=earlier), url).published.value == date(2024, 6, 1)
    sidebar = html.replace("<main>", '<aside><ul><li><a href="/x">Accessibility audit covers 1,100 polling stations</a></li>'
                                     "<li>June 3, 2024</li></ul></aside><main>")
    assert generic_release(extract_article(parse_html(sidebar), url, html=sidebar), url).published.value == date(2024, 6, 5)


@pytest.mark.parametrize(
    ("pager", "expected"),
    [
        ('<a href="/publisher/osce?page=2">Older releases →</a>', "/publisher/osce?page=2"),
        ('<a href="?page=1">1</a> <a href="?page=2">2</a> <a href="?page=3">3</a>', "/publisher/osce?page=2"),  # from 1
        ('<a href="?page=1">2</a> <a href="?page=2">3</a>', "/publisher/osce?page=1"),  # Drupal's, from 0
        ('<a href="/publisher/osce/page/2/">Следующая страница ›</a>', "/publisher/osce/page/2/"),
        ('<a href="?cat=3&amp;pg=2">&laquo; Older Entries</a>', "/publisher/osce?cat=3&pg=2"),  # an arrow before the word
        # a slider's arrow comes first in the page: it turns the slides, it leads to no page
        ('<a class="carousel-control-next" href="#featured"><span class="sr-only">Next</span></a>'
         '<a href="javascript:;" aria-label="Previous">«</a><a href="?_portlet_cur=2" aria-label="Next">»</a>',
         "/publisher/osce?_portlet_cur=2"),
    ],
)
def test_a_pagers_next_page_in_words_or_numbered_from_one_or_from_zero(pager: str, expected: str) -> None:
    url = "https://www.pubt.io/publisher/osce"
    assert next_page_url(parse_html(f"<html><body><main><nav>{pager}</nav></main></body></html>"), url) == f"https://www.pubt.io{expected}"


def test_a_wordpress_feed_without_the_posts_whole_gives_summaries_even_uncut() -> None:
    item = """<item><title>Water officials agree</title><link>https://newscentralasia.net/2024/05/15/water/</link>
      <description><![CDATA[The working group met in Dashoguz. The post Water officials agree appeared first on nCa.]]></description></item>"""
    wordpress = f'<rss version="2.0"><channel><generator>https://wordpress.org/?v=6.5.3</generator>{item}</channel></rss>'
    other = f'<rss version="2.0"><channel><generator>Drupal 10</generator>{item}</channel></rss>'
    assert parse_feed(wordpress.encode())[0].summary
    assert not parse_feed(other.encode())[0].summary  # a description may be the whole release elsewhere


def test_a_wires_day_of_distribution_is_no_day_of_publication() -> None:
    body = [PARA.format(city=city, thing="community policing") for city in ("Kulob", "Dushanbe", "Bokhtar")]
    url = "https://www.pubt.io/view/6ed84c81b404065839381fafaed3b98ce9285df2"
    html = f"""<html><head><meta property="article:published_time" content="2025-03-12T09:14:00+01:00"></head><body><main>
      <h1>Fifth community police partnership centre opens</h1>
      <p class="meta">03/11/2025 | Press release | Distributed by Public on 03/12/2025 09:14</p>{as_paragraphs(body)}</main></body></html>"""
    fields = extract_article(parse_html(html), url, html=html)
    assert ("updated", "03/12/2025 09:14") in fields.dates
    source = Source(key="pubt", name="p", organisation="p", family="generic", kind="listing", start_urls=(url,),
                    allowed_hosts=(), date_order="MDY", syndication=True)  # fmt: skip
    raw = RawRelease(source="pubt", url=url, title=fields.title, text=fields.text, dates=[*fields.dates, ("listing", "03/12/2025")])
    assert normalize_release(raw, source, {}, date(2026, 1, 1)).published.value == date(2025, 3, 11)


def test_a_page_without_a_headline_is_named_as_its_breadcrumb_ends() -> None:
    body = [PARA.format(city=city, thing="electronic monitoring") for city in ("Bishkek", "Osh", "Naryn")]
    html = f"""<html><head><title>Kyrgyzstan's probation service starts electronic monitoring | UNODC ROCA</title></head>
      <body><div class="breadcrumb">You are here: <a href="/unodc/">UNODC</a> &gt; <a href="/roca/en/">Central Asia</a> &gt;
      2024 &gt; Kyrgyzstan's probation service starts electronic monitoring</div><table><tr><td>{as_paragraphs(body)}</td></tr>
      </table></body></html>"""
    fields = extract_article(parse_html(html), "https://www.unodc.org/roca/en/Press-Releases/2024/monitoring.html", html=html)
    assert fields.title == "Kyrgyzstan's probation service starts electronic monitoring"


def test_an_entrys_date_in_an_element_of_its_own_and_a_selector_that_finds_no_date() -> None:
    # a card laid out by CSS alone: "<span>Заявление</span><span>28.10.2024</span>" reads "Заявление28.10.2024"
    card = """<li><a href="/ru/node/61275"><div class="flex"><span>Заявление</span><span>28.10.2024</span></div>
      <h3>Заявление по итогам встречи водопользователей</h3><p>Текст анонса.</p></a></li>"""
    pattern = re.compile(r"^/(?:[a-z]{2}/)?node/(\d{5,})$")
    (entry,) = listing_entries(parse_html(f"<html><body><main><ul>{card}</ul></main></body></html>"),
                               "https://uzbekistan.osce.org/ru/news", pattern, ("uzbekistan.osce.org",))  # fmt: skip
    assert entry.dates == [("listing", "28.10.2024")]
    # a source's date selector that now names the headline: no date from it, the card's own instead
    card = card.replace("<h3>", '<h3 class="coh-heading">')
    (entry,) = listing_entries(parse_html(f"<html><body><main><ul>{card}</ul></main></body></html>"),
                               "https://uzbekistan.osce.org/ru/news", pattern, ("uzbekistan.osce.org",),
                               date_selector="h3.coh-heading")  # fmt: skip
    assert entry.dates == [("listing", "28.10.2024")]


def test_an_aggregators_repost_is_dated_by_the_day_it_says_the_original_appeared() -> None:
    # ReliefWeb: the repost's metadata and first <time> are its posting's; "Originally published"
    # gives the release's day; a related story's card further down says its own
    html = f"""<html><head><meta property="article:published_time" content="2023-11-22T14:36:08+00:00"></head><body>
      <article><h1>OSCE supports Turkmenistan's efforts to improve access to justice</h1>
      <dl class="rw-entity-meta"><dt>Source</dt><dd>OSCE</dd><dt>Posted</dt><dd><time datetime="2023-11-22T14:36:08+00:00">22 Nov 2023</time></dd>
      <dt>Originally published</dt><dd><time datetime="2023-11-21T00:00:00+00:00">21 Nov 2023</time></dd></dl>
      {as_paragraphs([PARA.format(city=city, thing="legal aid") for city in ("Ashgabat", "Mary", "Dashoguz")])}</article>
      <section class="rw-river"><h2>Related Content</h2><article><h3><a href="/report/tkm/other">Another report</a></h3>
      <dl><dt>Posted</dt><dd>30 Oct 2023</dd><dt>Originally published</dt><dd>30 Oct 2023</dd></dl></article></section>
      </body></html>"""
    url = "https://reliefweb.int/report/turkmenistan/osce-supports-turkmenistans-efforts"
    release = generic_release(extract_article(parse_html(html), url, html=html), url)
    assert release.published.value == date(2023, 11, 21)


def test_an_aggregators_card_is_dated_by_the_day_the_original_appeared() -> None:
    card = """<article><h3><a href="/report/kyrgyzstan/osce-helps-kyrgyz-police">OSCE helps Kyrgyz police pilot new standards</a></h3>
      <dl><dt>Source</dt><dd>OSCE</dd><dt>Originally published</dt><dd>30 Oct 2025</dd></dl></article>"""
    pattern = re.compile(r"^/report/[a-z-]+/[a-z0-9-]+$")
    (entry,) = listing_entries(parse_html(f"<html><body><main>{card}</main></body></html>"),
                               "https://reliefweb.int/updates", pattern, ("reliefweb.int",))  # fmt: skip
    assert entry.dates == [("listing", "30 Oct 2025")]
    assert "originally published" not in entry.facets


def test_an_h1_naming_the_section_yields_to_the_subheading_the_articles_metadata_names() -> None:
    # the <title> repeats the section's <h1>; og:title names the news item's own <h2>
    headline = "В Самарканде откроют второй участок Северной объездной дороги"
    html = f"""<html><head><title>Новости региона — Самаркандский вестник</title>
      <meta property="og:title" content="{headline}"></head><body><header><a href="/">Самаркандский вестник</a></header>
      <main><h1 class="section-title">Новости региона</h1><article><h2 class="news-detail__title">{headline}</h2>
      {as_paragraphs([PARA.format(city=city, thing="roads") for city in ("Samarkand", "Urgut", "Kattakurgan")])}</article>
      <aside><h3>В этом разделе</h3></aside></main></body></html>"""
    fields = extract_article(parse_html(html), "https://vestnik.example.uz/news/region/2291", html=html)
    assert fields.title == headline


@pytest.mark.parametrize("headed", ["<h3>For more information</h3>", "<h2>Weitere Informationen:</h2>"])
def test_the_links_a_release_ends_with_under_their_heading_are_its_text(headed: str) -> None:
    # the EU's and the UN's releases end with links to the pages they refer to; a paper's
    # "Más información" box amid the text links to its other stories
    body = [PARA.format(city=city, thing="transport links") for city in ("Astana", "Almaty", "Aktau")]
    links = '<ul><li><a href="/policies/central-asia/">EU–Central Asia relations</a></li><li><a href="/gg">Global Gateway</a></li></ul>'
    html = f"""<html><body><main><h1>EU and Kazakhstan sign transport deal</h1><div class="body">{as_paragraphs(body)}
      {headed}{links}<p>IP/24/1587</p></div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://ec.europa.eu/commission/presscorner/detail/en/ip_24_1587", html=html)
    assert "• EU–Central Asia relations" in fields.paragraphs and "• Global Gateway" in fields.paragraphs
    amid = f"""<html><body><main><h1>El TSJ anula el plan</h1><div class="body">{as_paragraphs(body[:2])}
      <div class="b-links-list"><h3>Más información</h3><ul><li><a href="/2023/08/10/agua/">Los municipios piden un plan</a></li>
      </ul></div>{as_paragraphs(body[2:] * 3)}</div></main></body></html>"""
    fields = extract_article(parse_html(amid), "https://www.diario.example.es/cantabria/2024/01/12/tsj/", html=amid)
    assert "Los municipios piden un plan" not in fields.text and "Aktau" in fields.text


@pytest.mark.parametrize(
    "disclaimer",
    [
        '<p class="mn-disclaimer">/Public Release. This material from the originating organization might be of the point-in-time nature.</p>',
        '<div class="article-disclaimer"><p>This article is for general information only and is not legal advice.</p></div>',
    ],
)
def test_a_republishers_disclaimer_closing_the_body_is_not_text(disclaimer: str) -> None:
    body = [PARA.format(city=city, thing="seagrass") for city in ("Brisbane", "Cleveland", "Redland")]
    html = f"<html><body><main><h1>Seagrass returns</h1><div class=entry-content>{as_paragraphs(body)}{disclaimer}</div></main></body></html>"
    fields = extract_article(parse_html(html), "https://www.miragenews.example/seagrass-returns-1194127/", html=html)
    assert fields.paragraphs == body


@pytest.mark.parametrize(
    ("dated", "a_release"),
    [("January 1, 2023 – December 31, 2025", False), ("01.03.2022 — 28.02.2025", False), ("March 12, 2024", True)],
)
def test_a_page_dated_only_by_a_projects_span_does_not_read_as_a_release(dated: str, a_release: bool) -> None:
    # LPRC's project pages share its releases' URL shape; their only dates are the project's duration
    body = [PARA.format(city=city, thing="access to justice") for city in ("Astana", "Almaty", "Shymkent", "Aktobe")]
    html = f"""<html><body><main><h1>Access to justice in Central Asia</h1><div class="project-meta">{dated}</div>
      <div class="entry-content">{as_paragraphs(body)}</div></main></body></html>"""
    fields = extract_article(parse_html(html), "https://lprc.kz/en/project/access-to-justice-central-asia/", html=html)
    assert (not_a_release(fields) == "") == a_release


NODE = re.compile(r"^/(?:[a-z]{2}/)?(?:news/[a-z0-9-]+/)?(?:node/)?(\d{5,})/?$")


def entries_of(body: str, url: str = "https://bishkek.osce.org/news") -> list:
    return listing_entries(parse_html(f"<html><body><main>{body}</main></body></html>"), url, NODE, ("bishkek.osce.org",))


def test_a_microdata_item_is_an_entry_whole_and_its_teaser_does_not_stop_it() -> None:
    item = '<div class="article" itemscope itemtype="http://schema.org/Article">{}</div>'
    # the only release of a last page, beside another site's item: its entry is its own item
    (entry,) = entries_of(
        item.format('<h3><a href="/node/568230">Forty female police officers complete leadership course</a></h3>'
                    '<time datetime="2024-03-07">07.03.2024</time>')
        + item.format('<h3><a href="https://www.osce.org/secretariat/566120">Secretary General visits</a></h3>'
                      '<time datetime="2024-02-19">19.02.2024</time>')
    )
    assert entry.dates == [("listing", "2024-03-07")]
    # a headline that is no link, its teaser above the one link, "Подробнее"
    (entry,) = entries_of(item.format(
        "<h3>Журналисты из всех велаятов обучились освещению выборов</h3><div itemprop=description><p>Двадцать "
        'журналистов прошли трёхдневный курс по освещению избирательных кампаний.</p></div><a class="more" '
        'href="/node/58541">Подробнее</a><time datetime="2024-03-19">19.03.2024</time>'))  # fmt: skip
    assert entry.title == "Журналисты из всех велаятов обучились освещению выборов"
    assert entry.dates == [("listing", "2024-03-19")]


@pytest.mark.parametrize(
    ("shown", "dates"),
    [
        # a calendar badge, each piece in an element of its own
        ('<div class="post-date"><span class="m">Jan</span><span class="d">10</span><span class="y">2024</span></div>',
         [("listing", "Jan 10 2024")]),
        # a day and month, the year in the month heading the list groups it under
        ('<div class="row__date"><span>20</span><span>Mar</span></div>', [("listing", "20 Mar 2024")]),
        # a UTC stamp the day before the day the item shows: the day its readers see
        ('<time datetime="2024-04-02T22:40:00Z">OSCE - Wed, 03/04/2024 - 00:40</time>',
         [("listing", "OSCE - Wed, 03/04/2024 - 00:40")]),
    ],
)
def test_an_entrys_day_as_a_listing_shows_it(shown: str, dates: list) -> None:
    (entry,) = entries_of(f'<h2>March 2024</h2><div class="row">{shown}<h3><a href="/node/581690">Police trainers '
                          "complete ODIHR course on investigating hate crimes</a></h3></div>")
    assert entry.dates == dates


def test_a_run_of_link_paragraphs_costs_a_few_readings_each(monkeypatch: pytest.MonkeyPatch) -> None:
    # whether links end the release under "For more information" is asked of each link paragraph:
    # reading all the paragraphs after each made a page of 3,000 links take 13 s
    from monitor.crawling.extract import article

    calls = 0
    text_of = article.text_of

    def counted(element):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return text_of(element)

    monkeypatch.setattr(article, "text_of", counted)
    links = "".join(f'<p><a href="/n/{i}">Another story number {i}</a></p>' for i in range(1000))
    body = as_paragraphs([PARA.format(city=city, thing="legal aid") for city in ("Astana", "Osh", "Naryn")])
    html = f"<html><body><main><h1>Court reform</h1><div>{body}<h2>Related</h2>{links}</div></main></body></html>"
    fields = extract_article(parse_html(html), "https://news.example.org/a", html=html)
    assert "Another story" not in fields.text
    assert calls < 20 * 1000  # a few for each paragraph, not one for each paragraph after it
