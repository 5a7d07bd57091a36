"""Fields of an article page, in layers: JSON-LD and meta tags, then labels, then <time>, then
the page structure; trafilatura and htmldate only when the structure gives nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml.html import HtmlElement

from monitor.crawling.extract.html import (
    block_lines,
    dated_element_text,
    jsonld_objects,
    labelled_values,
    meta_tags,
    split_list,
    text_of,
)
from monitor.crawling.extract.select import select
from monitor.understanding.normalize.dates import parse_date

ARTICLE_TYPES = {"newsarticle", "article", "pressrelease", "reportagenewsarticle", "blogposting", "webpage"}
CONTENT_CHILDREN = {"p", "h2", "h3", "h4", "blockquote", "ul", "ol"}
MAX_DATE_CHARS = 200  # a date as written is a few dozen characters
MIN_BODY_CHARS = 200


@dataclass
class ArticleFields:
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    dates: list[tuple[str, str]] = field(default_factory=list)
    canonical_url: str | None = None
    lang: str | None = None
    facets: dict[str, list[str]] = field(default_factory=dict)
    captions: list[str] = field(default_factory=list)
    body_from: str = "structure"  # structure, jsonld, trafilatura, none

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _content_score(element: HtmlElement) -> int:
    return sum(len(text_of(child)) for child in element if child.tag == "p")


def main_container(tree: HtmlElement) -> HtmlElement | None:
    """The element whose own <p> children hold the most text: the body, whatever its class."""
    best, best_score = None, 0
    for element in tree.iter("div", "article", "section", "main", "td", "body"):
        score = _content_score(element)
        if score > best_score:
            best, best_score = element, score
    return best if best_score >= 80 else None


def _captions(tree: HtmlElement) -> list[str]:
    captions = []
    for figure in tree.iter("figcaption"):
        if any(a.tag in ("header", "footer", "nav", "aside") for a in figure.iterancestors()):
            continue
        if caption := text_of(figure):
            captions.append(caption)
    return captions


def _byline_date(lines: list[str], title: str) -> str | None:
    """Old OSCE pages print the date on its own line right under the title, with no label."""
    try:
        start = lines.index(title) + 1
    except ValueError:
        return None
    for line in lines[start : start + 4]:
        if len(line) <= 40 and parse_date(line):
            return line
    return None


def _paragraphs(container: HtmlElement) -> list[str]:
    paragraphs: list[str] = []
    for child in container:
        if child.tag in CONTENT_CHILDREN:
            if child.tag in ("ul", "ol"):
                paragraphs.extend(f"• {text_of(li)}" for li in child.iter("li") if text_of(li))
            elif text := text_of(child):
                paragraphs.append(text)
    return paragraphs


def _jsonld_article(tree: HtmlElement) -> dict[str, object]:
    for obj in jsonld_objects(tree):
        kinds = obj.get("@type", "")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(str(k).lower() in ARTICLE_TYPES for k in kinds):
            return obj
    return {}


def _title(tree: HtmlElement, meta: dict[str, str], ld: dict[str, object]) -> str:
    for h1 in tree.iter("h1"):
        if text := text_of(h1):
            return text
    if ld.get("headline"):
        return str(ld["headline"])
    if meta.get("og:title"):
        return meta["og:title"]
    title = tree.find(".//title")
    return text_of(title).split(" | ")[0] if title is not None else ""


def _selected(tree: HtmlElement, selector: str | None) -> HtmlElement | None:
    """The first element a source's CSS selector names; None when the page lost it."""
    if not selector:
        return None
    found = select(tree, selector)
    return found[0] if found else None


def extract_article(
    tree: HtmlElement, url: str, html: str | None = None, selectors: Mapping[str, str] | None = None
) -> ArticleFields:
    """`selectors` (title, date, body: CSS) win over the generic layers where they match."""
    selectors = selectors or {}
    meta = meta_tags(tree)
    ld = _jsonld_article(tree)
    fields = ArticleFields(title=_title(tree, meta, ld))
    if (element := _selected(tree, selectors.get("title"))) is not None and text_of(element):
        fields.title = text_of(element)
    date_element = _selected(tree, selectors.get("date"))
    if date_element is not None and (value := date_element.get("datetime") or text_of(date_element)):
        fields.dates.append(("selector", value))

    for key in ("datepublished",):
        if value := next((v for k, v in ld.items() if k.lower() == key), None):
            fields.dates.append(("meta", str(value)))
    for key in ("article:published_time", "dcterms.date", "dc.date", "date", "datepublished", "pubdate"):
        if key in meta:
            fields.dates.append(("meta", meta[key]))

    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            fields.canonical_url = urljoin(url, link.get("href"))
            break
    fields.canonical_url = fields.canonical_url or meta.get("og:url") or (str(ld["url"]) if ld.get("url") else None)
    fields.lang = tree.get("lang") or (str(ld["inLanguage"]) if ld.get("inLanguage") else None) or meta.get("og:locale")

    container = _selected(tree, selectors.get("body"))
    if container is None:
        container = main_container(tree)
    if container is not None:
        fields.paragraphs = _paragraphs(container)
    fields.captions = _captions(tree)

    # Labels can sit anywhere on the page (header, sidebar, under the title).
    lines = block_lines(tree.find("body") if tree.find("body") is not None else tree)
    for name, value in labelled_values(lines):
        if name == "published":
            fields.dates.append(("label", value))
        else:
            fields.facets.setdefault(name, []).extend(split_list(value) if name == "what we do" else [value])
    if byline := _byline_date(lines, fields.title) or dated_element_text(tree, parse_date):
        fields.dates.append(("byline", byline))
    for time_el in tree.iter("time"):
        if value := (time_el.get("datetime") or text_of(time_el)):
            fields.dates.append(("time", value))
            break

    if len(fields.text) < MIN_BODY_CHARS and ld.get("articleBody"):
        fields.paragraphs = [p.strip() for p in re.split(r"\n\s*\n", str(ld["articleBody"])) if p.strip()]
        fields.body_from = "jsonld"
    if len(fields.text) < MIN_BODY_CHARS and html:
        fields.paragraphs, fields.body_from = _trafilatura_paragraphs(html, url) or (fields.paragraphs, "none")
    stated = {"selector", "meta", "label", "time"}  # what the page itself says its date is
    if html and not any(provenance in stated for provenance, _ in fields.dates) and (found := _htmldate(html, url)):
        fields.dates.append(("htmldate", found))
    fields.dates = [(provenance, value[:MAX_DATE_CHARS]) for provenance, value in fields.dates]
    return fields


def _trafilatura_paragraphs(html: str, url: str) -> tuple[list[str], str] | None:
    import trafilatura  # imported on demand: it costs half a second and is rarely needed

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True)
    if not text or len(text) < MIN_BODY_CHARS:
        return None
    return [line.strip() for line in text.split("\n") if line.strip()], "trafilatura"


def _htmldate(html: str, url: str) -> str | None:
    from htmldate import find_date

    try:
        return find_date(html, url=url, original_date=True, extensive_search=True)
    except ValueError:
        return None
