"""Article pages written elsewhere, in markup none of the sources' fixtures or the demo mirror use
(WordPress and Drupal themes, site builders, old table-layout portals, news portals and NGO
blogs, in several languages), each with the title and publication date its author gave it, text
the article holds and page text that is not the article's: read by the generic path, which a new
or redesigned site falls through to, and stored as the monitor stores it."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from typing import Any

import pytest

from monitor.crawling.extract.article import extract_article
from monitor.crawling.extract.html import parse_html
from monitor.crawling.extract.page import raw_release
from monitor.settings.sources import Source
from monitor.understanding.normalize import normalize_release
from tests.conftest import FIXTURES

PAGES = FIXTURES / "elsewhere"
GOLD: list[dict[str, Any]] = json.loads((PAGES / "gold.json").read_text(encoding="utf-8"))
SOURCE = Source(key="generic", name="generic", organisation="generic", family="generic", kind="listing",
                start_urls=("https://example.org/",), allowed_hosts=())  # fmt: skip
# What the generic path does not read yet, and why: each must fail, so that a fix is noticed.
NOT_YET = {
    "70.html": "a forum thread: the replies after the first post are read as the post's sibling sections",
    "81.html": "a product review: its pros and cons (a block before the body) and its verdict (an <aside> in it) "
    "are left out",
    "84.html": "a React page without <p>: trafilatura reads it, with the comments the page marks only by data-testid",
    "95.html": "a judgment summary whose case number and decision are a table before the sections: the table is "
    "left out",
    "118.html": "a key-facts <aside> before the body is left out",
    "124.html": "a Mailchimp newsletter: its sign-off ('Zespół Fundacji Otwarte Miasto'), in a table cell of its own after "
    "the text, is left out",
    "130.html": "the captions of a gallery between two paragraphs are left out, as captions are elsewhere",
    "160.html": "a journal article's page: the references after the abstract are read as a part of its body",
    "166.html": "a photo strip's credit line ('Suratlar: …'), a <div> after the pictures inside the body, is read",
    "174.html": "a wiki news article: its 'Sources' list under a heading after the text is read as a part of it",
    "188.html": "a Chinese portal: a caption and an app's promotion inside the article are read as paragraphs",
    "204.html": "a paywalled article: the paywall's 'Il vous reste 72.84% de cet article à lire' line is read",
    "223.html": "broken 1990s markup: the headline is not found and an older date is taken",
    "224.html": "text bare in a table cell beside a poll and a view counter: their lines are read with it",
    "230.html": "an article in an <iframe srcdoc>: only the summary outside it is read",
    "272.html": "an old Korean layout: the photo's caption table and a related-articles table inside the body's cell are "
    "read as text",
    "279.html": "the 'Serviço' box (where, when, how much) after the body, a heading and a list in one block, is left out",
    "292.html": "a listicle whose gold counts each picture's caption as text; captions are kept apart",
    "293.html": "a photo-gallery article told in the slides' captions; captions are kept apart, so little text remains",
    "295.html": "a long read's endnotes, in a section of their own after the last chapter, are left out",
    "299.html": "a legal news page: the decision's line ('LAG Niedersachsen, Urteil vom …') in a labelled field above the "
    "body is left out",
    "301.html": "a Jimdo match report whose gold counts a picture's caption as text; captions are kept apart",
    "302.html": "a parish newsletter whose gold counts a picture's caption as text; captions are kept apart",
    "303.html": "a shop's blog post whose gold counts a WordPress caption as text; captions are kept apart",
    "305.html": "a school's news whose gold counts a picture's caption as text; captions are kept apart",
    "306.html": "a phpBB thread: the topic's title is not found (the <h1> is the forum's name) and an attachment's line "
    "('… Viewed 311 times') is read",
    "307.html": "a hand-written page whose headline is a bold <font> line the <title> does not repeat: the <title> is taken",
    "308.html": "a choir's announcement whose gold counts the poster's caption as text; captions are kept apart",
    "309.html": "podcast show notes whose gold counts a picture's caption as text; captions are kept apart",
    "310.html": "a Wix post: a picture's caption (kept apart) and the closing signature, a short line in a block of its "
    "own, are left out",
    "351.html": "an embedded tweet's text in the body is read, as the peer-eval gold counts it; this page's gold does not",
    "358.html": "a Tilda long read over many records: the subheadings, the quotes and the closing note, each in a record "
    "of its own kind between the text records, are left out",
    "361.html": "a hand-written page in nested layout tables: the sidebar's and the footer's cells are read with the text",
    "362.html": "a page dated only by 'Stand: 21.11.2023': htmldate takes a news list's datePublished instead",
    "366.html": "a wiki article: the infobox picture's caption is read as text",
    "367.html": "a Jimdo news item: a closing line from the 'other news' module below it is read with it",
    "380.html": "an annual report page whose gold counts a chart's caption as text; captions are kept apart",
    "382.html": "a Liferay city page: its date in a 'fecha' span is not read, and htmldate takes the update day",
    "387.html": "an old table layout: the date line shares its table with a news column, the lead line is missed and a "
    "'Leggi anche' box is read",
    "404.html": "a fire brigade's report: the <h1> is the call-out's number, the headline the <h2> under it; the "
    "call-out's data table before the text is left out",
    "432.html": "a Blogger post in <br> lines, read by trafilatura, which adds the blog's description after the text",
    "444.html": "a police appeal in <br> lines beside a few paragraphs (a side box, a cookie bar): trafilatura's reading, "
    "with the side column, replaces it",
    "481.html": "a print version: the text loose in <body>, read by trafilatura with the print links and the source lines",
    "491.html": "an event page in Elementor sections: the description widget is short beside the page's other sections, so "
    "trafilatura's reading replaces it, without the audience list and the venue's heading",
    "492.html": "a course page whose mega-menu repeats a line the gold keeps out",
    "498.html": "a docs page: its 'See also' list of links is left out as navigation is, and its only dates are the git "
    "footer's 'Created' and 'Last update'",
    "501.html": "an 'About us' page in Elementor: the club's list of coming events is read with it",
    "504.html": "a shop's product page: the technical data in a tab beside the description is left out, and its date is "
    "the product's 'Im Sortiment seit'",
    "514.html": "a Dreamwidth entry: the date is in linked pieces, the journal's profile and generated-on lines are "
    "read with it",
    "517.html": "a Mailchimp campaign in nested layout tables: the sections' short items are cut, the email's frame is read",
    "539.html": "a Japanese release: a researcher's quote in a box classed 'box_comment' is left out as comments are",
    "542.html": "a broadcaster's 'Dieses Thema im Programm' line after the text is read with it",
    "558.html": "a short item in an HTML 4 table layout, read by trafilatura with the agency's name and a view counter",
    "566.html": "a Wix post whose last block, a sign-off ending in a comma, is left out",
    "589.html": "an interview of <div>s only: the dek beside the headline is left out",
    "599.html": "an Avada page: the results' subheading and tabs sit in a block classed 'nav-not-justified', left out as "
    "navigation is",
    "645.html": "a UN release: the 'Topics' field after the body (a label heading over links) is read with it",
    "651.html": "a paywall's offer box classed 'paywall-teaser' is read (page 204 classes the text's last lines so)",
    "663.html": "a police news item under the section's <h1> ('Новости'): the section's name is taken for its title",
    "670.html": "a 2000s table layout: the headline (a bold line in the text cell) and 'Новость от 05.10.2022' are not "
    "found; the <title> and a dated news row are taken",
    "674.html": "a commentary's 'This commentary originally appeared in …' line inside the content is read",
    "676.html": "an AMP feature: the author's bio, an italic paragraph closing the content, is read",
    "695.html": "a McClatchy story: the closing 'This story was originally published July 10, 2020 12:54 PM.' is read "
    "(other projects' gold counts such lines as text)",
    "698.html": "a station's promo closing the body ('Watch the latest coronavirus coverage from KARE 11 on …') is read",
    "726.html": "DW's 'While you're here:' newsletter pitch, a paragraph of the text block, is read",
    "752.html": "hand-written HTML in layout tables: the headline (a <font> line) is not found, the 'eingestellt am' line "
    "and a side cell's line are read",
    "757.html": "a phpBB thread: the edit note, the signature and a reply are read",
    "759.html": "a TYPO3 4.5 page whose meta 'date' is a later change: it outvotes the shown '20.05.2015 09:14'",
    "774.html": "a BC Gov release: the backgrounder after the 'Connect with the Province' line is left out",
    "793.html": "a Blogger post in <br> lines: the blog's description is read with it",
    "805.html": "a CURIA release in a table layout: a 'dateBar' of today's date is taken for the byline, the metadata's "
    "day (a day late) for the publication; 'Luxembourg, le 21 mars 2024' is not read",
    "806.html": "a Council of Europe item: its list of links to the site's reports is left out as navigation is",
    "819.html": "an HTML 4 layout-table page: a photo line after the text is read",
    "821.html": "a gob.mx release: its day is a bare <dd>, and its dateline opens the fourth paragraph, after the bullets; "
    "htmldate's guess is taken",
    "830.html": "a Mexican paper whose meta 'date' and dateModified are the update's day, over the shown '16/01/2025'",
    "834.html": "a JNews post: a Viber community box inside the content ('Join the Sugbo Times Viber community') is read",
    "840.html": "a live blog: the 'Last Updated' line is read and the two latest updates' headlines are missed",
    "845.html": "a Divi post read by trafilatura: the caption, a text module of its own after the picture's, is read",
    "846.html": "a Genesis walkthrough: the series box's 'This entry is part 2 of 4 in the series' is read",
    "861.html": "a Docsy post: the 'Was this page helpful?' feedback heading after the text is read",
    "887.html": "a Drupal 7 event: the event's day (a date box and dcterms.date) outvotes 'Submitted by … on 09/24/2024'",
    "902.html": "a live ticker: the betting box's '18+ | Glücksspiel kann süchtig machen' and the match facts line are read",
    "904.html": "a transfer report whose headline is the club's name and the news in two spans: the club is taken as a kicker",
    "909.html": "a local paper's recap: a video promo ('Watch: …') between the paragraphs is read",
    "911.html": "an Arc XP page: the UTC stamps and the URL outvote the shown '15 Ene, 2024 11:47 p.m. AR'",
    "915.html": "an Italian daily read by trafilatura: the 'Ultima modifica il …' line is read",
    "928.html": "a MedicalXpress-style page: the citation's 'retrieved 21 August 2023 from …' line is read",
    "929.html": "a university hospital release: a wrong meta date outvotes 'Pressemitteilung vom 21.02.2024'",
    "934.html": "a Korean broadcaster's transcript in <br> lines: the crew credits, a related story and the date line are read",
    "938.html": "an easy-Japanese story dated '[1月15日 16時30分]' with no year: htmldate's day before is taken",
    "964.html": "a vismo town hall page: a gallery's caption in a list item's <span class='popis'> is read",
    "965.html": "an Angular county portal: the lead, a <div> of its own before the text blocks, is missed",
    "968.html": "a city hall release: a wrong meta date outvotes the dateline 'Brașov, 5 iulie 2018 –'",
    "981.html": "a hand-written homepage in layout tables: captions, the date line, the webring and a back link are read",
    "982.html": "a Pipermail message in one <pre>: the archive's headers, the signature and the list's footer are read",
    "983.html": "a Hypermail reply in <br /> lines: the Date header and the signature are read",
    "985.html": "a vBulletin thread: the date, a bare text node in the post's header cell, is not found; htmldate's "
    "guess is taken",
    "987.html": "a new Google Sites page: the banner's title is taken for the headline",
    "988.html": "a Notion page: the sign-off in a div block of its own is missed",
    "989.html": "a MediaWiki news page: the archive notice is read; its date line is read as a month, and htmldate's "
    "day of an infobox story is taken",
    "990.html": "a table-layout club page: the club's name is taken for the headline",
    "1005.html": "a Mailchimp archive in nested tables: the letter's greeting, a cell of its own, is missed",
    "1007.html": "a Cision report: a bold line standing as a subheading before its list is missed",
    "1009.html": "a Mailchimp archive: the issue line and a caption are read, one list item is missed",
    "1029.html": "a Finnish paper on Drupal 7: a related story's title is read",
    "1030.html": "a Liferay city page: an events portlet's <time> (8 June) outvotes 'Julkaistu 15.5.2024'",
    "1042.html": "a CivicPlus News Flash: the meeting's 'Date: Tuesday, 03/12/2024' line in the text is read as a label",
    "1044.html": "a think tank's release: the 'The full report is available at' line before a link box is left out",
    "1055.html": "an old broadcaster page: a related item's date is taken over the bare 'تاریخ' label's, and a caption "
    "closing with '(عکس از آرشیو)' is read",
    "1083.html": "a Wix club page: the SEO title is taken over the <h2> headline, so its date box is not found",
    "1086.html": "a hand-written church page: the church's <h1> is taken over <p class='newshead'>, and the 'Posted … by' "
    "line is read",
    "1089.html": "a WPBakery parish page: the 'Prot. 27/2024 – …, 12 luglio 2024' protocol line is read",
    "1128.html": "old Bitrix tables: an 'other news' teaser paragraph after the text is read",
    "1133.html": "a Tilda landing page: the 'Call for Applications:' line before the headline is left out of it, and "
    "the deadline, set first in the markup, is taken for the date",
    "1140.html": "a Wix page: another news item's title and the hotline's label, in text boxes after the text, are read",
    "1147.html": "a Nigerian daily: the visible stamp, the change's day, is taken over the metadata's publication day",
    "1148.html": "a South African daily showing only '2h ago': the UTC stamp's day is taken, not the local one",
    "1149.html": "an AMP page: the site's 'Track Latest News Live on …' line closing the body is read",
    "1156.html": "a science release aggregator: the paper's publication date is taken over the release's",
    "1157.html": "a science news page: the 'retrieved … from <url>' citation line is read",
    "1173.html": "an Elementor event page: the speakers' roles in image boxes are left out",
    "1180.html": "a Yii2 university page: og:updated_time is taken, the shown date by a view count not found",
    "1184.html": "a LiveJournal post: an inline caption ending 'Фото автора' is read",
    "1189.html": "a Blogger page: the 'Пікірлерді жариялау (Atom)' feed link after the post is read",
    "1191.html": "a Japanese ministry's 'Adobe Reader' notice under the attachments is read as text",
    "1200.html": "a Hong Kong release in <br> lines: its picture's caption '圖示…' after the text is read",
    "1205.html": "a UNDP page's Arabic dateline set as a paragraph of its own, which the gold counts apart from the text",
    "1208.html": "a Hebrew dateline set as a paragraph of its own, which the gold counts apart from the text",
    "1213.html": "a Brazilian court's 'Leia o acórdão' link line closing the story is left out as a prompt",
    "1234.html": "an Indonesian court's date line holds a view counter, too long for a byline; htmldate takes the header's day",
    "1238.html": "a Thai department's photo credit 'ภาพ:' after the text is read",
    "1240.html": "a Blogger post's centred caption <div> inside the body is read as text",
    "1243.html": "a GhanaWeb story in one <p> of <br> lines: its 'Watch the latest edition' promo is read",
    "1244.html": "a judgment dated 'Delivered' after a 'Heard' date; neither is read as the publication's",
    "1252.html": "a Greek ministry's headline opens with its date '20-02-24', which the <title> leaves out",
    "1254.html": "an old PHP page's byline in a span classed 'data'; htmldate's day from a picture's URL is taken",
    "1260.html": "a Hungarian paper's 'support Telex' box inside the text is read",
    "1266.html": "a Nepali court's dates only in the Bikram Sambat calendar ('२०८२-०१-१०'), which is not read",
    "1267.html": "a Bangladesh ministry's headline as a cell of a label/value table under a site-wide <title>",
    "1278.html": "an EBRD release dated '07.12.23' (a two-digit year), its meta date the later change",
    "1280.html": "a Bitrix lead in a 'news-detail__preview' <div> is left out",
}


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@pytest.mark.parametrize(
    "gold",
    [
        pytest.param(g, marks=pytest.mark.xfail(reason=NOT_YET[g["page"]], strict=True)) if g["page"] in NOT_YET else g
        for g in GOLD
    ],
    ids=[g["page"] for g in GOLD],
)
def test_a_page_from_elsewhere_is_read_as_its_author_wrote_it(gold: dict[str, Any]) -> None:
    html = (PAGES / gold["page"]).read_text(encoding="utf-8")
    fields = extract_article(parse_html(html), gold["url"], html=html)
    raw = raw_release(fields, "generic", gold["url"])
    release = normalize_release(raw, SOURCE, {}, date(2026, 12, 31))
    assert normal(release.title) == normal(gold["title"])
    assert release.published is not None and release.published.value.isoformat() == gold["date"]
    text = normal(release.text)
    assert [snippet for snippet in gold["with"] if normal(snippet) not in text] == []
    assert [snippet for snippet in gold["without"] if normal(snippet) in text] == []
