"""Fields of an article page, each with where it came from: JSON-LD and meta tags, labels,
<time>, bylines and the URL for dates (settled by the normalizer); the page structure for the
title and body; trafilatura's reading where the structure holds too little of the page's prose,
htmldate's inference where the page states no readable date of its own."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from itertools import islice
from urllib.parse import SplitResult, urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from monitor.crawling.extract.html import (
    DATE_LINE_CHARS,
    LABELS,
    PUBLISHED_CLASS,
    REPOSTED,
    above_banner,
    block_lines,
    dated_element_text,
    heading_text_of,
    in_site_frame,
    jsonld_objects,
    labelled_values,
    meta_tags,
    short_text_of,
    split_list,
    text_of,
    thinned,
    without,
)
from monitor.crawling.extract.select import select
from monitor.crawling.extract.telegram import telegram_post
from monitor.understanding.normalize.dates import (
    day_shown,
    opening_dateline,
    parse_date,
    shown_day,
    slashed_order,
    url_date,
)
from monitor.understanding.normalize.text import DISCLOSURE

# schema.org's Article and its kinds ("OpinionNewsArticle", "ScholarlyArticle", "TechArticle"), a
# BlogPosting, a press release; not a live blog's or a social post's (their bodies are not one
# article's); a bare WebPage only where none of these is stated
ARTICLE_TYPE = re.compile(r"(?:article|pressrelease|^blogposting)$")
MAX_DATE_CHARS = 200  # a date as written is a few dozen characters
STATED_DATES = {"selector", "meta", "label", "time"}  # what the page itself says its date is
MIN_BODY_CHARS = 200
CHECKED_BODY_CHARS = 1000  # a body shorter than this is checked against trafilatura
PROSE_SHARE = 0.7  # a body holding less of the page's paragraph text than this is checked against trafilatura
SURROUNDINGS_CHARS = 250  # what trafilatura adds beyond such a body up to this is a kicker, a contact line, a teaser
GAP_LINE_CHARS = 100  # a line trafilatura reads inside our body that is shorter is a heading, a caption, a credit
GAP_LOOKAHEAD = 20  # paragraphs of ours a line both readings hold is looked for in, from the last one found
GAP_FILLED_CHARS = 100_000  # a longer body is not filled: each line of the other reading is looked for in it


@dataclass
class ArticleFields:
    title: str = ""
    title_from: str = "none"  # selector, h1, metadata...
    paragraphs: list[str] = field(default_factory=list)
    dates: list[tuple[str, str]] = field(default_factory=list)
    canonical_url: str | None = None
    lang: str | None = None
    facets: dict[str, list[str]] = field(default_factory=dict)
    captions: list[str] = field(default_factory=list)
    body_from: str = "structure"  # structure, selector (the source's own), jsonld, trafilatura, none
    date_order: str | None = None  # DMY or MDY where the page's own slashed dates show which

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


# Blocks beside the body that are not the article: comments, related content, sharing, banners.
# Not Drupal's "node-promoted" (an article promoted to the front page is still the article), nor
# TownNews's "subscriber-preview" and "subscriber-only" (the article's two halves round a paywall).
# Bitrix, common on Central Asian sites, names its comments "reviews-block", "reviews-post".
# Each alternative opens with a letter, what comes before it asked after it ("nav(?<![a-z]nav)"
# for "(?<![a-z])nav"): so Python's re scans for first letters (see _names_match).
NOT_ARTICLE = re.compile(
    r"comment|kommentar|related|share|social|cookie|consent|newsletter|subscri(?!bers?-(?:only|preview|premium|content))|donat[ei]|promo(?!ted)|advert|ad(?<!\wad)(?:s?\b|-)"
    r"|sidebar|footer|nav(?<![a-z]nav)|nav(?![a-z])|popup|modal|pum-|copyright|disclosure|cta\b|reviews-(?<!\wreviews-)(?:block|post|reply)"
    r"|respons(?<![a-z]respons)es?(?![a-z])|webmention"  # Medium's comments, a blog's replies from elsewhere
    r"|kanren|osusume"  # Japanese sites' related and recommended stories
    r"|top-?(?:bar|line|strip)|header-?top|hdr(?<![a-z]hdr)(?![a-z])"  # the site's header and the strip above it: today's date, the rates
    r"|sign-?up|whatsapp|telegram|tg(?<=[_-]tg)(?![a-z])"  # a newsletter's sign-up card, a messenger channel's invitation
    r"|uc-embedding|cmplz|borlabs|onetrust|ot-sdk",  # consent platforms' boxes, in place of a video too
    re.I,
)
PAGE_FRAME = ("header", "footer", "nav", "aside")  # the site around the article
OTHERS = re.compile(r"related|comment|(?<![a-z])responses?(?![a-z])|webmention", re.I)  # blocks whose dates are other stories' or readers'

# Where the article's text lies within its container: paragraphs, headings, lists, quotes, code
# and tables, at any depth (a body is often wrapped in several divs); never the page's frame,
# forms or figures (captions are kept apart), nor a block classed as beside the article.
TEXT_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "li", "tr"}
NOT_TEXT = {"script", "style", "noscript", "template", "svg", "button", "form", "select", "figure", "h1",
            "nav", "aside", "footer", "header", "iframe"}  # fmt: skip
NESTED_BLOCKS = TEXT_BLOCKS | {"div", "section", "article", "ul", "ol", "dl", "table", "figure", "main"}

# Inside the body, blocks that frame the article rather than tell it.
NOT_TEXT_CLASS = re.compile(
    r"gallery|carousel|caption|legend|credit|byline|author|breadcrumb|tags|toolbar|pagination|video-?(?:player|embed|title)|player-?title"
    r"|(?:img|image|photo|foto|pic)[-_]?(?:source|src)"  # a picture's source line ("Фото: пресс-служба")
    r"|post-?views|views?-?count|disclaimer"  # a view counter ("Просмотров: 1 064"), a republisher's disclaimer
    r"|aawp|lasso-container|amalinks",  # an affiliate's product box ("Images from Amazon Product Advertising API")
    re.I,
)
# A <p> so classed is no text. Narrower than NOT_TEXT_CLASS: a <p> classed "author" or "tags" is
# often the text itself (keeping them out cost 3 of 222 held-out snippets on ../shared/peer-eval).
CAPTION_CLASS = re.compile(r"caption|legend|credit|byline|disclaimer|(?:embed|video|player)_*-?title", re.I)
# a Telegram channel's post shown in the body (its widget, or a <blockquote> of its text): the
# channel's own shorter telling, often of this very news. Embedded tweets stay: other projects'
# gold counts them as the article's text (keeping them out cost 0.005 of body F1 on ../shared/peer-eval).
EMBEDDED_POST = re.compile(r"telegram-post|tgme_widget", re.I)
LINK_SHARE = 0.5  # a nested block mostly made of links is navigation, a tag cloud or a list of stories
SENTENCE_END = re.compile(r"[.!?…][\"”»’)]*$")


def _classed(element: HtmlElement, pattern: re.Pattern[str]) -> bool:
    names = element.get("class"), element.get("id")
    return names != (None, None) and _names_match(pattern, names)


@lru_cache(maxsize=1 << 16)
def _names_match(pattern: re.Pattern[str], names: tuple[str | None, str | None]) -> bool:
    """Cached: a page's blocks share a few class names, asked of each block's ancestors too."""
    text = f"{names[0] or ''} {names[1] or ''}"
    folded = _case_folded(pattern)
    return bool(folded.search(text.lower()) if folded else pattern.search(text))


@cache
def _case_folded(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The pattern without re.I, for lowercased names, where that says the same (it names no
    capital): Python's re then scans for its alternatives' first letters instead of trying each
    at every place, and reads a long class list ten times faster."""
    if pattern.flags & re.I and pattern.pattern == pattern.pattern.lower():
        return re.compile(pattern.pattern, pattern.flags & ~re.I)
    return None


def _beside_article(element: HtmlElement) -> bool:
    return _classed(element, NOT_ARTICLE)


def _apart_from_article(element: HtmlElement, beside: re.Pattern[str] = NOT_ARTICLE) -> bool:
    """In the site's frame, or in a block beside the article (related stories, comments): a date
    there is another story's, or the site's. The <body>'s classes describe the page's layout
    ("ast-right-sidebar", "comments-open"), not a block."""
    return in_site_frame(element) or any(
        _classed(ancestor, beside) for ancestor in element.iterancestors() if ancestor.tag not in ("body", "html")
    )


# An advertisement as the reader sees it marked, whatever its classes ("css-ad0x1y", "werbung"):
# a box headed by a label of its own. A link so named is the site's menu ("Advertise with us").
AD_LABELS = (
    r"advertisements?|advertising|sponsored(?: content)?|anzeigen?|werbung|publicité|publicidad|publicidade|pubblicità"
    r"|реклама|жарнама|reklama|reklam|διαφήμιση|广告|廣告|広告|광고|quảng cáo|โฆษณา|विज्ञापन"
)
AD_LABEL = re.compile(rf"[\s–—-]*(?:{AD_LABELS})[\s–—:-]*", re.I)  # "Anzeige", "- Reklama -"
AD_LABEL_IN_PAGE = re.compile(rf">[\s–—-]*(?:{AD_LABELS})[\s–—:-]*<", re.I)  # most pages have none: no tree walk
AD_BOX_CHARS = 300  # the label's box holds a line or two of the ad; a longer one holds the article too


def _drop_advertisements(tree: HtmlElement, html: str | None) -> None:
    """Take out of the tree each labelled advertisement: the label's box where it is small,
    otherwise the label alone. A label in a link or a button is a menu's or a toggle's; one in a
    row or item of a table or list, or beside a heading or a date, is that text's."""
    if html is not None and not AD_LABEL_IN_PAGE.search(html):
        return
    labels = [
        element
        for element in tree.iter(*AD_LABEL_TAGS)
        if len(element) == 0 and element.text and AD_LABEL.fullmatch(element.text)
        and next(element.iterancestors("a", "button"), None) is None
    ]  # fmt: skip
    for label in labels:
        box = label.getparent()
        if box is None or box.tag in NOT_AD_BOXES or next(box.iter(*NOT_IN_AD), None) is not None:
            continue
        if short_text_of(box, AD_BOX_CHARS) is None:  # a label above a slot, in the page's wrapper
            box = label
        if box.getparent() is not None:
            box.drop_tree()  # its tail, the text after it, stays


AD_LABEL_TAGS = ("span", "div", "p", "small", "em", "strong", "b", "i", "label")
NOT_AD_BOXES = {"body", "html", "tr", "td", "th", "li", "dd", "dt", "table", "ul", "ol"}
NOT_IN_AD = ("h1", "h2", "h3", "time", "tr")  # the article's header, a table: not an ad's box


def _in_frame(element: HtmlElement, frame: tuple[str, ...] = PAGE_FRAME) -> bool:
    return any(ancestor.tag in frame for ancestor in element.iterancestors())


# "（記者林佳慧攝）": "photographed by reporter …"; "澎湃新闻记者 周易安 图": "picture by …"
PHOTOGRAPHED_BY = re.compile(r".{0,150}(?:[摄攝]|\s[图圖])[)）]?")


class PageProse:
    """Each <p>'s text, read once: the body search, the sibling blocks, the body itself and the
    prose check all weigh the same paragraphs (reading each again made extraction a third slower)."""

    def __init__(self, tree: HtmlElement, url: str) -> None:
        self.url = url
        # a caption set as a paragraph of the text, as Chinese papers name who took the picture
        # ("……安装电梯井道。华夏网记者 陈浩 摄"): no prose, not weighed as the body's
        self.texts = {p: "" if PHOTOGRAPHED_BY.fullmatch(text := text_of(p)) else text for p in tree.iter("p")}
        self._scores: dict[HtmlElement, int] = {}
        for p, text in self.texts.items():
            if (parent := p.getparent()) is not None:
                self._scores[parent] = self._scores.get(parent, 0) + len(text)

    def score(self, element: HtmlElement) -> int:
        """The text of the element's own <p> children."""
        return self._scores.get(element, 0)

    def deep_score(self, element: HtmlElement) -> int:
        """The text of every <p> within the element."""
        return sum(len(self.texts.get(p, "")) for p in element.iter("p"))

    def text(self, element: HtmlElement) -> str:
        return self.texts[element] if element in self.texts else text_of(element)

    def outside_frame(self, scope: HtmlElement) -> int:
        """How much paragraph text `scope` (the page, or the article's part of it) holds outside
        navigation, headers, footers and asides."""
        frame = (*PAGE_FRAME, "form")
        if _in_frame(scope, frame):
            return 0
        # the frames' paragraphs gathered once, rather than each paragraph's ancestors walked
        framed = {p for element in scope.iter(*frame) for p in element.iter("p")}
        return sum(len(self.texts[p]) for p in scope.iter("p") if p not in framed)


