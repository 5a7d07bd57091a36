"""An article page read as every path reads one (a crawl, an import's `html`, `sources check`):
within the source's limits, with what the limits cut said."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from monitor.crawling.extract.article import ArticleFields, extract_article
from monitor.crawling.extract.deadline import time_limit
from monitor.crawling.extract.html import read_page, within_text_chars
from monitor.records import RawRelease
from monitor.settings.sources import Source


@dataclass
class ReadArticle:
    fields: ArticleFields
    tree: HtmlElement
    cut: list[str]  # what the limits left out, one note per limit


def read_article(
    html: str,
    url: str,
    source: Source,
    body: bytes | None = None,
    encoding: str | None = None,
    dated_elsewhere: bool = False,
) -> ReadArticle:
    """The page's fields within `source.limits`: markup past `depth` dropped, text past
    `text_chars` cut, and DocumentTimeout past `document_seconds` (a line of markup can cost far
    more than its size: trafilatura over a megabyte of nested blocks). `body` and `encoding`,
    when the page came as bytes, are what the tree is read from (mis-encoded text is mended)."""
    limits = source.limits
    with time_limit(limits.document_seconds):
        tree, dropped = read_page(html if body is None else body, encoding, depth=limits.depth)
        fields = extract_article(tree, url, html=html, selectors=source.selectors, dated_elsewhere=dated_elsewhere)
    fields.paragraphs, over = within_text_chars(fields.paragraphs, limits.text_chars)
    return ReadArticle(fields, tree, [note for note in (dropped, over) if note])


def raw_release(fields: ArticleFields, source: str, url: str, **more: Any) -> RawRelease:
    """All that a read page states, as a crawl, an import and a source check hand it on; `more`
    adds or replaces what the page alone cannot say (a listing entry's dates, a native id)."""
    stated = {
        "title": fields.title, "text": fields.text, "dates": fields.dates, "canonical_url": fields.canonical_url,
        "lang": fields.lang, "date_order": fields.date_order, "facets": fields.facets, "captions": fields.captions,
    }  # fmt: skip
    return RawRelease(source=source, url=url, **{**stated, **more})
