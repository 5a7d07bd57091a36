"""A message for a chat channel as plain text, and the neutralising of untrusted text in it.

Apprise escapes plain text for each service's markup (Slack's `&<>`, Telegram's HTML, Markdown);
what it cannot know is that a scraped title must not ping a whole channel, draw a link of its own
or break the message's layout, so that is done here, the same way for every service."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from monitor.understanding.normalize.text import clipped

TITLE_LIMIT = 300  # characters of one scraped title or name in a chat line

_WHITESPACE = re.compile(r"\s+")
# "@channel", "@here", "@everyone", "@room" and any "@user": an @ that starts a word, not one inside
# an e-mail address.
_MENTION = re.compile(r"(?<![\w.+-])@(?=\w)")
# Slack's <!channel>, <@U123> and <url|text>, Teams' <at>, and every tag: no angle bracket survives.
_ANGLES = str.maketrans({"<": "‹", ">": "›"})
# Markdown's [text](url) draws a link with any text: keep the brackets, break the link.
_MASKED_LINK = re.compile(r"\]\s*\(")


@dataclass(frozen=True)
class ChatMessage:
    """A title and blocks of lines; a block is kept whole within one part of a split message."""

    title: str
    blocks: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.blocks)


def _visible(char: str) -> bool:
    # Cc: control characters; Cf: bidi overrides, zero-width spaces and joiners, which can
    # reorder or hide what a reader sees.
    return unicodedata.category(char) not in ("Cc", "Cf")


def untrusted(text: str, limit: int = TITLE_LIMIT) -> str:
    """Scraped or remote text made safe for one line of a chat message: one line, no control
    characters, no mentions, no markup of its own, at most `limit` characters."""
    text = _WHITESPACE.sub(" ", text)  # before dropping controls: a tab or newline stays a space
    text = "".join(char for char in text if _visible(char)).strip()
    text = _MENTION.sub("＠", text.translate(_ANGLES))  # the full-width @ mentions no one
    return clipped(_MASKED_LINK.sub("] (", text), limit)


def safe_link(url: str) -> str | None:
    """An http(s) link with its unsafe characters percent-encoded, or None for any other scheme."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    # Spaces, quotes, angle brackets and "|" would end the link early in some services' markup.
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")