def main_container(
    tree: HtmlElement, prose: PageProse, heading: HtmlElement | None = None
) -> tuple[HtmlElement | None, HtmlElement]:
    """The element whose own <p> children hold the most text: the body, whatever its class;
    and the part of the page it tells. Where the page holds several <article>s, each with its
    own heading (the next stories of an endless page), both are looked for in the one the
    article's `heading` stands in."""
    best = _richest(tree, prose)
    if best is None or heading is None:
        return best, tree
    in_article = next(best.iterancestors("article"), best if best.tag == "article" else None)
    if in_article is None or in_article in heading.iterancestors():
        return best, tree
    own = next(heading.iterancestors("article"), None)
    if own is None or own in best.iterancestors() or prose.deep_score(own) < OWN_ARTICLE_CHARS:
        return best, tree
    within = _richest(own, prose)
    return (best, tree) if within is None else (within, own)


OWN_ARTICLE_CHARS = 400  # more than a teaser's lead: the titled article's own body


def _richest(root: HtmlElement, prose: PageProse) -> HtmlElement | None:
    best, best_score = None, 0
    # an old page's <font> or <center> around its paragraphs is their block too, and ASP.NET's
    # <span> (a Label control holding the text)
    for element in root.iter("div", "article", "section", "main", "td", "body", "font", "center", "span"):
        score = prose.score(element)
        # a comment thread or a related-content block may hold more text than the article, and
        # the footer's address more than a body set in lines
        if score > best_score and not _beside_article(element) and not in_site_frame(element):
            best, best_score = element, score
    return best if best_score >= 80 else None


