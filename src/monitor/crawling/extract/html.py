"""Layout-independent readers over an lxml tree: block text lines, labels, meta tags, JSON-LD."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "figure",
    "figcaption",
    "br",
    "nav",
    "hr",
    "pre",
    "center",
    "address",
    "caption",
}
# Not read as text: code, controls, and MathML (read as text, a formula is a run of spaced
# symbols, "x 1 , … , x N", beside its TeX source, which a browser never shows).
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "button", "form", "select", "math"}

# Labels the OSCE's two site generations print before a value; Russian and Kazakh forms are
# the OSCE's translations of the same Drupal fields [U: not captured from the live sites].
LABELS = {
    "publishing date": "published",
    "issued on": "published",
    "date": "published",
    "дата публикации": "published",
    "дата": "published",
    "жарияланған күні": "published",
    "content type": "content type",
    "тип материала": "content type",
    "where we are": "where we are",
    "issued by": "issued by",
    "опубликовано": "issued by",
    "what we do": "what we do",
    "чем мы занимаемся": "what we do",
}
# "Published:" as the partners' and the aggregators' sites print it, in their languages.
LABELS.update(
    dict.fromkeys(
        (
            "published", "published on", "publication date", "posted on", "post date", "date posted", "veröffentlicht", "veröffentlicht am",
            "release date", "date of release", "released", "released on",  # a press release's own
            "publié le", "date de publication", "publicado", "publicado em", "publicado el", "fecha de publicación",
            "data", "fecha", "datum",  # the bare "Date:" in Italian, Portuguese, Polish, Spanish, German, Dutch
            "pubblicato il", "data di pubblicazione", "publikováno", "zveřejněno", "vytvořeno", "vytvořeno / změněno",
            "opublikowano", "data publikacji", "publicerad",
            "gepubliceerd op", "erscheinungsdatum", "erstellt am", "eingestellt am", "eingetragen am",
            "жарияланды", "жарыяланды", "nashr qilindi", "e'lon qilindi", "нашр шуд", "санаи нашр", "nashr sanasi", "нашр санаси", "жарыяланган күнү",
            "опубліковано", "дата публікації", "közzétéve", "yayınlanma tarihi", "yayın tarihi",
            "掲載日", "公開日", "投稿日", "発表日", "发布时间", "发布日期", "發佈日期", "發布日期", "發布時間", "發佈時間", "發稿日期", "등록일", "작성일",
            "تاريخ النشر", "تاریخ انتشار",
        ),
        "published",
    )
)  # fmt: skip
# An aggregator's repost names the day the original appeared (ReliefWeb's "Originally published"
# beside its own "Posted"): the release's day, its metadata's the repost's.
REPOSTED = "originally published"
LABELS.update(dict.fromkeys(("originally published", "first published", "original publication date"), REPOSTED))
LABEL_RE = re.compile(
    r"^\s*(?P<label>" + "|".join(sorted(map(re.escape, LABELS), key=len, reverse=True)) + r")\s*(?:[:：]\s*(?P<value>.*)|$)",
    re.IGNORECASE,
)


# libxml2 stops reading a document nested deeper than this, or holding a text node or attribute
# of over 10 MB, and drops the rest; its error log says so, and so do we.
LIBXML2_DEPTH = 256


# libxml2 compares each attribute of a tag with those before it: a tag of 200,000 attributes takes
# 40 s to parse, and no timer interrupts it there; ten thousand cost a tenth of a second. A tag and
# its attributes are read as libxml2 reads them (a ">" or a space inside quotes is part of a value;
# names may follow a quote or a "/" directly), possessively, so that the search stays linear.
MAX_ATTRIBUTES = 10_000
LONG_TAG = re.compile(r"""<([A-Za-z][\w:-]*+)((?:[^<>"']++|"[^"]*+"|'[^']*+')*+)>""")
LONG_TAG_CHARS = 50_000  # a shorter tag cannot hold that many attributes
ATTRIBUTE = re.compile(r"""[^\s/"'=>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'>]*+))?""")


def thinned(text: str) -> tuple[str, int]:
    """The page with each tag of over MAX_ATTRIBUTES attributes stripped of them; how many tags."""
    if len(text) < LONG_TAG_CHARS:
        return text, 0
    crowded = 0

    def thin(tag: re.Match[str]) -> str:
        nonlocal crowded
        if len(tag[2]) < LONG_TAG_CHARS or sum(1 for _ in ATTRIBUTE.finditer(tag[2])) <= MAX_ATTRIBUTES:
            return tag[0]
        crowded += 1
        return f"<{tag[1]}>"

    return LONG_TAG.sub(thin, text), crowded


def parse_html(body: bytes | str, encoding: str | None = None, depth: int = LIBXML2_DEPTH) -> HtmlElement:
    """A tree even from malformed markup; bytes are decoded with the encoding the server gave."""
    return read_page(body, encoding, depth)[0]


# lxml.html's element class lookup is a Python call for every element a reading touches (7 % of
# the time an article took); this one is lxml's own C lookup, with the same classes, less the
# form elements' (nothing here fills in forms).
ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def read_page(body: bytes | str, encoding: str | None = None, depth: int = LIBXML2_DEPTH) -> tuple[HtmlElement, str]:
    """The tree, and what of the page was dropped for going past a limit ("" if nothing)."""
    text = decode(body, encoding) if isinstance(body, bytes) else body
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text[:200]) + text[200:]  # lxml refuses str with an encoding declaration
    if not text.strip():
        text = "<html></html>"
    text, crowded = thinned(text)
    parser = lxml.html.HTMLParser()  # libxml2's own limits stay on
    parser.set_element_class_lookup(ELEMENT_CLASSES)
    tree = lxml.html.document_fromstring(text, parser=parser)
    _unwrap_page_forms(tree)
    _drop_heading_anchors(tree)
    dropped = [f"{crowded} tag(s) of over {MAX_ATTRIBUTES:,} attributes: their attributes dropped"] if crowded else []
    if depth < LIBXML2_DEPTH and prune_deep(tree, depth):  # a lower limit than libxml2's: cut here
        dropped.append(f"markup nested deeper than {depth} levels dropped (limit depth)")
    for error in parser.error_log:
        if "Excessive depth" in error.message:
            dropped.append(
                f"markup nested deeper than {LIBXML2_DEPTH} levels: the rest of the page dropped (limit depth)"
            )
        elif "Resource limit exceeded" in error.message:
            dropped.append("a text or attribute of over 10 MB: the rest of the page dropped")
    return tree, "; ".join(dict.fromkeys(dropped))  # each limit once, however often libxml2 says it


PAGE_FORM_PARAGRAPHS = 5  # a comment or contact form holds a note or two, not a page of text


def _unwrap_page_forms(tree: HtmlElement) -> None:
    """A form around the whole page (ASP.NET Web Forms: Kentico, Sitefinity, SharePoint) is the
    page, not a form: its text is read. Forms are otherwise skipped as controls."""
    for form in list(tree.iter("form")):
        if form.find(".//h1") is not None or len(form.findall(".//p")) >= PAGE_FORM_PARAGRAPHS:
            form.tag = "div"


def _drop_heading_anchors(tree: HtmlElement) -> None:
    """A heading's link to itself, shown as a mark (Sphinx's and MkDocs' "¶", VitePress's zero-width
    space, "#"), is no part of its text."""
    for anchor in IN_PAGE_LINKS(tree):
        in_heading = any(ancestor.tag in HEADING_TAGS for ancestor in anchor.iterancestors())
        if in_heading and not heading_text_of(anchor).strip(ANCHOR_MARKS):  # an icon's <svg> holds no text
            anchor.drop_tree()


# (a path through the headings' descendants is quadratic in libxml2 on a page of many headings)
IN_PAGE_LINKS = etree.XPath("//a[starts-with(@href, '#')]")
ANCHOR_MARKS = " \t\n\u00a0\u200b\ufeff¶§#🔗"


def decode(body: bytes, encoding: str | None) -> str:
    """The page as text. A page said to be UTF-8 that is not (a CMS pasting Windows-1252 quotes
    into UTF-8 text) is mended by Beautiful Soup's detwingle before anything is replaced."""
    encoding = encoding or "utf-8"
    if encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        try:
            return body.decode("utf-8-sig")
        except UnicodeDecodeError:
            from bs4 import UnicodeDammit  # rare: Beautiful Soup is not loaded for every crawl child

            body = UnicodeDammit.detwingle(body)
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:  # an encoding Python does not know: UTF-8, with replacements
        return body.decode("utf-8", errors="replace")


def prune_deep(root: HtmlElement, depth: int) -> int:
    """Remove every element nested more than `depth` levels below `root`; how many went."""
    dropped = 0
    level = [root]
    for _ in range(depth):
        level = [child for element in level for child in element]
        if not level:
            return 0
    for element in level:
        for child in list(element):
            dropped += sum(1 for _ in child.iter())
            element.remove(child)
    return dropped


def _walk_text(element: HtmlElement, tail: bool = True) -> Iterator[str]:
    """The element's text pieces in order, a newline around each block; scripts, forms and the
    like, comments and processing instructions give only the text after them. A flat walk in
    lxml's C iteration: a generator per nesting level cost twice as much."""
    if not isinstance(element.tag, str):  # a comment or processing instruction itself
        yield (element.tail or "").replace("\n", " ")
        return
    walk = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    # a line break in the markup's text is a space, as a browser shows it, except in a <pre>
    # (whether the element is inside one is asked only of text that holds a line break)
    pre = 0
    outer: int | None = None

    def spaced(text: str) -> str:
        nonlocal outer
        if "\n" not in text or pre:
            return text
        if outer is None:
            outer = int(any(ancestor.tag == "pre" for ancestor in element.iterancestors()))
        return text if outer else text.replace("\n", " ")

    for event, node in walk:
        if event == "start":
            if node.tag in SKIP_TAGS and not _heading_button(node):
                walk.skip_subtree()
                continue
            if node.tag in BLOCK_TAGS:
                yield "\n"
            pre += node.tag == "pre"
            if node.text:
                yield spaced(node.text)
            continue
        if event == "end":
            pre -= node.tag == "pre"
            if node.tag in BLOCK_TAGS:
                yield "\n"
        if node.tail and node is not element:
            yield spaced(node.tail)
    if tail and element.tail:
        yield element.tail.replace("\n", " ")


def _heading_button(node: HtmlElement) -> bool:
    """An accordion's question, as WAI-ARIA sets it: a heading holding the button that opens its panel."""
    return node.tag == "button" and (parent := node.getparent()) is not None and parent.tag in HEADING_TAGS


HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def block_lines(element: HtmlElement) -> list[str]:
    """The visible text of an element as lines, one per block element or <br>."""
    joined = "".join(_walk_text(element))
    return [" ".join(line.split()) for line in joined.split("\n") if line.strip()]


def text_of(element: HtmlElement) -> str:
    """The element's text as a browser shows it: blocks apart, inline elements run on with
    their neighbours ("<b>Note</b>:" is "Note:", not "Note :")."""
    return " ".join("".join(_walk_text(element)).split())


def heading_text_of(element: HtmlElement) -> str:
    """A heading's text, without the loose text after it (a Bitrix page's body follows its
    <h3> bare). text_of keeps that tail: where a block's inline pieces are read as its lines
    ("<b>Power:</b> the degree of authority…", "<i>Wildcard</i> – Miranda Lambert"), it is
    theirs."""
    return " ".join("".join(_walk_text(element, tail=False)).split())


def short_text_of(element: HtmlElement, limit: int) -> str | None:
    """The element's text if it is at most `limit` characters; None otherwise, without reading
    more than that (a wrapper around a whole page is not read for each of its ancestors)."""
    parts, length = [], 0
    for part in _walk_text(element):
        length += len(part)
        if length > limit * 4 + 200:  # white space collapses; past this it cannot fit
            return None
        parts.append(part)
    text = " ".join("".join(parts).split())
    return text if len(text) <= limit else None


def within_text_chars(paragraphs: list[str], limit: int) -> tuple[list[str], str]:
    """The paragraphs cut to `limit` characters, and the note saying so ("" if nothing was cut):
    for pages and PDFs alike."""
    if (length := len("\n\n".join(paragraphs))) <= limit:
        return paragraphs, ""
    return cut_paragraphs(paragraphs, limit), f"{length:,} characters of text, the first {limit:,} kept (limit text_chars)"


def cut_paragraphs(paragraphs: list[str], limit: int) -> list[str]:
    """The first paragraphs up to `limit` characters in all (the last one cut if need be)."""
    kept, room = [], limit
    for paragraph in paragraphs:
        if room <= 0:
            break
        kept.append(paragraph[:room])
        room -= len(paragraph) + 2
    return kept


# A line holding a date and little else: "News item · 14 January 2026", "Tuesday, 23 December 2025 - 09:00"
DATE_LINE_CHARS = 60


def labelled_values(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(field, value) for every 'Label: value' line; an empty value, or a label alone on its line
    (a <dt>), is read from the next line (for a date, only a line short enough to be one: an
    empty "Issued on:" is not the body's first paragraph)."""
    lines = list(lines)
    found: list[tuple[str, str]] = []
    for index, line in enumerate(lines):
        match = LABEL_RE.match(line)
        if not match:
            continue
        field, value = LABELS[match["label"].lower()], (match["value"] or "").strip()
        if not value and index + 1 < len(lines) and not LABEL_RE.match(lines[index + 1]):
            value = lines[index + 1]
            if field == "published" and len(value) > DATE_LINE_CHARS:
                value = ""
        if value:
            found.append((field, value[:300]))
    return found


def meta_tags(tree: HtmlElement) -> dict[str, str]:
    tags: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in tags:
            tags[key] = content
    return tags


def jsonld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph flattened; broken blocks are skipped."""
    objects: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):  # broken, or nested past any article's shape
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
    return objects


def split_list(value: str) -> list[str]:
    """'Rule of law, Gender equality' -> ['Rule of law', 'Gender equality']."""
    return [part.strip() for part in re.split(r"\s*[,;|]\s*", value) if part.strip()]


DATE_CLASSES = re.compile("date|meta|byline|submitted|posted", re.I)  # Drupal's "submitted", an aggregator's "byline"


def in_site_frame(element: HtmlElement) -> bool:
    """Within the site's navigation, sidebars, footer or header (an article's own <header> is
    the article's, and so is its own <footer>: where Twenty Sixteen and Genesis say when it was
    posted)."""
    ancestors, roles = set(), set()  # tags, and ARIA's names for the same parts
    for ancestor in element.iterancestors():
        tag = ancestor.tag
        # a custom element is named for the part it is (Brightspot's <bsp-header>, <bsp-footer>)
        ancestors.add(tag.rpartition("-")[2] if isinstance(tag, str) and "-" in tag else tag)
        roles.add(ancestor.get("role"))
    footer = "footer" in ancestors and "article" not in ancestors
    return bool(footer or ancestors & {"nav", "aside"} or roles & {"navigation", "complementary", "contentinfo"}) or (
        ("header" in ancestors or "banner" in roles) and not ancestors & {"article", "main"} and "main" not in roles
    )


# The site's banner: ARIA's, or a <header> outside the article holding the site's menu or logo
# (not a comment thread's or a related block's <header>, which holds a heading alone)
SITE_BANNER = etree.XPath(
    "(//*[@role='banner'] | //header[not(ancestor::article or ancestor::main)][.//nav or .//img])[1]"
)


def above_banner(tree: HtmlElement) -> Callable[[HtmlElement], bool]:
    """Whether an element comes before the site's banner: a top bar's (today's date, the
    weather), never the article's. The banner is looked for when first asked (most pages are not)."""
    banner: list[list[int]] = []

    def before(element: HtmlElement) -> bool:
        if not banner:
            banner.append(_place(found[0]) if (found := SITE_BANNER(tree)) else [])
        place = _place(element)
        return bool(banner[0]) and place < banner[0] and banner[0][: len(place)] != place  # not a wrapper around it

    return before


def _place(element: HtmlElement) -> list[int]:
    """Where the element stands in the page: its index among its siblings, and its ancestors'."""
    place = []
    for parent in element.iterancestors():
        place.append(parent.index(element))
        element = parent
    return place[::-1]


def dated_element_text(
    element: HtmlElement, is_date: Callable[[str], object], apart: Callable[[HtmlElement], bool] = in_site_frame
) -> str | None:
    """The text of the first element whose class names a date ("date", "node__meta", "byline",
    "submitted"...) and that holds one: how sites mark a date they do not label. Never one that
    `apart` puts outside the content: by default the site's frame (a header's or menu's widget
    shows today's date, and the weather)."""
    for child in element.xpath("descendant-or-self::*[@class]"):
        if not DATE_CLASSES.search(child.get("class")):
            continue
        shown = without(child, _changed)
        if (text := short_text_of(shown, 120)) and (text := _read_as_date(text, shown, is_date)) and not apart(child):
            return text
    return None


def _read_as_date(text: str, element: HtmlElement, is_date: Callable[[str], object]) -> str | None:
    """The text, if it reads as a date; else its pieces set apart, where a calendar badge sets
    each in an element of its own ("<span>Jan</span><span>10</span><span>2024</span>" reads
    "Jan102024")."""
    if is_date(text):
        return text
    if any(len(piece) or piece.tag not in BADGE_PIECES for piece in element.iterdescendants()):
        return None  # not a badge of pieces: a date picker's form, a block of lines
    spaced = " ".join(" ".join(element.itertext()).split())
    return spaced if spaced != text and len(spaced) <= DATE_LINE_CHARS and is_date(spaced) else None


BADGE_PIECES = {"span", "b", "strong", "em", "i", "small", "sup", "abbr"}


# hAtom's "updated" (WordPress, Avada), not also "published": the day the page was changed, in
# the byline beside the day it was published, often hidden ("rich-snippet-hidden")
CHANGED_CLASS = re.compile(r"(?<![\w-])(?:updated|modified)(?![\w-])", re.I)
PUBLISHED_CLASS = re.compile(r"(?<![\w-])published(?![\w-])", re.I)


def _changed(element: HtmlElement) -> bool:
    classes = element.get("class") or ""
    return bool(CHANGED_CLASS.search(classes)) and not PUBLISHED_CLASS.search(classes)


def without(element: HtmlElement, unwanted: Callable[[HtmlElement], bool]) -> HtmlElement:
    """The element, or a copy of it without the descendants `unwanted` names (the text after
    each stays): the page's own tree stays whole for the other readings."""
    if not any(unwanted(e) for e in element.iterdescendants() if isinstance(e.tag, str)):
        return element
    copy = deepcopy(element)
    for e in [e for e in copy.iterdescendants() if isinstance(e.tag, str) and unwanted(e)]:
        e.drop_tree()
    return copy
