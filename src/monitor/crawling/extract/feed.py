"""RSS 2.0 and Atom items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

from lxml import etree
from lxml.html import HtmlElement

from monitor.crawling.extract.html import block_lines, parse_html, short_text_of, text_of
from monitor.understanding.normalize.urls import without_campaign

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DRUPAL_GUID = re.compile(r"^(\d+) at https?://\S+$")  # Drupal's RSS guid: "<node id> at <site>"
# How a feed set to give summaries ends an item cut short: WordPress's " […]", an ellipsis, or a
# "read more" link; after it, WordPress SEO plugins may add "The post … appeared first on …".
CUT_SHORT = re.compile(
    r"(?:\[(?:…|\.\.\.)\]|…|\.\.\.|\b(?:read more|continue reading|more|weiterlesen|lire la suite|"
    r"читать далее|подробнее|толығырақ)\W*)$",
    re.IGNORECASE,
)
APPEARED_FIRST = re.compile(r"\s*\bthe post\s.{1,300}\sappeared first on\s.{1,100}$", re.IGNORECASE)
PICTURES = ("img", "picture", "video")
CAPTION_CHARS = 200  # a caption and its credit


class FeedError(ValueError):
    """The document is not an RSS or Atom feed."""


@dataclass
class FeedItem:
    title: str
    link: str
    guid: str
    published: str
    text: str
    author: str = ""
    captions: list[str] = field(default_factory=list)
    summary: bool = False  # the text is a summary cut short: the article page holds the release


def _cut_short(text: str) -> bool:
    return bool(CUT_SHORT.search(APPEARED_FIRST.sub("", text.rstrip()).rstrip()))


def _text(element: etree._Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None and element.text else ""


def _guid(value: str) -> str:
    """The item's id; a Drupal site's "665901 at https://www.osce.org" is its node id."""
    match = DRUPAL_GUID.match(value)
    return match.group(1) if match else value


def _caption(block: HtmlElement) -> bool:
    """A picture's caption: a <figcaption>, or a block of no blocks holding a picture and a short
    line ("<p><img><br><em>Opening session … OSCE/Name</em></p>")."""
    if block.tag == "figcaption":
        return True
    return (
        next(block.iter(*PICTURES), None) is not None
        and next(block.iterdescendants("p", "div"), None) is None
        and short_text_of(block, CAPTION_CHARS) is not None
    )


def html_fragment_text(html: str) -> tuple[str, list[str]]:
    """A feed item's text, and apart from it its pictures' captions."""
    if "<" not in html:  # plain text, entities and all ("[&#8230;]" in a CDATA section)
        return unescape(html).strip(), []
    fragment = parse_html(f"<div>{html}</div>")
    captions = []
    for block in list(fragment.iter("figcaption", "p", "div")):
        if block.getparent() is not None and _caption(block):
            if caption := text_of(block):
                captions.append(caption)
            block.drop_tree()
    return "\n\n".join(block_lines(fragment)), captions


def parse_feed(body: bytes) -> list[FeedItem]:
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"not XML: {exc}") from exc
    items: list[FeedItem] = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            links = (el.get("href", "") for el in entry.iter(f"{ATOM}link") if el.get("rel", "alternate") == "alternate")
            link = without_campaign(next(links, ""))
            content = entry.find(f"{ATOM}content")
            body_el = content if content is not None else entry.find(f"{ATOM}summary")
            text, captions = html_fragment_text(body_el.text or "") if body_el is not None else ("", [])
            items.append(
                FeedItem(
                    title=_text(entry.find(f"{ATOM}title")),
                    link=link,
                    guid=_text(entry.find(f"{ATOM}id")),
                    published=_text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated")),
                    text=text,
                    author=_text(entry.find(f"{ATOM}author/{ATOM}name")),
                    captions=captions,
                    summary=content is None and _cut_short(text),
                )
            )
        return items
    if root.tag != "rss" and not root.tag.endswith("RDF"):
        raise FeedError(f"root element <{root.tag}> is neither rss nor Atom")
    # WordPress gives a post whole in content:encoded, and its excerpt as the description: a
    # WordPress feed without content:encoded is set to give summaries, whether or not they end in […]
    wordpress = "wordpress.org" in _text(root.find("channel/generator"))
    for item in root.iter("item"):
        encoded = item.find(f"{CONTENT}encoded")
        description = encoded if encoded is not None else item.find("description")
        text, captions = html_fragment_text(description.text or "") if description is not None else ("", [])
        items.append(
            FeedItem(
                title=_text(item.find("title")),
                link=without_campaign(_text(item.find("link"))),
                guid=_guid(_text(item.find("guid"))),
                published=_text(item.find("pubDate")) or _text(item.find(f"{DC}date")),
                text=text,
                author=_text(item.find(f"{DC}creator")),
                captions=captions,
                summary=encoded is None and (wordpress or _cut_short(text)),
            )
        )
    return items