def body_blocks(container: HtmlElement, prose: PageProse) -> list[HtmlElement]:
    """The container, or with it the sibling blocks the article continues in (a body split into
    sections), in page order; never a comment thread, related content or a banner beside it."""
    floor = max(80, prose.score(container) // 5)
    body, parent = container, container.getparent()
    # a body block alone in its wrapper (a page builder's text component in its grid cell):
    # the wrappers are the sections the article continues in, within the <article> if any
    while (
        parent is not None
        and parent.tag not in ("body", "html", "article", "main")
        and all(child is container or not _has_text(child) for child in parent)
    ):
        container, parent = parent, parent.getparent()
    if parent is None:
        return [container]
    kind, inner_kind = container.get("class"), body.get("class") if body is not container else None
    kind_classes = set((kind or "").split())

    def of_kind(child: HtmlElement) -> bool:
        """A block of the body's own kind: classed as it is (a modifier class besides, as in
        "text-section text-section--file-number"), and wrapped as it is."""
        if not kind_classes <= set((child.get("class") or "").split()) or not (kind or inner_kind):
            return False
        return not inner_kind or any(element.get("class") == inner_kind for element in child.iter(body.tag))

    def continues(child: HtmlElement, short: bool = False) -> bool:
        """A block of text beside the container; a short one only if it reads as a sentence
        (not a credit line such as "Cover picture: Name/Agency")."""
        return (
            child.tag in ("div", "section", "article", "p", "blockquote")
            and not _beside_article(child)
            and not _classed(child, NOT_TEXT_CLASS)
            and (prose.deep_score(child) >= floor or (short and _reads_as_sentence(child, prose)))
            and not _link_dense(child)
        )

    children = list(parent)
    # a section of the body's own kind (a text section after an image) however short
    kept = {index for index, child in enumerate(children) if child is container or continues(child, short=of_kind(child))}
    first, last = min(kept), max(kept)

    def sets_out(child: HtmlElement) -> bool:
        """A table or a list of the article's own (a programme, a list of speakers, a plan set
        line by line with <br>s), not of links."""
        return (
            child.tag in ("div", "section", *SET_OUT)
            and (next(child.iter(*SET_OUT), None) is not None or len(child.findall(".//br")) >= LIST_BREAKS)
            and not (_beside_article(child) or _classed(child, NOT_TEXT_CLASS) or _link_dense(child))
        )

    def text_ahead(index: int) -> list[int]:
        """The next few blocks with text, past an advert's empty box or a picture and its credit."""
        ahead = range(index + 1, min(index + 6, len(children)))
        return [i for i in ahead if _has_text(children[i]) and not _a_picture(children[i], prose)]

    # what the body ends with: a quote set apart, then the table or list under a subheading of
    # its own ("Practical information"), or the box of facts it closes with, set out in an
    # <aside> (a review's scores, pros and cons)
    while after := text_ahead(last):
        if _reads_as_quote(children[after[0]], prose):
            kept.add(last := after[0])
        elif len(after) >= 2 and _introduces(children[after[0]], kind) and sets_out(children[after[1]]):
            kept.update((after[0], last := after[1]))
        elif children[after[0]].tag == "aside" and _told_facts(children[after[0]]):
            kept.add(last := after[0])
        else:
            break

    # what it opens with: a summary under its own heading ("Key points", "Das Wichtigste in
    # Kürze"), a list set out before the text
    before = [i for i in range(first - 1, max(first - 4, -1), -1) if _has_text(children[i])]
    before = [i for i in before if not _a_picture(children[i], prose)]
    # or its first paragraph set apart in a block of its own, an advert's box between (TownNews's
    # "subscriber-preview" before the "subscriber-only" rest)
    if before and (
        (sets_out(opening := children[before[0]]) and _headed(opening))
        or (_opening_paragraph(opening, prose) and continues(opening, short=True))
    ):
        kept.add(first := before[0])

    def heads_a_part(index: int) -> bool:
        """A subheading, or a line introducing what follows ("Topics of the course included:"),
        followed by a part of the body (not by a list of links or a credit)."""
        if not _introduces(children[index], kind):
            return False
        part = next(iter(text_ahead(index)), None)
        return part in kept or (part is not None and part < last and sets_out(children[part]))

    # and text between two parts of the body (a pull quote between two sections, a subheading,
    # a table)
    return [
        child
        for index, child in enumerate(children)
        if index in kept
        or (
            first < index < last
            and (continues(child, short=True) or heads_a_part(index) or sets_out(child) or _reads_as_quote(child, prose))
        )
        # a line of the body's own kind (a court's file number), longer than a picture's credit
        or (first < index < last and of_kind(child) and len(text_of(child)) >= STANDFIRST_CHARS)
    ]


def _under_headline(paragraphs: list[str], title: str) -> list[str]:
    """A body that holds the headline after short lines set above it (a kicker, the section's
    name, read before the headline's <h1>): the text begins under the headline."""
    title = _comparable(title)
    for index, line in enumerate(paragraphs[1 : ABOVE_HEADLINE + 1], start=1):
        if _comparable(line) == title:
            return paragraphs[index + 1 :] if all(len(p) < STANDFIRST_CHARS for p in paragraphs[:index]) else paragraphs
    return paragraphs


def _opening_paragraph(block: HtmlElement, prose: PageProse) -> bool:
    """Whether a block before the body is its first paragraph set apart: prose alone, no heading,
    picture or caption (a picture's box, a header with the headline and the date, is not), nor
    an affiliate disclosure."""
    return (
        _reads_as_sentence(block, prose)
        and not DISCLOSURE.search(text_of(block))
        and next(block.iter("h1", *HEADINGS, *PICTURES, "figure", "figcaption"), None) is None
        and not any(_classed(element, NOT_STANDFIRST_CLASS) for element in block.iter())
    )


def _headed(block: HtmlElement) -> bool:
    """Whether a block opens with a heading of its own, or a label set as one ("Key takeaways")."""
    opening = next((child for child in block if isinstance(child.tag, str) and _has_text(child)), None)
    if opening is None or opening.tag in SET_OUT:
        return False
    label = short_text_of(opening, LABEL_CHARS)
    return opening.tag in HEADINGS or (
        label is not None and not SENTENCE_END.search(label) and _classed(opening, HEADING_CLASS)
    )


LABEL_CHARS = 60
HEADING_CLASS = re.compile(r"label|title|heading", re.I)


LIST_BREAKS = 2  # lines set apart by as many <br>s: a list without its markup


def _a_picture(block: HtmlElement, prose: PageProse) -> bool:
    """A picture, with no more text than its caption and credit."""
    return next(block.iter(*PICTURES), None) is not None and prose.deep_score(block) == 0


def _reads_as_quote(block: HtmlElement, prose: PageProse) -> bool:
    """A quote set apart in a block of its own, all the block holds (not a reviews section's
    quote under its heading), said as a sentence (its speaker named after it)."""
    quote = next(block.iter("blockquote"), None)
    return (
        quote is not None
        and text_of(quote) == text_of(block)
        and not _beside_article(block)
        and _reads_as_sentence(block, prose)
    )


def _reads_as_sentence(block: HtmlElement, prose: PageProse) -> bool:
    """A short block between parts of the body that is text: a pull quote (with the speaker's
    name under it), or paragraphs ending as a sentence does."""
    if (quote := next(block.iter("blockquote"), None)) is not None:  # the name under it in a <cite>, or a line of its own
        parts = [_quoted(quote), *(text_of(part) for part in quote if isinstance(part.tag, str))]
        return any(SENTENCE_END.search(part) for part in parts)
    return prose.deep_score(block) > 0 and SENTENCE_END.search(text_of(block)) is not None


HEADINGS = ("h2", "h3", "h4", "h5", "h6")
SET_OUT = ("table", "dl", "ul", "ol")  # facts set out rather than told


def _has_text(element: HtmlElement) -> bool:
    # stops at the first words; a comment between blocks holds none
    return isinstance(element.tag, str) and any(piece.strip() for piece in element.itertext())


def _introduces(child: HtmlElement, kind: str | None) -> bool:
    """A subheading over a part of the body, or a line of the body's own kind that introduces
    what follows ("Em caso de emergência, a Defesa Civil orienta:")."""
    if _subheading(child, kind):
        return True
    return bool(kind) and child.get("class") == kind and text_of(child).endswith(":")


def _subheading(child: HtmlElement, kind: str | None) -> bool:
    """A heading between two parts of the body: bare, in a block of the body's own kind, or
    alone in a block of its own (a page builder's heading module)."""
    if not isinstance(child.tag, str):  # a comment between the blocks
        return False
    text = text_of(child)
    if not 0 < len(text) <= TITLE_CHARS or _beside_article(child) or _link_dense(child):
        return False
    if child.tag in HEADINGS:
        return True
    bold = kind and child.get("class") == kind and "".join(text_of(b) for b in child.iter("strong", "b"))
    if bold == text:  # a bold line in a block of the body's kind, not a credit or a date
        return True
    heading = next(child.iterdescendants(*HEADINGS), None)
    return heading is not None and text_of(heading) == text


# A class word on its own or at a camelCase or BEM joint ("story-lead", "articleIntro",
# "atc-Intro"; Spanish outlets' "copete", "bajada", "entradilla", Italian "sommario"), not inside
# another word ("leading-6", "introduction-video"). Not "teaser" nor "deck": other stories'
# cards ("teaser", Bootstrap's "card-deck").
LEAD_CLASS = re.compile(
    r"(?:(?<![a-zA-Z])(?i:lead|intro|chapo|standfirst|excerpt|dek|copete|bajada|entradilla|sommario|preview[_-]text"
    r"|ingressi?|manchet|perex|wstep)"
    r"|(?<=[a-z])(?:Lead|Intro|Chapo|Standfirst|Excerpt|Dek|Copete|Bajada|Entradilla|Sommario|PreviewText"
    r"|Ingressi?|Manchet|Perex|Wstep))(?![a-z])"
)  # Bitrix's announcement field is its "preview text"; the Nordic "ingress", Danish "manchet",
# Czech "perex", Polish "wstęp"
LEAD_CHARS = 1000  # a lead is a paragraph or two
LEAD_REACH = 3  # without an <article> or <main>, the lead shares an ancestor this close with the body


def _lead(container: HtmlElement, blocks: list[HtmlElement], prose: PageProse) -> list[str]:
    """The article's lead where the page sets it apart before the body (an intro, a standfirst,
    a 'chapo'), in the same article: the sentences of the first block so classed, not a list
    of links. A body that is an <article> itself holds its lead already."""
    if container.tag == "article":
        return []
    region = next(container.iterancestors("article", "main"), None)
    if region is None:
        region = next(islice(container.iterancestors(), LEAD_REACH - 1, None), None)
    if region is None:
        return []
    around_body = set(blocks[0].iterancestors())
    for element in region.iter():
        if element is blocks[0]:
            return []  # the body has begun
        if (
            isinstance(element.tag, str)
            and element not in around_body
            and _classed(element, LEAD_CLASS)
            and not _beside_article(element)
            and not _classed(element, NOT_TEXT_CLASS)
            and short_text_of(element, 2 * LEAD_CHARS) is not None  # read no further than a lead's length
        ):
            texts = [prose.text(element)] if element.tag == "p" else _paragraphs(element, prose) or _bare_text(element)
            # a list's points end as they like ("• Patient discharged four days later")
            sentences = [text for text in texts if SENTENCE_END.search(text) or text.startswith("• ")]
            if sentences and sum(map(len, sentences)) <= LEAD_CHARS and not _link_dense(element):
                return sentences
    return []


def _bare_text(element: HtmlElement) -> list[str]:
    """A block's text when it is text alone: not a "lead-asset" holding a video player's title
    and caption, nor a picture's box."""
    if any(_classed(e, NOT_TEXT_CLASS) or e.tag in PICTURES or e.tag == "iframe" for e in element.iterdescendants()):
        return []
    return [text_of(element)]


STANDFIRST_CHARS = 60  # longer than a byline, a date line or a reading time
ABOVE_HEADLINE = 2  # a kicker, a section's name: short lines a body may set above its headline
STANDFIRST_REACH = 200  # elements between the heading and the body: a header, share buttons, a picture
DATED_LINE_CHARS = 80  # a line this short that holds a date is a byline or a date line, not a standfirst


def _standfirst(heading: HtmlElement | None, blocks: list[HtmlElement], prose: PageProse, body: list[str]) -> list[str]:
    """The prose between the article's heading and its `body` paragraphs (a standfirst, a lede
    set in a heading of its own) where the page does not class it as a lead: paragraphs and
    headings of a standfirst's length in the body's own article, not links, bylines, captions,
    notices, nor blocks beside the article. Nothing when the heading does not come before the
    body (it heads it from within, or another part of the page)."""
    if heading is None:
        return []
    around_body, around_heading = set(blocks[0].iterancestors()), set(heading.iterancestors())
    heading_header = next(heading.iterancestors("header"), None)
    region = next(blocks[0].iterancestors("article", "main"), None)
    known, compared = set(body), ""
    found: list[str] = []
    for element in islice(_following(heading), STANDFIRST_REACH):
        if element is blocks[0]:
            return found if sum(map(len, found)) <= LEAD_CHARS else []
        if element.tag not in STANDFIRST_TAGS or element in around_body:
            continue
        text = prose.text(element)
        if text in known:
            return []  # the body has begun: the heading is within it
        if len(text) < STANDFIRST_CHARS or text in found or _link_dense(element):
            continue
        if in_site_frame(element) and (heading_header is None or heading_header not in element.iterancestors()):
            continue  # the site's frame; not the page's <header> the heading itself stands in
        ancestors = [a for a in element.iterancestors() if a.tag not in ("body", "html")]  # theirs: the page's
        if region is not None and region not in ancestors and (region in around_heading or not SENTENCE_END.search(text)):
            continue  # outside the body's article: only between a heading outside it too and the body, as prose
        if any(
            (a.tag in STANDFIRST_TAGS and a not in around_heading)  # a heading in a heading: read as that one
            or (a.tag in NOT_STANDFIRST and a not in around_body)  # a form around the whole page is no form
            # the body's or the heading's own wrappers ("sidebar-1", "ct-header-small-img") are no box beside them
            or (_classed(a, NOT_STANDFIRST_CLASS) and a not in around_body and a not in around_heading)
            for a in ancestors
        ) or _classed(element, NOT_STANDFIRST_CLASS):
            continue
        if (
            BYLINE.match(text)
            or (len(text) <= DATED_LINE_CHARS and parse_date(text))
            or _beside_picture(element, text, around_heading)
        ):
            continue
        compared = compared or _comparable("\n\n".join(body))
        if TEASER_END.sub("", _comparable(text)) in compared:
            continue  # the body's first paragraph, cut short
        found.append(text)
    return []  # the body is not within reach: the heading heads another part of the page


DESCRIPTION_KEYS = ("og:description", "description", "twitter:description")
DESCRIPTION_OPENING = 10  # characters an element must open with as the description does to be compared


def _description(meta: Mapping[str, str], ld: Mapping[str, object]) -> str:
    """What the page's metadata says the article is about, in a sentence or two."""
    return next((meta[key] for key in DESCRIPTION_KEYS if meta.get(key)), None) or str(ld.get("description") or "")


def _described_lead(
    heading: HtmlElement | None, blocks: list[HtmlElement], prose: PageProse, description: str, fields: ArticleFields
) -> list[str]:
    """The lead set apart between the heading and the body in a block of any class (a Plone
    "documentDescription", a Sitecore "press-highlights" list, a SharePoint summary field) that
    the page's own description repeats, or begins: the page says this is its summary. Not the
    title again, nor what the body holds already."""
    wanted = _comparable(description).rstrip(" .…")
    if heading is None or len(wanted) < STANDFIRST_CHARS:
        return []
    around_body, opening = set(blocks[0].iterancestors()), description.strip()[:DESCRIPTION_OPENING].casefold()
    for element in islice(_following(heading), STANDFIRST_REACH):
        if element is blocks[0]:
            return []
        if element in around_body or element.tag in NOT_TEXT:
            continue
        shown = short_text_of(element, LEAD_CHARS) or ""
        if shown[:DESCRIPTION_OPENING].casefold() != opening:  # most elements: not compared further
            continue
        text = _comparable(shown)
        if in_site_frame(element) or _beside_article(element):
            continue
        if len(text) >= STANDFIRST_CHARS and (text.startswith(wanted) or wanted.startswith(text.rstrip(" .…"))):
            block = element.getparent() if element.tag == "li" else element  # a list's items
            lead = _paragraphs(block, prose) or [text_of(block)]  # or the bare text of a <div>
            held, title = _squeezed(fields.text), _comparable(fields.title)
            lead = [line for line in lead if _comparable(line) != title and _squeezed(line) not in held]
            return lead if sum(map(len, lead)) <= LEAD_CHARS else []
    return []


def _dek(heading: HtmlElement | None, blocks: list[HtmlElement], fields: ArticleFields) -> list[str]:
    """The line right under the headline that the page sets as its subtitle (a subheading, or a
    block classed as one: Newspack's "post-subtitle", a magazine's "dek"), before the body and
    any picture; a subtitle need not end as a sentence."""
    if heading is None:
        return []
    for element in islice(_following(heading), DEK_REACH):
        if element is blocks[0] or element.tag in PICTURES:
            return []
        if not isinstance(element.tag, str) or not _holds_text(element):
            continue
        text = text_of(element)
        if (
            (element.tag in HEADINGS or _classed(element, DEK_CLASS))
            and STANDFIRST_CHARS <= len(text) <= LEAD_CHARS
            and not (BYLINE.match(text) or _link_dense(element) or in_site_frame(element) or parse_date(text))
            and next(element.iterancestors("a"), None) is None  # another story's card
            and _squeezed(text) not in _squeezed(fields.text)
        ):
            return [text]
        return []  # the first line under the headline is no subtitle
    return []


DEK_REACH = 6
DEK_CLASS = re.compile(r"sub-?title|subhead|(?<![a-z])dek(?![a-z])|standfirst|sommario|summary", re.I)


def _following(element: HtmlElement) -> Iterator[HtmlElement]:
    """The elements after `element` in page order, read only as far as asked; a drawing's parts
    (a share kit's icons) are not counted."""
    while element is not None:
        for sibling in element.itersiblings():
            yield from _drawn_once(sibling)
        element = element.getparent()


def _drawn_once(element: HtmlElement) -> Iterator[HtmlElement]:
    """The element and its descendants in page order, a drawing (<svg>) as one element."""
    yield element
    if element.tag != "svg":
        for child in element:
            yield from _drawn_once(child)


STANDFIRST_TAGS = frozenset(("p", *HEADINGS))
NOT_STANDFIRST = (NOT_TEXT - {"header"}) | {"figcaption", "a"}  # an article's own <header> holds its standfirst
# beside the article, framing it (NOT_TEXT_CLASS), or around a picture, a notice or a player
NOT_STANDFIRST_CLASS = re.compile(
    f"{NOT_ARTICLE.pattern}|{NOT_TEXT_CLASS.pattern}"
    r"|image|img|photo|picture|alert|notice|audio|player|listen|(?<![a-z])(?:bio|meta)(?![a-z])",
    re.I,
)
BYLINE = re.compile(r"(?:By|Von|Par|Por|Di)\s+[A-ZÀ-ÞА-ЯЁ]|(?i:posted|published|updated|written)\b")
TEASER_END = re.compile(r"(?:\s|[.…\[\]()]|read more|continue reading|weiterlesen|lire la suite)+$")


def _beside_picture(element: HtmlElement, text: str, around_heading: set[HtmlElement]) -> bool:
    """In a small box with a picture (not the article's header around its heading), holding
    little text but this line: its caption or credit, whatever the markup."""
    if any(
        next(sibling.iter(*PICTURES), None) is not None and sibling.find(".//figcaption") is None
        for sibling in islice(element.itersiblings(preceding=True), 2)
    ):
        return True  # a caption, or its credit, right after a picture without its own
    box = element.getparent()
    for _ in range(2):
        if box is None or box in around_heading or short_text_of(box, len(text) + CREDIT_CHARS) is None:
            return False
        if next(box.iter(*PICTURES), None) is not None:
            return True
        box = box.getparent()
    return False


CREDIT_CHARS = 60  # a credit line or a photographer's name beside a caption
PICTURES = ("img", "picture", "video", "audio")


def _captions(tree: HtmlElement) -> list[str]:
    captions = []
    for figure in tree.iter("figcaption"):
        if _in_frame(figure):
            continue
        if caption := text_of(figure):
            captions.append(caption)
    return captions


PROSE_LINE_CHARS = 80  # longer than a title's kicker, byline or date line


def _byline_date(lines: list[str], title: str) -> str | None:
    """The date on a line of its own right under the title, with no label (old OSCE pages), or
    in the byline there ("Von Stefanie Brandl | 20.05.2024 - 17:05 Uhr | Aktualisiert: …")."""
    try:
        start = lines.index(title) + 1
    except ValueError:
        return None
    for line in lines[start : start + 4]:
        byline = BYLINE.match(line) is not None and len(line) <= BYLINE_CHARS
        if len(line) > PROSE_LINE_CHARS and not byline:  # the text has begun: a date after it is not the title's
            return None
        if (len(line) <= 40 or byline) and _published_date(line):
            return line
    return None


BYLINE_CHARS = 160  # the authors, the day and the time, the day of a change


# Before a line's first date, these give the day the page was changed, not published ("von
# Henrike Vogt — zuletzt verändert 08.02.2024", "Last updated: 9 May 2024", "Обновлено 13.11.2025").
UPDATED = re.compile(
    r"\b(?:last\s+)?(?:updated|modified|changed|zuletzt\s+(?:verändert|geändert|aktualisiert)|aktualisiert|"
    r"letzte\s+änderung|stand\b|mis\s+à\s+jour|modifié|actualizado|actualizat|aggiornato|bijgewerkt|"
    r"zaktualizowano|aktualizacja|aktualizováno|uppdaterad|opdateret|oppdatert|päivitetty|atualizad[oa]|"
    r"[uú]ltima\s+modifica|güncellen(?:me|di)|обновлено|изменено|дата\s+изменения|жаңартылды|"
    r"更新日期|更新時間|更新时间|最終更新日|最后更新|수정일"
    r"|distributed\s+by\s+.{1,40}?\s+on)",  # a wire's day of distribution, after the release's own: pubt.io's line
    re.IGNORECASE,
)


# An exhibition's or a course's days ("Du 18 octobre 2024 au 2 février 2025", "Vom 3. bis 5. Mai")
EVENT_SPAN = re.compile(r"\W*(?:du|from|vom|с|del|dal|od)\s+\d", re.IGNORECASE)


# A project's or a course's days as two dates and a dash ("January 1, 2023 – December 31, 2025")
DATE_SPAN = re.compile(r"\W*(?P<first>[^–—]+?)\s*[–—]\s*(?P<last>[^–—]+)")
SPAN_DATE_WORDS = 3  # "January 1, 2023"; not "Published 12 May 2024 – Updated 14 May 2024"


def _published_date(text: str) -> date | None:
    """The day a date line says the page was published: not one it was changed, nor an event's days."""
    return None if _changed_date(text) or EVENT_SPAN.match(text) or _date_span(text) else parse_date(text)


def _date_span(text: str) -> bool:
    return (span := DATE_SPAN.fullmatch(text)) is not None and all(
        len(side.split()) <= SPAN_DATE_WORDS and parse_date(side) for side in span.groups()
    )


# the labels that name a publication date ("Veröffentlicht am", "Publié le"), as words inside a line;
# not the bare "Date" that names any day. "Опубликовано" labels the office on the OSCE's pages.
PUBLISHED_WORD = re.compile(
    r"\b(?:posted|опубликовано|"
    + "|".join(sorted((re.escape(label) for label, name in LABELS.items()
                       if name == "published" and label not in ("date", "дата")), key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)  # fmt: skip


def _said_first(word: re.Pattern[str], text: str) -> bool:
    """Whether `word` names the line's first date: it comes before any date does, and one follows."""
    said = word.search(text)
    return said is not None and parse_date(text[: said.start()]) is None and parse_date(text[said.end() :]) is not None


def _published_said(text: str) -> bool:
    """Whether a date line names its first date the publication's ("… — veröffentlicht 29.06.2023")."""
    return _said_first(PUBLISHED_WORD, text)


def _publication_line(tree: HtmlElement, lines: list[str]) -> str | None:
    """A line of the article's that opens by saying when it was published, without a colon
    ("eingestellt am 24.07.2016 von Markus Huber", "Posted on March 3, 2020 by Jane"); not one
    of another story's, in a list of them or beside the article."""
    said = {
        line
        for line in lines
        if len(line) <= PUBLICATION_LINE_CHARS and PUBLISHED_WORD.match(line) and _published_said(line)
    }
    if not said:
        return None  # most pages: no search of the tree
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for text, block in ((element.text, element), (element.tail, element.getparent())):
            # the line's block: it may run on past an inline element (hAtom's <abbr class="published">)
            while block is not None and block.tag in INLINE_TAGS:
                block = block.getparent()
            if text and PUBLISHED_WORD.match(text.lstrip()) and block is not None:
                line = next((line for line in said if line in text_of(block)), None)
                if line and not _another_storys(block):
                    return line
    return None


PUBLICATION_LINE_CHARS = 120  # the word, the date, a name


def _changed_date(text: str) -> date | None:
    """The day a date line says the page was changed ("Updated June 13, 2019")."""
    return parse_date(text) if _said_first(UPDATED, text) else None


def _later(value: str, shown: date) -> bool:
    return (stated := parse_date(value)) is not None and 0 < (stated - shown).days <= LATER_META_DAYS


LATER_META_DAYS = 366  # an import or a change within a year; further off, another date altogether
# A line on when the page itself was changed, wherever it stands (a footer's, most often).
PAGE_CHANGED = re.compile(r"^\W*(?:this\s+)?page\s+(?:was\s+)?(?:last\s+)?(?:updated|modified|changed|reviewed)\b", re.I)


def _page_changed_line(lines: list[str]) -> str | None:
    return next((line for line in lines if len(line) <= BYLINE_CHARS and PAGE_CHANGED.match(line) and parse_date(line)), None)


def _changed_after(line: str) -> str | None:
    """The day a date line says the page was changed, after the day it was published (a change
    on the day of publication is no evidence against that day)."""
    said = UPDATED.search(line)
    if said is None or (published := parse_date(line[: said.start()])) is None:
        return None
    changed = line[said.end() :].lstrip(" :")
    return changed if parse_date(changed) not in (None, published) else None


def _changed_line(lines: list[str], title: str) -> str | None:
    """A line under the title saying when the page was changed ("Zuletzt aktualisiert: 28.
    November 2022"), beside the byline."""
    if title not in lines:
        return None
    start = lines.index(title) + 1
    return next((line for line in lines[start : start + 6] if len(line) <= BYLINE_CHARS and _changed_date(line)), None)


def _another_storys(element: HtmlElement) -> bool:
    """A date apart from the article, or in a row or item of a list of stories, beside the link
    to one ("07.10.2025 | <a>Two new border offices open</a>")."""
    row = next((e for e in (element, *islice(element.iterancestors(), 2)) if e.tag in ("tr", "li")), None)
    return _apart_from_article(element) or (
        row is not None
        and any(len(text_of(link)) >= HEADLINE_MIN_CHARS for link in row.iter("a"))
        and short_text_of(row, STORY_ROW_CHARS) is not None  # not a layout table's row around the article
    )


STORY_ROW_CHARS = 400  # a date, a headline and a line of teaser


def _kicker_date(heading: HtmlElement | None) -> str | None:
    """A date line set right above the article's heading, beside it in the same block (a court's
    "Pressemitteilung Nr. 41/2025 vom 16.07.2025"); not a <time>, read as one, nor the site
    header's date of today, which is not beside the heading."""
    if heading is None or in_site_frame(heading):
        return None
    kicker = next((e for e in heading.itersiblings(preceding=True) if isinstance(e.tag, str) and _has_text(e)), None)
    if kicker is None or kicker.tag == "time" or kicker.find(".//time") is not None:
        return None
    text = short_text_of(kicker, PROSE_LINE_CHARS)
    return text if text and _published_date(text) else None


def _paragraphs(container: HtmlElement, prose: PageProse) -> list[str]:
    paragraphs: list[str] = []
    if container.tag in TEXT_BLOCKS:  # a body block that is a paragraph or a heading itself
        _take(container, prose, paragraphs)
    else:
        _collect(container, prose, paragraphs)
    return list(dict.fromkeys(paragraphs))  # once each: a gallery repeats its captions


def _section_heading(header: HtmlElement) -> str | None:
    """The subheading a <header> inside the body holds alone (a content element's header in
    TYPO3); the article's own <header>, with its <h1>, byline or date, stays out."""
    heading = next(header.iter(*HEADINGS), None)
    if heading is None or header.find(".//h1") is not None:
        return None
    text = text_of(heading)
    return text if text and text == text_of(header) else None


def _fact_box(aside: HtmlElement) -> bool:
    """An <aside> inside the body that sets out facts of its own ("The clinic in numbers": a
    list, a table), not links to other stories."""
    return next(aside.iter(*SET_OUT), None) is not None and not _links_hold_most(aside)


def _links_hold_most(element: HtmlElement) -> bool:
    """Whether links hold most of an element's text, counted without white space (a list's
    indentation is not text beside its links)."""
    linked = sum(len("".join(a.text_content().split())) for a in element.iter("a"))
    return linked > LINK_SHARE * len("".join(element.text_content().split()))


def _told_facts(aside: HtmlElement) -> bool:
    """A box of facts that tells them in sentences (a verdict, "Getting there: the nearest airport
    is …"), not a list of dates or names beside the article ("Next dates: 22.04.2023 Concert")."""
    return _fact_box(aside) and any(SENTENCE_END.search(text_of(e)) for e in aside.iter("p", "li", "td"))


def _quoted(quote: HtmlElement) -> str:
    """A quote's words, without the <cite> or <footer> that names who said them."""
    return text_of(without(quote, lambda e: e.tag in ("cite", "footer")))


def _link_dense(element: HtmlElement) -> bool:
    # lxml's own text, uncollapsed: a ratio needs no tidy text, and this is read for every block
    # and paragraph (most hold no link: their text is not read here)
    linked = sum(len(a.text_content().strip()) for a in element.iter("a"))
    return linked > 0 and linked > LINK_SHARE * len(element.text_content().strip())


def _signing_up(block: HtmlElement) -> bool:
    """A box asking for the reader's e-mail address (a newsletter's, whatever its class: "oriel-nl")."""
    return block.find(".//input[@type='email']") is not None and short_text_of(block, FRAMING_CHARS) is not None


# The heading a press release puts over the links it ends with (the EU's, the UN's): its own.
FURTHER_READING = re.compile(
    r"(?:for )?(?:more|further) information|useful links|pour en savoir plus|plus d'informations?"
    r"|(?:weitere|mehr) informationen|(?:para )?más información|ulteriori informazioni|per saperne di più"
    r"|meer informatie|więcej informacji|дополнительная информация|полезные ссылки|қосымша ақпарат",
    re.I,
)


def _further_reading(element: HtmlElement) -> bool:
    """Whether a list of links, or a paragraph of one in a run of them, stands under the heading
    a release gives the links it ends with ("For more information", "Weitere Informationen"), at
    the end (a paper's "Más información" box amid the text links to its other stories)."""
    previous = element.getprevious()
    for _ in range(FURTHER_READING_LINKS):  # a page of link paragraphs is not walked back from each
        if previous is None or previous.tag != "p" or not _link_dense(previous):
            break
        previous = previous.getprevious()
    return (
        previous is not None
        and previous.tag in HEADINGS
        and FURTHER_READING.fullmatch(heading_text_of(previous).rstrip(" :")) is not None
        and _ends_text(element)
    )


def _ends_text(element: HtmlElement) -> bool:
    following = 0
    for sibling in element.itersiblings():
        if isinstance(sibling.tag, str) and (following := following + len(text_of(sibling))) >= ENDING_CHARS:
            return False
    return True


FURTHER_READING_LINKS = 20  # the links a release ends with are a few
ENDING_CHARS = 200  # what may follow the links a release ends with: its reference number, a contact line


def _cited(listing: HtmlElement, url: str) -> bool:
    """Whether a list of links in the body is what the text cites (sources, documents, the
    resources a podcast mentions) rather than other stories of the site: most items lead to
    another site or to a document, each named in a few words."""
    items = list(listing.iterchildren("li"))
    hrefs = [a.get("href") or "" for li in items for a in li.iter("a")]
    if not items or len(hrefs) > 2 * len(items) or any(li.find(".//a") is None for li in items):
        return False
    away = sum(
        href.startswith(("http", "/"))
        and not SHARING.search(href)
        and (_on_own_host(href, url) is None or DOCUMENT.search(href) is not None)
        for href in hrefs
    )
    return 2 * away > len(hrefs) and all(len(text_of(li).split()) >= 3 for li in items)


DOCUMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|odt|pptx?)(?:$|[?#])", re.I)
SHARING = re.compile(r"share|intent/|sendto", re.I)  # "Share on Facebook" leads away, and cites nothing


def _collect(element: HtmlElement, prose: PageProse, paragraphs: list[str]) -> None:
    for child in element:
        _take(child, prose, paragraphs)


def _take(element: HtmlElement, prose: PageProse, paragraphs: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "figure" and not _beside_article(element):  # a table in a figure (WordPress's blocks) is text,
        for table in element.iter("table"):  # not code set out in a table beside its line numbers
            if table.find(".//pre") is None:
                _take(table, prose, paragraphs)
        for quote in element.iter("blockquote"):  # a pull quote, without the name under it
            if text := _quoted(quote):
                paragraphs.append(text)
        return
    if tag == "header" and (heading := _section_heading(element)) is not None:
        paragraphs.append(heading)
        return
    if tag == "aside" and _fact_box(element):
        tag = "div"
    if (
        tag == "h1"
        and paragraphs
        and not (_beside_article(element) or _classed(element, NOT_ARTICLE_HEADING))  # not "Leave a reply"
        and (text := heading_text_of(element))
    ):
        paragraphs.append(text)  # a section's heading set as an <h1> after the body's first lines (Medium)
        return
    if not tag or tag in NOT_TEXT or _beside_article(element) or _classed(element, EMBEDDED_POST):
        return
    # a heading holds no blocks of the body, whatever it nests (Substack's anchor-link <div>)
    nested = tag not in HEADINGS and next(element.iterdescendants(*NESTED_BLOCKS), None) is not None
    if tag in TEXT_BLOCKS and not nested:
        if tag == "p" and _link_dense(element) and not _further_reading(element):  # "Read more: <another story>"
            return
        if tag == "p" and (_classed(element, CAPTION_CLASS) or _set_as_caption(element)):  # a picture's caption, a byline
            return
        text = prose.text(element) if tag != "tr" else " ".join(filter(None, map(text_of, element)))
        if text and not (tag != "tr" and _date_line(text)):
            paragraphs.append(f"• {text}" if tag == "li" else text)
    elif _classed(element, NOT_TEXT_CLASS) or (nested and _signing_up(element)):
        return
    elif tag in ("ul", "ol") and (_cited(element, prose.url) or _further_reading(element)):  # links, read as they are
        paragraphs.extend(f"• {text_of(li)}" for li in element.iterchildren("li"))
    elif _link_dense(element) and not (any(_further_reading(child) for child in element) and _ends_text(element)):
        return  # links to other stories; not a box of the links a release ends with
    elif nested:
        _collect(element, prose, paragraphs)
    elif element.find(".//br") is not None:  # lines set apart by <br>s: each a line of its own
        paragraphs.extend(_lines(element))
    elif (text := text_of(element)) and not _date_line(text):  # a div or span of text without blocks inside
        if (len(text) <= CAPTION_CHARS and next(element.iter(*PICTURES), None) is not None) or _set_as_caption(element):
            return  # a picture and a line beside it: its caption ("img-legend"), kept apart
        paragraphs.append(text)


def _date_line(text: str) -> bool:
    """A line of the body that only dates it ("Published On Nov 10, 2023 at 05:42 PM IST",
    "Tuesday, 15 August 2023"), not a line of a timeline ("14 August 2023: the cabinet approves")."""
    return (
        len(text) <= DATE_ONLY_CHARS
        and (
            BYLINE.match(text) is not None
            or len(WORD.findall(text)) <= DATE_LINE_WORDS
            or _changed_date(text)
            or _dated_kicker(text)
        )
        and parse_date(text) is not None
    )


def _dated_kicker(text: str) -> bool:
    """A newsletter's issue line or a date and its authors, set apart by a middle dot ("Members'
    Bulletin · Tuesday 14 June 2022", "12 février 2024 · Camille Roux, Hugo Lefèvre")."""
    parts = text.split(" · ")
    dated = [parse_date(part) is not None for part in parts]
    return len(parts) > 1 and any(dated) and all(
        is_date or len(WORD.findall(part)) <= DATE_LINE_WORDS + 1 for part, is_date in zip(parts, dated, strict=True)
    )


DATE_ONLY_CHARS = 60
DATE_LINE_WORDS = 3  # a weekday, a month and a preposition
WORD = re.compile(r"[^\W\d_]{2,}")


CAPTION_CHARS = 200  # a caption and its credit; a longer line beside a picture is text

# The publication date as schema.org microdata or RDFa names it on an element of the page: WordPress
# themes' <span itemprop="datePublished">, Drupal 7's "Submitted on 05/02/2022" with its ISO date
# in `content` (US order in the text). A <meta> so named is read with the page's metadata.
DATE_PROPERTIES = {"datepublished", "dc:date", "dc:created", "dcterms:created", "dcterms:issued", "schema:datepublished"}
# the candidates found by libxml2 (RDFa pages name dozens of other properties), checked exactly below
DATED_ELEMENTS = etree.XPath(
    "//*[not(self::meta)][contains(@itemprop, 'atePublished') or contains(@property, 'atePublished')"
    " or contains(@property, 'dc:date') or contains(@property, 'dc:created') or contains(@property, 'dcterms:')]"
)


def _property_date(tree: HtmlElement, html: str | None) -> str | None:
    """The first such date of the article's (not of a related story or a comment)."""
    if html is not None and not any(name in html for name in ("atePublished", "dc:date", "dc:created", "dcterms:")):
        return None  # most pages: the search of the tree is skipped
    for element in DATED_ELEMENTS(tree):
        names = f"{element.get('itemprop', '')} {element.get('property', '')}".lower().split()
        if DATE_PROPERTIES.intersection(names) and not _apart_from_article(element):
            return element.get("content") or element.get("datetime") or text_of(element) or None
    return None


def _types(obj: dict[str, object]) -> set[str]:
    """A JSON-LD object's @type, one name or a list, lowercased."""
    kinds = obj.get("@type", "")
    return {str(kind).lower() for kind in (kinds if isinstance(kinds, list) else [kinds])}


def _jsonld_article(tree: HtmlElement) -> dict[str, object]:
    objects = jsonld_objects(tree)
    article = next((obj for obj in objects if any(ARTICLE_TYPE.search(kind) for kind in _types(obj))), None)
    return article or next((obj for obj in objects if "webpage" in _types(obj)), {})


# "Headline | Site", "Site - Headline"; Chinese portals' "标题_网站名", an underscore between ideographs
TITLE_SEPARATORS = re.compile(r"\s+(?:[|–—:·»]|-|::)\s+|(?<=[\u3000-\u9fff\uff00-\uffef])_(?=[\u3000-\u9fff])")
SITE_NAME_KEYS = ("og:site_name", "application-name")


TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title", "citation_title")


def _stated_titles(
    tree: HtmlElement, meta: dict[str, str], ld: dict[str, object], site: set[str], pieces: bool = True
) -> list[str]:
    """What the page's metadata calls it: the headline, og:title, Dublin Core's and scholarly
    citation title, the <title> and its pieces (one of which is the site's name); each without
    the site's name before or after it first, then as written ("OSCE – EU joint statement" may
    be the heading itself)."""
    stated = [str(ld.get("headline") or ""), *(meta.get(key, "") for key in TITLE_META)]
    if (title := tree.find(".//title")) is not None and (text := text_of(title)):
        stated += [text, *(_title_pieces(text) if pieces and len(text) <= TITLE_CHARS else ())]
    found = []
    for text in (" ".join(t.split()) for t in stated if t.strip()):
        found += dict.fromkeys([_without_site(text, site), text])
    return found


TITLE_CHARS = 300  # longer is no title: not split into pieces


def _title_pieces(title: str) -> list[str]:
    """The <title>'s pieces between its separators, and what stands before and after each one (a
    headline holding a dash itself: "Combi 4 fails after the winter – error 121H - Womo-Treff.de")."""
    cuts = list(TITLE_SEPARATORS.finditer(title))
    return [
        *TITLE_SEPARATORS.split(title),
        *(title[: cut.start()] for cut in cuts[1:]),
        *(title[cut.end() :] for cut in cuts[:-1]),
    ]


def _without_site(title: str, site: set[str]) -> str:
    """ "Headline | Site" and "Site: Headline" as "Headline"."""
    if not site or len(title) > TITLE_CHARS:
        return title
    for separator in TITLE_SEPARATORS.finditer(title):
        before, after = title[: separator.start()], title[separator.end() :]
        if _comparable(after) in site:
            return before
        if _comparable(before) in site:
            return after
    return title


def _site_names(tree: HtmlElement, headings: list[_Heading], meta: dict[str, str], url: str) -> set[str]:
    """The site's name as the metadata states it, as its logo heading (an <h1> that is one link
    to the home page of the page's own host) shows it, or as its host name; compared as titles
    are."""
    names = {_comparable(meta[key]) for key in SITE_NAME_KEYS if key in meta}
    names |= {h.compared for h in headings if h.link is not None and _is_home(h.link.get("href"), url)}
    # and as its logo says it: the picture's text in a link home
    names |= {_comparable(img.get("alt") or "") for img in LINKED_IMAGES(tree) if _is_home(img.getparent().get("href"), url)}
    if host := (urlsplit(url).hostname or "").removeprefix("www."):
        names |= {host, f"www.{host}"}  # "gnu.org" as a page's title names the site
    return names - {""}


def _on_own_host(href: str | None, url: str) -> SplitResult | None:
    """Where a link on the page leads, if to the page's own host."""
    if not href or href.startswith("#"):
        return None
    try:
        target, page = urlsplit(urljoin(url, href)), urlsplit(url)
    except ValueError:  # a broken link ("http://[SITE_URL]/") names nothing
        return None
    return target if target.netloc == page.netloc else None


def _links_to(href: str | None, url: str) -> bool:
    """Whether a link leads to the page itself, as a permalink does."""
    target, page = _on_own_host(href, url), urlsplit(url)
    # "/?p=123" is an article and "/" the home page: the query counts
    return target is not None and (target.path.rstrip("/"), target.query) == (page.path.rstrip("/"), page.query)


def _is_home(href: str | None, url: str) -> bool:
    home = _on_own_host(href, url)  # in a language of its own too: "Default.aspx?lang=ru"
    return home is not None and HOME_PATH.fullmatch(home.path) is not None and LANGUAGE_QUERY.fullmatch(home.query) is not None


LANGUAGE_QUERY = re.compile(r"(?:(?:lang|language|locale)=[\w-]{2,10})?", re.I)
LINKED_IMAGES = etree.XPath("//a[@href]/img[@alt]")

HOME_PATH = re.compile(r"/?(?:(?:index|default|home)\.(?:php|html?|aspx?|jsp))?", re.I)  # "/", "/index.php?"


def _comparable(text: str) -> str:
    """A title as compared: case, quote and dash forms, soft hyphens and spacing set aside."""
    text = unicodedata.normalize("NFKC", text).replace("\xad", "").casefold()
    return " ".join(text.translate(TITLE_VARIANTS).split())


TITLE_VARIANTS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"})


# Text only a screen reader reads (Liferay's "hide-accessible", Drupal 7's "element-invisible").
HIDDEN = re.compile(r"sr-only|visually-?hidden|screen-reader|hide-accessible|element-invisible", re.I)
# A kicker inside the heading ("<span class=kicker>Seefeld</span>", heise's label "Trackwise-Update:"),
# and hidden text: not the headline as the reader sees it. Drupal's "field--label-hidden" says the
# title field shows no label: it is the headline.
NOT_HEADLINE = re.compile(
    r"kicker|dachzeile|spitzmarke|strapline|overline|eyebrow|roofline|topline"
    rf"|(?<![a-z])(?<!field--)label(?![a-z])|{HIDDEN.pattern}",
    re.I,
)
KICKER_END = re.compile(r"^[\s:|–—·-]+")


def _heading_text(heading: HtmlElement) -> str:
    """The heading's text without the kicker or hidden text within it."""
    text = heading_text_of(heading)
    if (shown := without(heading, lambda e: _classed(e, NOT_HEADLINE))) is heading:
        return text
    return KICKER_END.sub("", heading_text_of(shown)) or text  # the headline after the kicker stays


# A dialog's or a comment form's heading ("We respect your privacy", "Leave a reply"); not Drupal's
# "dialog-off-canvas-main-canvas", around the whole page.
NOT_ARTICLE_HEADING = re.compile(r"cookie|consent|cmplz|comment|respond|modal|popup|(?<![\w-])dialog(?![\w-])", re.I)


def _in_banner(element: HtmlElement) -> bool:
    """In the block ARIA names the site's banner."""
    return any(ancestor.get("role") == "banner" for ancestor in element.iterancestors())


def _headings_header(heading: HtmlElement) -> bool:
    """Whether the heading stands in a <header> of headings alone, no link (a TYPO3 content
    element's), rather than in the site's frame, which a <header> outside an <article> or <main>
    otherwise is."""
    header = next(heading.iterancestors("header"), None)
    return header is not None and header.find(".//a") is None and not in_site_frame(header)


@dataclass(frozen=True)
class _Heading:
    """An <h1> of the page, its text read once."""

    element: HtmlElement
    text: str
    compared: str  # as titles are compared
    link: HtmlElement | None  # the one link it is, text and all (a logo's, a menu's)

    @classmethod
    def of(cls, h1: HtmlElement, text: str, url: str) -> _Heading:
        links = h1.findall(".//a")
        link = links[0] if len(links) == 1 and text_of(links[0]) == text else None
        if not links:  # a logo block: the link around the heading and its tagline
            link = next(h1.iterancestors("a"), None)
        if link is not None and _links_to(link.get("href"), url):  # a permalink: the article's own
            link = None
        return cls(h1, text, _comparable(text), link)

    @property
    def own(self) -> bool:
        """Not the site's logo or a menu, a cookie dialog's or a comment form's: outside the site's
        frame, a dialog and a comment form, and not a link alone."""
        return (
            self.link is None
            and (not in_site_frame(self.element) or _headings_header(self.element))
            and not any(
                _classed(e, NOT_ARTICLE_HEADING)
                for e in (self.element, *self.element.iterancestors())
                if e.tag not in ("body", "html")  # their classes describe the page ("cookies-not-set")
            )
        )


def _title(
    tree: HtmlElement, meta: dict[str, str], ld: dict[str, object], url: str
) -> tuple[str, str, HtmlElement | None]:
    """The article's heading as the page shows it, where it was found, and the element that heads
    the article (None when only the metadata names it), settled against what its metadata says:
    its own <h1> (not a logo's or a menu's) the metadata repeats; else the metadata's title where
    an <h1> puts a kicker before it ("Local News | ..."); else the article's one <h1>, unless the
    page's first <h2> or <h3> is what the metadata names (the <h1> names the site or a section);
    else an <h2> or <h3> the metadata names; else the metadata's own; else an <h1> in the site's
    frame; else the page's first <h2>. The site's name, one of the <title>'s pieces, names no article."""
    shown = (h1 for h1 in tree.iter("h1") if not _classed(h1, HIDDEN))  # a screen reader's "Navigation"
    headings = [_Heading.of(h1, text, url) for h1 in shown if (text := _heading_text(h1))]
    site = _site_names(tree, headings, meta, url)
    stated = [
        (title, known) for title in _stated_titles(tree, meta, ld, site) if (known := _comparable(title)) not in site
    ]
    own = [h for h in headings if h.compared not in site and h.own]
    for h in own:
        if (
            any(h.compared in known for _, known in stated)
            and not _rest_of_title_shown(h, stated, tree)
            and not _titled_otherwise(h, meta, ld, tree)
        ):
            return h.text, "h1, as the metadata has it", h.element
    for h in (h for h in headings if not _in_banner(h.element)):  # not the site's name and tagline
        kicked = [title for title, known in stated if len(known) > 15 and h.compared.endswith(known)]
        if kicked and _rest_of_title_shown(h, stated, tree):  # the <h1> a piece of the <title>, not a kicker's
            continue
        if kicked:
            return max(kicked, key=len), "metadata (the h1 adds a kicker)", h.element
    # what names a subheading the headline: any stated title for an <h2>; for an <h3>, only a
    # whole one, not a piece of the <title> (a tagline's: "Run Windows on Mac - Parallels Desktop")
    naming = {
        "h2": {known for _, known in stated},
        "h3": {known for title in _stated_titles(tree, meta, ld, site, pieces=False) if (known := _comparable(title))}
        - site,
    }

    sections = tuple(h.compared for h in headings)

    def named(h: HtmlElement, text: str) -> bool:
        # a subheading may end the <title> after the site's name, however it is joined, where the
        # page marks it as the headline (microdata: "Pfarreiengemeinschaft Oberzell-Hausen: <headline>")
        # or its <h1> names what the <title> names first (a forum's: "Announcements: <subject>")
        known = _comparable(text)
        return known in naming[h.tag] or (
            len(known) > 15
            and any(
                title.endswith(known) and (h.get("itemprop") == "headline" or title.startswith(sections))
                for _, title in stated
            )
        )

    if own and (len({h.compared for h in own}) == 1 or not stated):  # else they head sections
        # the first subheadings under the <h1> (not a side column's before it in the page, nor
        # a widget's over its links: "Categories", "Tools")
        after = (h for h in _following(own[0].element) if h.tag in SUBHEADINGS and not _heads_links(h))
        firsts = islice(
            ((h, text) for h in after if (text := heading_text_of(h)) and not in_site_frame(h)),
            NAMED_SUBHEADING_REACH,
        )
        if not any(
            named(h, text) and (index == 0 or any(_links_to(a.get("href"), url) for a in h.iter("a")))
            for index, (h, text) in enumerate(firsts)
        ):
            return _headline_block(tree, own[0], stated, meta, ld, site) or (own[0].text, "h1", own[0].element)
        # else the <h1> names the site or its section ("Новости", "News Flash"): the page's first
        # subheading is the headline the metadata names, or the next one, a link to the page itself,
        # after a category's
    for h in tree.iter(SUBHEADINGS):  # a theme that heads the article with an <h2> or <h3>: the one the metadata names
        if not in_site_frame(h) and (text := heading_text_of(h)) and named(h, text):
            classed = None if own else _classed_headline(tree, site)
            if classed is not None and len(classed[0]) > len(text) and _links_named(tree, text):
                # "NCDC | News": the heading names the section the menu links, above a headline
                # its class names
                return classed[0], "a block classed as the headline, under its section's", classed[1]
            return text, f"{h.tag}, as the metadata has it", h
    classed = None if own else _classed_headline(tree, site)
    if classed is None and (crumb := _breadcrumb_title(tree, stated)):
        return crumb, "the breadcrumb's last item, a piece of the <title>", None
    shown = _shown_title_piece(tree, stated)  # "Headline :: Site", the headline a block of its own
    # a block its class names a news item's headline ("newsTitle", "titulo_noticia") outweighs a
    # piece of the <title> shown elsewhere: that is the site's name in a table layout's banner
    if classed is not None and (shown is None or NEWS_CLASS.search(classed[1].get("class") or "")):
        return classed[0], "a block classed as the headline", classed[1]
    if shown:
        return shown[0], "a piece of the <title>, as the page shows it", shown[1]
    if stated:
        return stated[0][0], "metadata", None
    if headings:
        return headings[0].text, "h1 in the site's frame", None
    # the metadata names only the site: the first heading of the page's own part
    h2 = next((h2 for h2 in tree.iter("h2") if text_of(h2) and not _apart_from_article(h2)), None)
    return (text_of(h2), "first h2", h2) if h2 is not None else ("", "none", None)


SUBHEADINGS = ("h2", "h3")
# Where _title finds a title the page does not show as its headline: its metadata, a heading of the site's frame.
UNSHOWN_TITLES = {"metadata", "h1 in the site's frame", "first h2", "none"}


def _links_named(tree: HtmlElement, text: str) -> bool:
    """Whether a link of the page reads `text`: a section the menu or the breadcrumb leads to."""
    wanted = _comparable(text)
    return any(_comparable(text_of(a)) == wanted for a in tree.iter("a"))


def _headline_block(
    tree: HtmlElement, h1: _Heading, stated: list[tuple[str, str]], meta: dict[str, str], ld: dict[str, object], site: set[str]
) -> tuple[str, str, HtmlElement] | None:
    """Where the metadata does not name the <h1>, a block that does: the metadata's whole title
    set as a block of its own (a page builder's styled <p>), or a block classed as the headline
    opening with a title it states (Webflow's "post-title" under a "Le Journal du Club" <h1>).
    The <h1> then names the section."""
    whole = [(title, known) for title in _stated_titles(tree, meta, ld, site, pieces=False) if (known := _comparable(title)) not in site]
    shown = _shown_title_piece(tree, whole)
    if shown is not None and _comparable(shown[0]) not in h1.compared:  # not the <h1> told short
        return shown[0], "the metadata's title, as the page shows it", shown[1]
    classed = _classed_headline(tree, site)
    if classed is not None and any(_comparable(classed[0]).startswith(known) for _, known in stated if len(known) > 15):
        return classed[0], "a block classed as the headline", classed[1]
    return _under_section_heading(h1)


# An <h1>'s class that calls it a section's heading: "section-head", "category-title", "archive-title".
SECTION_HEADING_CLASS = re.compile(r"^(?:section|category|archive|rubric)[_-]{1,2}(?:head|header|heading|title|name)$", re.I)


def _under_section_heading(h1: _Heading) -> tuple[str, str, HtmlElement] | None:
    """The headline right under an <h1> its class calls a section's heading (an old field-office
    template's "Press releases 2024" over its "pr-title"): the first subheading after it, where
    its class names a headline."""
    if not any(SECTION_HEADING_CLASS.match(token) for token in (h1.element.get("class") or "").split()):
        return None
    heading = next((h for h in _following(h1.element) if h.tag in SUBHEADINGS), None)
    if heading is None or not any(HEADLINE_CLASS.match(token) for token in (heading.get("class") or "").split()):
        return None
    text = heading_text_of(heading)
    return (text, "a heading classed as the headline, under its section's", heading) if len(text) >= HEADLINE_MIN_CHARS else None


def _rest_of_title_shown(h1: _Heading, stated: list[tuple[str, str]], tree: HtmlElement) -> bool:
    """Whether the <h1> only opens or closes the <title> (a forum's name: "Imker-Stammtisch •
    Thema anzeigen - <subject>") and another heading outside the site's frame shows what closes
    or opens it, longer than the <h1>: that names the page, the <h1> the site or its section."""
    titles = [known for _, known in stated if known != h1.compared and (known.startswith(h1.compared) or known.endswith(h1.compared))]
    if not titles:
        return False
    return any(
        len(known := _comparable(text)) > len(h1.compared)
        and any(title.endswith(known) or title.startswith(known) for title in titles)
        and not in_site_frame(h)
        for h in tree.iter("h1", *SUBHEADINGS)
        if h is not h1.element and (text := heading_text_of(h))
    )


def _titled_otherwise(h1: _Heading, meta: dict[str, str], ld: dict[str, object], tree: HtmlElement) -> bool:
    """Whether the article's own metadata (its headline, og:title and the like; not the <title>,
    which may name the section) names in full a subheading outside the site's frame, and the
    <h1> is no part of what it names: the <h1> names the section ("Новости региона") over the
    article, that subheading the article."""
    named = {_comparable(t) for t in (str(ld.get("headline") or ""), *(meta.get(key, "") for key in TITLE_META))}
    named = {known for known in named if known and h1.compared not in known}
    return bool(named) and any(
        _comparable(text) in named and not in_site_frame(h)
        for h in tree.iter(*SUBHEADINGS)
        if (text := heading_text_of(h))
    )


def _heads_links(heading: HtmlElement) -> bool:
    """Whether a heading stands over a list of links (a widget's)."""
    following = heading.getnext()
    return following is not None and following.tag in ("ul", "ol", "nav") and _links_hold_most(following)


SHOWN_TITLE_TAGS = ("td", "div", "span", "b", "strong", "font", "p", "h3", "h4")


def _shown_title_piece(tree: HtmlElement, stated: list[tuple[str, str]]) -> tuple[str, HtmlElement] | None:
    """A piece of the metadata's titles, or one whole, that an element of the page's own part
    shows as all its text: an old portal's headline in a table cell, its <title> adding the
    site's name; the longest so shown, not the site's name in its header."""
    pieces = {known: title for title, known in stated if len(known) > 15}
    if not pieces or (body := tree.find("body")) is None:
        return None
    shown = [
        (title, element)
        for element in body.iter(SHOWN_TITLE_TAGS)
        if (text := short_text_of(element, TITLE_CHARS))
        and (title := pieces.get(_comparable(text)))
        and not _apart_from_article(element)
    ]
    # the longest piece shown: the headline, not the site's name the header shows beside it
    return max(shown, key=lambda piece: len(piece[0])) if shown else None


BREADCRUMB = re.compile(r"breadcrumb", re.I)
CRUMB_SEPARATOR = re.compile(r"\s*(?:[>»›/|→]|&gt;)\s*")


def _breadcrumb_title(tree: HtmlElement, stated: list[tuple[str, str]]) -> str | None:
    """The page's name as its breadcrumb ends, where a piece of its metadata's titles says the
    same: the headline of a page that shows none ("Home > News > 2024 > <headline>")."""
    pieces = {known: title for title, known in stated if len(known) > 15}
    if not pieces:
        return None
    for element in tree.iter("nav", "div", "ol", "ul", "p"):
        if BREADCRUMB.search(f"{element.get('class', '')} {element.get('id', '')} {element.get('aria-label', '')}"):
            lines = block_lines(element)
            last = CRUMB_SEPARATOR.split(lines[-1])[-1] if lines else ""
            return pieces.get(_comparable(last))
    return None


NAMED_SUBHEADING_REACH = 2  # a category's subheading may come before the headline's

# One class of an element that sets the article's headline without a heading tag: "ueberschrift",
# "Ueberschrift-1", "hero__title", "newsTitle", Bitrix's "news-detail-title", "titulo_noticia", a magazine's "ff-story-hed" (after a short
# prefix of the site's), a Korean board's "tit"; not a site's, a widget's or a card's title.
HEADLINE_CLASS = re.compile(
    r"^(?:[a-z]{1,4}[_-])?(?:(?:article|news|post|entry|story|hero|page|main)[_-]{0,2})?(?:detail[_-]{1,2})?"
    r"(?:title|headline|heading|hed|ueberschrift|überschrift|titulo|titre|titolo|zagolovok|tit)"
    r"(?:[_-]{1,2}(?:noticia|news|article|post|main|\d))?$",
    re.I,
)


def _classed_headline(tree: HtmlElement, site: set[str]) -> tuple[str, HtmlElement] | None:
    """The first block of the page's own part that its class names a headline, where no heading
    tag heads the article (an old template's styled <div>, <p> or table cell): of a headline's
    length, not a link, not the site's name nor a menu's heading."""
    if (body := tree.find("body")) is None:
        return None
    for element in body.iter("h2", *SHOWN_TITLE_TAGS):
        if not any(HEADLINE_CLASS.match(token) for token in (element.get("class") or "").split()):
            continue
        text = short_text_of(element, TITLE_CHARS)
        if (
            text
            and len(text) >= HEADLINE_MIN_CHARS
            and _comparable(text) not in site
            and element.find(".//a") is None
            and next(element.iterancestors("a"), None) is None
            and not _classed(element, MENU)
            and not _apart_from_article(element, NOT_HEADLINE_BLOCK)
        ):
            return text, element
    return None


HEADLINE_MIN_CHARS = 15
NEWS_CLASS = re.compile(r"article|news|post|entry|story|noticia", re.I)
MENU = re.compile(r"menu", re.I)  # a menu's section headings ("Roskilde-området")
NOT_HEADLINE_BLOCK = re.compile(f"{NOT_ARTICLE.pattern}|{MENU.pattern}", re.I)


def _selected(tree: HtmlElement, selector: str | None) -> HtmlElement | None:
    """The first element a source's CSS selector names; None when the page lost it."""
    if not selector:
        return None
    found = select(tree, selector)
    return found[0] if found else None


def extract_article(
    tree: HtmlElement,
    url: str,
    html: str | None = None,
    selectors: Mapping[str, str] | None = None,
    dated_elsewhere: bool = False,
) -> ArticleFields:
    """`selectors` (title, date, body: CSS) win over the generic layers where they match.
    `dated_elsewhere`: the listing entry that led here states a date, so htmldate's inference
    is not needed."""
    selectors = selectors or {}
    meta = meta_tags(tree)
    ld = _jsonld_article(tree)
    fields = ArticleFields()
    fields.title, fields.title_from, heading = _title(tree, meta, ld, url)
    if (element := _selected(tree, selectors.get("title"))) is not None and text_of(element):
        fields.title, fields.title_from, heading = text_of(element), "selector", element
    date_element = _selected(tree, selectors.get("date"))
    if date_element is not None and (value := date_element.get("datetime") or text_of(date_element)):
        fields.dates.append(("selector", value))

    for key in ("datepublished",):
        if value := next((v for k, v in ld.items() if k.lower() == key), None):
            fields.dates.append(("meta", str(value)))
    for key in ("article:published_time", "dcterms.date", "dcterms.issued", "dc.date", "date", "datepublished", "pubdate"):
        if key in meta:
            fields.dates.append(("meta", meta[key]))
    if not fields.dates and (value := _property_date(tree, html)):  # the same statement, where no <meta> made it
        fields.dates.append(("meta", value))

    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            with contextlib.suppress(ValueError):  # "http://[SITE_URL]/…": no claim (normalize checks the rest)
                fields.canonical_url = urljoin(url, link.get("href"))
            break
    fields.canonical_url = fields.canonical_url or meta.get("og:url") or (str(ld["url"]) if ld.get("url") else None)
    fields.lang = tree.get("lang") or (str(ld["inLanguage"]) if ld.get("inLanguage") else None) or meta.get("og:locale")
    if (post := telegram_post(tree, url)) is not None:  # a channel's post, among the channel's others
        if post.title:
            fields.title, fields.title_from = post.title, "the post's opening bold line"
        fields.paragraphs, fields.body_from = post.paragraphs, "telegram post"
        fields.dates = [("time", post.published)] if post.published else fields.dates
        return fields

    _drop_advertisements(tree, html)
    prose = PageProse(tree, url)
    scope = tree  # the part of the page the article tells
    blocks: list[HtmlElement] = []
    lead: list[str] = []
    container = _selected(tree, selectors.get("body"))
    if container is not None:  # the source's own selector: its body as it is
        fields.paragraphs = _paragraphs(container, prose)
        fields.body_from = "selector"
    else:
        container, scope = main_container(tree, prose, heading)
        if container is not None:  # the titled article alone: its siblings are the other stories
            blocks = [container] if container is scope else body_blocks(container, prose)
            fields.paragraphs = _under_headline([p for block in blocks for p in _paragraphs(block, prose)], fields.title)
            known = set(fields.paragraphs)
            lead = [p for p in _lead(container, blocks, prose) if p not in known]
            lead = lead or _described_lead(heading, blocks, prose, _description(meta, ld), fields) or _dek(heading, blocks, fields)
            # after the title where the body repeats it first: that line is dropped as the title
            at = int(bool(fields.paragraphs) and _comparable(fields.paragraphs[0]) == _comparable(fields.title))
            fields.paragraphs[at:at] = lead
    fields.captions = _captions(tree)

    # Labels can sit anywhere on the page (header, sidebar, under the title).
    lines = block_lines(tree.find("body") if tree.find("body") is not None else tree)
    # days the page shows as its publication's: metadata of a later day is a change's, an import's or a repost's
    shown_days: list[date] = []
    for name, value in labelled_values(lines):
        if name == REPOSTED:  # the original's day, the first said: the related stories' cards below say theirs
            if not shown_days and (original := parse_date(value)):
                fields.dates.append(("label", value))
                shown_days.append(original)
        # "Опубликовано:" names the office on the OSCE's pages, the day on others
        elif name == "published" or (name == "issued by" and len(value) <= DATE_LINE_CHARS and parse_date(value)):
            fields.dates.append(("label", value))
        else:
            fields.facets.setdefault(name, []).extend(split_list(value) if name == "what we do" else [value])
    if said := _publication_line(tree, lines):
        fields.dates.append(("label", said))
        if changed := _changed_after(said):  # "publié le 16 janvier 2024, mis à jour le 22 janvier 2024"
            fields.dates.append(("updated", changed))
    beside_heading = _byline_date(lines, fields.title) or _kicker_date(heading)
    top_bar = above_banner(tree)
    byline = beside_heading or dated_element_text(tree, _published_date, lambda e: _another_storys(e) or top_bar(e))
    if byline:
        # "von Dr. Anke Thomsen — veröffentlicht 29.06.2023": a date the line says is the publication's
        fields.dates.append(("label" if _published_said(byline) else "byline", byline))
        # "Published: 14 Aug 2023 | Updated: 15 Aug 2023", or the change on a line of its own by it
        if changed := _changed_after(byline) or _changed_line(lines, fields.title):
            fields.dates.append(("updated", changed))
    elif changed := dated_element_text(tree, _changed_date, _apart_from_article):
        fields.dates.append(("updated", changed))  # all the page says: weaker than any other voice
        if any(shown_day(value, changed) == parse_date(changed) for provenance, value in fields.dates if provenance == "meta"):
            # its clock shows the metadata's UTC stamp at local time ("Stand: 23.05.2024 00:20 Uhr"
            # for 22:20Z): the same moment, the day the reader sees
            fields.dates.append(("byline", changed))
    if not any(provenance == "updated" for provenance, _ in fields.dates) and (changed := _page_changed_line(lines)):
        fields.dates.append(("updated", changed))  # the footer's "Page last updated: 03/12/2024"
    # the day the page shows under its headline (a page cannot show a day before it was published);
    # where the title is also a sidebar's link, which line is under the headline is not known
    if beside_heading and lines.count(fields.title) == 1 and (shown := parse_date(beside_heading)):
        shown_days.append(shown)
    if shown_days:
        fields.dates += [("updated", v) for p, v in fields.dates if p == "meta" and _later(v, min(shown_days))]
    # the first <time> outside the site's frame, related stories and comments, that is no change's
    # stamp; one in a block classed "footer" inside the article counts (TYPO3 puts the article's
    # own date there, Genesis its "Posted on" after an "Updated" one under the title)
    for time_el in tree.iter("time"):
        if (
            (value := (time_el.get("datetime") or text_of(time_el)))
            and not _apart_from_article(time_el, OTHERS)
            and not _changed_stamp(time_el)
        ):
            fields.dates.append(("time", value))
            # a UTC stamp shown as the local day: what the reader sees is a voice of its own
            if seen := day_shown(value, " ".join((time_el.text_content() or "").split())[:DATE_LINE_CHARS]):
                fields.dates.append(("byline", seen))
            break

    if len(fields.text) < MIN_BODY_CHARS and ld.get("articleBody"):
        fields.paragraphs = [p.strip() for p in re.split(r"\n\s*\n", str(ld["articleBody"])) if p.strip()]
        fields.body_from = "jsonld"
    page_prose = prose.outside_frame(scope)
    # a page whose text is not in paragraphs: blocks split by <br> (a site builder's text records,
    # an old portal's table cell); where a line or two of the page is in paragraphs (a footer),
    # they replace trafilatura's reading only where they hold it, and more
    blocks_text = _text_block_lines(tree) if page_prose < TEXT_BLOCK_CHARS and len(fields.text) < MIN_BODY_CHARS else []
    if blocks_text and not page_prose:
        fields.paragraphs, fields.body_from = blocks_text, "structure"
    covered = len(fields.text) >= PROSE_SHARE * page_prose
    # a body gathered from a page builder's components, each in a wrapper of its own, has its
    # gaps filled from trafilatura's reading (either may miss a component the other has), but is
    # not replaced by it: trafilatura's longer reading holds the side column's boxes too
    gathered = container is not None and container not in blocks and len(blocks) > 1
    # the source's own body selector is taken as it is, unless it found next to nothing
    trusted = fields.body_from == "selector" and len(fields.text) >= MIN_BODY_CHARS
    found = None
    checked = _size(fields.text) < CHECKED_BODY_CHARS or not covered
    if html and not trusted and (checked or gathered):
        # too little of the page's prose: trafilatura's reading, when it finds more
        found = _trafilatura_paragraphs(scope, url, fields.title)
        if (
            checked
            and found
            and len("\n\n".join(found)) > len(fields.text)
            and not (covered and page_prose and _only_surroundings(found, fields))
        ):
            fields.paragraphs, fields.body_from = found, "trafilatura"
        elif len(fields.text) < MIN_BODY_CHARS:
            fields.body_from = "none"
        elif found and not lead:  # ours kept: what trafilatura reads before it may be its deck
            fields.paragraphs[:0] = _head_lines(fields.paragraphs, found, heading, fields.title)
        if blocks_text and fields.body_from != "structure" and _holds_and_more(blocks_text, fields.paragraphs):
            fields.paragraphs, fields.body_from = blocks_text, "structure"
    in_structure = html and fields.body_from == "structure" and len(fields.text) >= MIN_BODY_CHARS
    if in_structure and (found or _prose_left_between(scope, prose, fields.paragraphs)):
        # each reading covers the other's failures: what trafilatura reads between two lines both
        # readings hold is body the structure dropped (a part of the body in a layout row of its
        # own); asked only where a paragraph lies untaken between two the body holds
        found = found or _trafilatura_paragraphs(scope, url, fields.title)
        fields.paragraphs = _gaps_filled(fields.paragraphs, found or [], scope)
    if fields.body_from == "structure" and blocks and not lead and len(fields.text) >= MIN_BODY_CHARS:
        # after the check against trafilatura, which weighs the body as the structure has it
        fields.paragraphs[:0] = _standfirst(heading, blocks, prose, fields.paragraphs)
    if filed := url_date(url):
        fields.dates.append(("url", filed))
    # a date line beside the heading is the article's own: htmldate's guess cannot outweigh it
    readable = bool(beside_heading) or any(provenance in STATED_DATES and parse_date(value) for provenance, value in fields.dates)
    found = _htmldate(html, url) if html and not readable and not dated_elsewhere else None  # unreadable: none
    if (
        found
        and not _another_storys_date(tree, found, fields.dates, top_bar)
        and not _byline_read_otherwise(found, fields.dates)
        and not _changed_day(tree, found, fields.dates, _changed_stamps(meta, ld))
    ):
        # htmldate's last resorts (a copyright line, a lone year) come as January 1st: a year,
        # not a day, weaker than any date the page states
        fields.dates.append(("year" if found.endswith("-01-01") else "htmldate", found))
    fields.dates = [(provenance, value[:MAX_DATE_CHARS]) for provenance, value in fields.dates]
    if any("/" in value for _, value in fields.dates):
        fields.date_order = slashed_order(SLASHED_TEXTS(tree))
    return fields


SLASHED_TEXTS = etree.XPath("//text()[contains(., '/')][not(ancestor::script or ancestor::style)]")


MIN_RELEASE_CHARS = 400  # a release tells its news in a few paragraphs at least


def not_a_release(fields: ArticleFields) -> str:
    """Why a page in an ambiguous URL shape (a release's, and an "about us" page's) does not
    read as a release, or "" when it does: a title, a date it states as its own or a dateline,
    and prose. Article metadata alone does not do: themes put og:type "article" on every page."""
    if not fields.title:
        return "no title"
    dated = any(provenance in STATED_DATES | {"byline"} and parse_date(value) for provenance, value in fields.dates)
    datelined = opening_dateline(fields.text) is not None  # in the first paragraph, or the second after a title or lead
    if not (dated or datelined):
        return "no publication date or dateline"
    if len(fields.text) < MIN_RELEASE_CHARS:
        return f"{len(fields.text)} characters of text, too little for a release"
    return ""


INLINE_TAGS = {"a", "b", "strong", "i", "em", "u", "span", "font", "sup", "sub", "small", "big", "abbr", "q", "cite", "mark"}
TEXT_BLOCK_CHARS = 200  # a text block of a page without paragraphs: prose, not a menu's line
PROSE_SHARE_HELD = 0.9  # text blocks that replace trafilatura's reading hold this much of it


def _own_text_chars(element: HtmlElement) -> int:
    """The text an element holds itself, with its inline children's, not its blocks'."""
    size = len((element.text or "").strip())
    for child in element:
        if isinstance(child.tag, str) and child.tag in INLINE_TAGS:
            size += len(text_of(child))
        size += len((child.tail or "").strip())
    return size


def _text_block_lines(tree: HtmlElement) -> list[str]:
    """The lines of the page's richest block of text outside paragraphs and of the blocks like it
    (same tag and class), in order: the body of a page that has no <p>."""
    sizes = {
        element: size
        for element in tree.iter("div", "td", "section", "article", "span", "font")
        if (size := _own_text_chars(element)) >= GAP_LINE_CHARS and not _apart_from_article(element)
    }
    if not sizes or max(sizes.values()) < TEXT_BLOCK_CHARS:
        return []
    richest = max(sizes, key=sizes.__getitem__)
    kind = (richest.tag, richest.get("class"))
    blocks = {e for e in sizes if (e.tag, e.get("class")) == kind} if kind[1] else {richest}
    # a block inside another (a contact table's cell in the text's cell) is read with it, once
    outermost = [e for e in sizes if e in blocks and not any(a in blocks for a in e.iterancestors())]
    if len(outermost) == 1:
        return _lines(outermost[0])
    # blocks side by side, each alone or in a wrapper of its own (a page builder's paragraph
    # blocks): with what is set between two of them, a subheading ("Was sich ab September
    # ändert"), a list, a table, a quote
    parent = next(a for a in outermost[0].iterancestors() if all(a in block.iterancestors() for block in outermost))
    children = [child for child in parent if isinstance(child.tag, str)]
    places = [children.index(next(a for a in (block, *block.iterancestors()) if a.getparent() is parent)) for block in outermost]
    if len(set(places)) < len(places):  # two blocks in one wrapper: no order to read between them
        return [line for block in outermost for line in _lines(block)]
    lines = []
    for index in range(min(places), max(places) + 1):
        child = children[index]
        if index in places or (
            not (_beside_article(child) or _classed(child, NOT_TEXT_CLASS) or _link_dense(child))
            and (short_text_of(child, TITLE_CHARS) or next(child.iter(*SET_OUT, "blockquote", "pre"), None) is not None)
        ):
            lines += _lines(child)
    return lines


def _lines(block: HtmlElement) -> list[str]:
    """A block's lines set by <br>s, without the blocks in it that frame the text (a picture's
    source line, a byline) or stand beside it."""
    return block_lines(without(block, lambda e: _classed(e, NOT_TEXT_CLASS) or _beside_article(e) or _set_as_caption(e)))


def _set_as_caption(element: HtmlElement) -> bool:
    """A block of a short line all in italics right after a picture of its own: the picture's
    caption (an old portal's centred <i> under the photo), not a quote in a line of text."""
    previous = element.getprevious()
    if element.tag not in ("div", "p", "center") or previous is None or (previous.tail or "").strip():
        return False
    if next(previous.iter(*PICTURES), None) is None or _has_text(previous):
        return False  # not after a picture of its own
    text = short_text_of(element, CAPTION_CHARS)
    emphasis = " ".join(text_of(e) for e in element.iter("i", "em"))
    return bool(text) and emphasis == text


def _trafilatura_paragraphs(scope: HtmlElement, url: str, title: str) -> list[str] | None:
    """trafilatura's reading of the page (or of the article's part of it), without the title it
    opens with."""
    import trafilatura  # imported on demand: it costs half a second and is rarely needed

    # Our tree, not the page again: it is decoded (and mended) as the rest was read, and
    # trafilatura prunes what it is given, so it gets a copy.
    if scope.getparent() is None:  # the whole page
        page = deepcopy(scope)
    else:
        page = lxml.html.document_fromstring("<html><body></body></html>")
        page.find("body").append(deepcopy(scope))
    # Given a tree, trafilatura drops a comment with the text after it: "When <!-- -->President
    # Trump's advisers..." (as a page rendered by React has it) became "When".
    etree.strip_tags(page, etree.Comment, etree.ProcessingInstruction)
    text = trafilatura.extract(page, url=url, include_comments=False, include_tables=True)
    if not text or len(text) < MIN_BODY_CHARS:
        return None
    framing = _framing_texts(scope)
    lines = [line.strip() for line in text.split("\n") if line.strip() and _bare(line) not in framing]
    return lines[1:] if lines[:1] == [title] else _under_headline(lines, title)


FRAMING_CHARS = 300  # a caption, a newsletter's or a cookie banner's line; a longer block so classed may wrap the body
FRAMING_MIN_CHARS = 20  # a shorter line ("Strava", a credit) may also be a piece of a sentence trafilatura broke


def _bare(line: str) -> str:
    """A line of trafilatura's without its list or table marks, as text_of reads it."""
    return " ".join(line.strip("|-•* ").replace(" | ", " ").split())


def _framing_texts(scope: HtmlElement) -> set[str]:
    """The texts of the small blocks that frame the article rather than tell it, as the page marks
    them (a caption, a newsletter box, a comment prompt) or as they work (a button; a dialog or a
    sign-up form, each line of it): trafilatura keeps some of them as body lines."""
    signing_up = {
        ancestor
        for field in scope.iter("input")
        if (field.get("type") or "").lower() == "email"
        for ancestor in field.iterancestors()
    }
    texts = set()
    for element in scope.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body"):
            continue
        if _classed(element, EMBEDDED_POST):  # each line of another site's post, without what follows it
            texts.update(heading_text_of(part) for part in element.iter() if isinstance(part.tag, str))
        elif element in signing_up or element.get("role") in ("dialog", "alertdialog"):
            if short_text_of(element, FRAMING_CHARS) is not None:
                texts.update(short_text_of(part, FRAMING_CHARS) or "" for part in element.iter() if isinstance(part.tag, str))
        elif element.tag == "button":  # text_of skips a button's text, trafilatura does not
            texts.add(" ".join(element.text_content().split()))
        elif _beside_article(element) and (whole := short_text_of(element, FRAMING_CHARS)):
            texts.update((whole, *block_lines(element)))  # and each of its lines: a donation appeal's heading, its text
        elif _classed(element, NOT_TEXT_CLASS):
            texts.add(short_text_of(element, FRAMING_CHARS) or "")
    return {text for text in texts if len(text) >= FRAMING_MIN_CHARS}


def _gaps_filled(ours: list[str], theirs: list[str], scope: HtmlElement) -> list[str]:
    """Our paragraphs with the lines of trafilatura's reading that lie between two lines both
    readings hold, each after the paragraph of ours it follows; not a short line, nor one made
    mostly of links (a "Read more" teaser, a tag list). Compared without spaces: the readings
    join and split lines differently."""
    held = _squeezed("\n".join(ours))
    if len(held) > GAP_FILLED_CHARS:
        return ours
    theirs = _prose_lines(theirs)
    squeezed_ours = [_squeezed(p) for p in ours]
    shared = [i for i, line in enumerate(theirs) if _squeezed(line) in held]
    if len(shared) < 2:
        return ours
    inserts: list[tuple[int, str]] = []
    after = -1  # the paragraph of ours the last shared line is in
    for i in range(shared[0], shared[-1]):
        line = _squeezed(theirs[i])
        if line in held:  # looked for a few paragraphs on: the readings go in the same order
            ahead = range(after, min(after + GAP_LOOKAHEAD, len(ours))) if after >= 0 else range(len(ours))
            after = next((k for k in ahead if line in squeezed_ours[k]), after)
        elif len(theirs[i]) >= GAP_LINE_CHARS and all(theirs[i] != taken for _, taken in inserts):
            inserts.append((after, theirs[i]))
    if inserts:
        links = [text for a in scope.iter("a") if len(text := _squeezed(a.text_content())) >= 3]
        inserts = [(k, line) for k, line in inserts if not _mostly_links(_squeezed(line), links)]
    filled = list(ours)
    for k, line in reversed(inserts):
        filled.insert(k + 1, line)
    return filled


WIDE_SCRIPTS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # kana, CJK ideographs, Hangul


def _size(text: str) -> int:
    """How much a text says, in Latin letters: a Chinese, Japanese or Korean character says about
    what three do (a release of 1,000 characters in Japanese is a long one)."""
    return len(text) + 2 * len(WIDE_SCRIPTS.findall(text))


def _prose_lines(theirs: list[str]) -> list[str]:
    """trafilatura's lines as our paragraphs read: list items without their mark; not tables' rows."""
    return [line.removeprefix("- ") for line in theirs if not line.startswith("|")]


def _head_lines(ours: list[str], theirs: list[str], heading: HtmlElement | None, title: str) -> list[str]:
    """The lines trafilatura reads before the first line of our body, where the page shows them
    after the heading: a deck the structure did not reach (past a share kit of drawn icons, or
    in markup broken around it). Not a short line (a kicker, a byline), nor a link's text."""
    held = _squeezed("\n".join(ours))
    theirs = _prose_lines(theirs)
    first = next((i for i, line in enumerate(theirs) if _squeezed(line) in held), None)
    if heading is None or not first:
        return []
    head = [line for line in theirs[:first] if len(line) >= GAP_LINE_CHARS and _comparable(line) != _comparable(title)]
    if head:
        after = _squeezed(" ".join(heading.xpath("following::text()[not(ancestor::a)]")))
        head = [line for line in head if _squeezed(line) in after]
    return head


def _prose_left_between(scope: HtmlElement, prose: PageProse, paragraphs: list[str]) -> bool:
    """Whether a paragraph of a gap line's length lies untaken between two paragraphs the body holds."""
    held = set(paragraphs)
    seen_taken = left = False
    for p in scope.iter("p"):
        text = prose.texts[p]
        if text in held:
            if left:
                return True
            seen_taken = True
        elif seen_taken and len(text) >= GAP_LINE_CHARS:
            left = True
    return False


def _holds_and_more(lines: list[str], reading: list[str]) -> bool:
    """Whether `lines` hold nearly every line of another `reading`, and more besides (its
    subheadings, its signature)."""
    held = _squeezed("\n".join(lines))
    found = sum(len(line) for line in reading if _squeezed(line) in held)
    return found >= PROSE_SHARE_HELD * sum(map(len, reading)) and len(held) > len(_squeezed("\n".join(reading)))


def _squeezed(text: str) -> str:
    return "".join(_comparable(text).split())


def _mostly_links(line: str, links: list[str]) -> bool:
    return sum(len(link) for link in links if link in line) > LINK_SHARE * len(line)


def _only_surroundings(found: list[str], fields: ArticleFields) -> bool:
    """Whether a reading adds to a body that already holds the page's prose only a few lines
    beside it (the title, a kicker, a contact box, a sidebar's teaser), or, to a body of a
    release's length, only what follows it (the latest news, tags, an author's box). Body the
    structure missed (a recipe, a list, text outside paragraphs) runs longer, or comes first."""
    known = _comparable(fields.text)
    title = _comparable(fields.title)
    compared = [_comparable(p) for p in found]
    added = [i for i, c in enumerate(compared) if c not in known and c != title]
    if 0 < sum(len(found[i]) for i in added) < SURROUNDINGS_CHARS:
        return True
    last = _comparable(fields.paragraphs[-1]) if len(fields.text) >= MIN_RELEASE_CHARS else ""
    end = max((i for i, c in enumerate(compared) if last and last in c), default=None)
    return end is not None and (not added or added[0] > end)


def _another_storys_date(
    tree: HtmlElement, found: str, dates: list[tuple[str, str]], top_bar: Callable[[HtmlElement], bool]
) -> bool:
    """Whether htmldate's day, where the article's byline states another, is a related story's
    or a comment's: the page shows it only in blocks beside the article."""
    day = parse_date(found)
    bylines = {parse_date(value) for provenance, value in dates if provenance == "byline"} - {None}
    if day is None or not bylines or day in bylines:
        return False
    shown = [
        element
        for element in tree.iter()
        if isinstance(element.tag, str)
        and _holds_text(element)  # a page's wrappers are not read each
        and (text := short_text_of(element, DATE_LINE_CHARS))
        and parse_date(text) == day
    ]
    return bool(shown) and all(_apart_from_article(element) or top_bar(element) for element in shown)


def _byline_read_otherwise(found: str, dates: list[tuple[str, str]]) -> bool:
    """Whether htmldate's day is the byline's numeric date read in the other order: "Tue,
    03/12/2024 - 09:15", which Drupal writes month first, read as the 3rd of December."""
    day = parse_date(found)
    bylines = [ours for provenance, value in dates if provenance == "byline" and (ours := parse_date(value))]
    # a day up to 12 is a month too, and a month a day of any month
    return any(ours.day <= 12 and day == ours.replace(month=ours.day, day=ours.month) != ours for ours in bylines)


def _changed_stamps(meta: Mapping[str, str], ld: Mapping[str, object]) -> list[str]:
    """When the metadata says the page was last changed."""
    return [str(stamp) for stamp in (*(meta.get(key) for key in CHANGED_META), ld.get("dateModified")) if stamp]


CHANGED_META = ("article:modified_time", "og:updated_time", "dcterms.modified", "last-modified")


def _changed_day(tree: HtmlElement, found: str, dates: list[tuple[str, str]], changed: list[str]) -> bool:
    """Whether htmldate's day, where the byline states another, is the one the page marks as its
    change: in its metadata (htmldate reads a modification time where nothing else is stated)
    or on an element (hAtom's "updated": an Avada byline's hidden stamp)."""
    day = parse_date(found)
    if day is None or not any(provenance == "byline" and parse_date(value) != day for provenance, value in dates):
        return False
    return any(parse_date(stamp) == day for stamp in changed) or any(
        parse_date(element.get("datetime") or text_of(element)) == day
        for element in CHANGED_ELEMENTS(tree)
        if not PUBLISHED_CLASS.search(element.get("class") or "")
    )


# any case: Brightspot's "ArticlePage-dateModified"
LOWER_CLASS = "translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
CHANGED_ELEMENTS = etree.XPath(f"//*[contains({LOWER_CLASS}, 'updated') or contains({LOWER_CLASS}, 'modified')]")


def _changed_stamp(element: HtmlElement) -> bool:
    """Whether a date element marks the page's change: as its microdata or RDFa (Canada's web
    template: "Date modified: <time property="dateModified">"), or in what it shows."""
    marked = {element.get("itemprop"), element.get("property")}
    return "dateModified" in marked or _changed_date(text_of(element)) is not None


def _holds_text(element: HtmlElement) -> bool:
    """Text of its own, before or between its children ("<li><i class=icon></i> 8 Dec 2020</li>")."""
    return bool((element.text or "").strip()) or any((child.tail or "").strip() for child in element)


def _htmldate(html: str, url: str) -> str | None:
    from htmldate import find_date

    try:  # it parses the page again: without the tags of thousands of attributes our own reading drops
        return find_date(thinned(html)[0], url=url, original_date=True, extensive_search=True)
    except ValueError:
        return None
