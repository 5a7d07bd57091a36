"""RSS 2.0 and Atom items."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from monitor.crawling.extract.html import block_lines, parse_html

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DRUPAL_GUID = re.compile(r"^(\d+) at https?://\S+$")  # Drupal's RSS guid: "<node id> at <site>"


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


def _text(element: etree._Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None and element.text else ""


def _guid(value: str) -> str:
    """The item's id; a Drupal site's "665901 at https://www.osce.org" is its node id."""
    match = DRUPAL_GUID.match(value)
    return match.group(1) if match else value


def html_fragment_text(html: str) -> str:
    if "<" not in html:
        return html.strip()
    return "\n\n".join(block_lines(parse_html(f"<div>{html}</div>")))


def parse_feed(body: bytes) -> list[FeedItem]:
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise FeedError(f"not XML: {exc}") from exc
    items: list[FeedItem] = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            link = next(
                (el.get("href", "") for el in entry.iter(f"{ATOM}link") if el.get("rel", "alternate") == "alternate"),
                "",
            )
            content = entry.find(f"{ATOM}content")
            summary = entry.find(f"{ATOM}summary")
            body_el = content if content is not None else summary
            items.append(
                FeedItem(
                    title=_text(entry.find(f"{ATOM}title")),
                    link=link,
                    guid=_text(entry.find(f"{ATOM}id")),
                    published=_text(entry.find(f"{ATOM}published")) or _text(entry.find(f"{ATOM}updated")),
                    text=html_fragment_text(body_el.text or "") if body_el is not None else "",
                    author=_text(entry.find(f"{ATOM}author/{ATOM}name")),
                )
            )
        return items
    if root.tag != "rss" and not root.tag.endswith("RDF"):
        raise FeedError(f"root element <{root.tag}> is neither rss nor Atom")
    for item in root.iter("item"):
        encoded = item.find(f"{CONTENT}encoded")
        description = encoded if encoded is not None else item.find("description")
        items.append(
            FeedItem(
                title=_text(item.find("title")),
                link=_text(item.find("link")),
                guid=_guid(_text(item.find("guid"))),
                published=_text(item.find("pubDate")) or _text(item.find(f"{DC}date")),
                text=html_fragment_text(description.text or "") if description is not None else "",
                author=_text(item.find(f"{DC}creator")),
            )
        )
    return items
