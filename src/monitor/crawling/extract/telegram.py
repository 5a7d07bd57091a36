"""A Telegram post's web page: the channel preview (t.me/s/<channel>/<n>) shows the post the URL
names among the channel's others, the post page and its embed (t.me/<channel>/<n>?embed=1) the
post alone. A post has no headline: its opening bold line, where it has one, is its title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from monitor.crawling.extract.html import block_lines, text_of

POST_PATH = re.compile(r"^/(?:s/)?(?P<post>\w+/\d+)/?$")
MESSAGES = etree.XPath("//div[@data-post][contains(concat(' ', normalize-space(@class), ' '), ' tgme_widget_message ')]")
# its own text, not the one it replies to (quoted in a "tgme_widget_message_reply" block)
MESSAGE_TEXT = etree.XPath(
    ".//div[contains(@class, 'tgme_widget_message_text')][not(ancestor::*[contains(@class, 'tgme_widget_message_reply')])]"
)
MESSAGE_TIME = etree.XPath(".//a[contains(@class, 'tgme_widget_message_date')]//time[@datetime]")
TITLE_CHARS = 200  # a bold line longer than this is the post's first paragraph, not a title


@dataclass
class TelegramPost:
    title: str
    paragraphs: list[str]
    published: str | None  # the <time>'s datetime


def telegram_post(tree: HtmlElement, url: str) -> TelegramPost | None:
    """The post the URL names, where the page is Telegram's widget markup; None otherwise."""
    if not (path := POST_PATH.match(urlsplit(url).path)):
        return None
    message = next((m for m in MESSAGES(tree) if m.get("data-post") == path["post"]), None)
    if message is None or not (texts := MESSAGE_TEXT(message)) or not (lines := block_lines(text := texts[0])):
        return None
    # a title only where the text opens with a bold line of its own
    opening = text[0] if len(text) and not (text.text or "").strip() else None
    titled = opening is not None and opening.tag in ("b", "strong") and text_of(opening) == lines[0]
    title = lines[0] if titled and len(lines) > 1 and len(lines[0]) <= TITLE_CHARS else ""
    times = MESSAGE_TIME(message)
    return TelegramPost(title, lines[1:] if title else lines, times[0].get("datetime") if times else None)
