"""An Atom document (RFC 4287) of stories, one entry per story, built with feedgen.

Scraped text goes in as text, never as markup: feedgen escapes it, and characters XML cannot hold
are dropped first. An entry's id never changes for its story; its `updated` moves when a release
joins the story or a member's text is revised, so that readers show it again."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import quote, urlsplit

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from monitor.reporting.selection import tag_values
from monitor.storage.engine import as_utc
from monitor.storage.models import ReleaseRow, StoryRow

FEED_ENTRIES = 50  # newest stories a feed holds
ID_YEAR = 2026  # the date part of tag: ids; changing it would change every id
MAX_TEXT = 20_000  # characters of a release's text an entry carries
EMPTY_UPDATED = datetime(ID_YEAR, 1, 1, tzinfo=UTC)  # a feed without entries: stable, not "now"
ATOM_TYPE = "application/atom+xml; charset=utf-8"

# What XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF): lxml refuses them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself."""

    title: str
    path: str  # under the feeds' root, e.g. "topics/judicial" (the id and the static file's name)
    self_url: str  # where this document is fetched from (rel=self)
    page_url: str  # the web view's list of the same stories (rel=alternate)


class EntryLinks(BaseEntryExtension):  # type: ignore[misc]
    """An entry's links with their rel, type and title. feedgen 1.0 writes an entry's links with
    their href alone (lkiesow/python-feedgen#135), which would make every link an alternate one."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def add(self, **attributes: str) -> None:
        self.links.append(attributes)

    def extend_atom(self, entry: Any) -> Any:
        for attributes in self.links:
            xml_elem("link", entry, **attributes)
        return entry


def clean(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


def web_link(url: str | None) -> str | None:
    """A scraped address as a link only when it is a plain http(s) address with a host."""
    if not url or _NOT_XML.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def authority(public_url: str) -> str:
    """The host named in tag: ids (RFC 4151): the web view's, so that ids outlive a move of the feed files."""
    return (urlsplit(public_url).hostname or "localhost").lower()


def story_id(public_url: str, story: int) -> str:
    return f"tag:{authority(public_url)},{ID_YEAR}:story/{story}"


def feed_id(public_url: str, path: str) -> str:
    return f"tag:{authority(public_url)},{ID_YEAR}:feed/{quote(path, safe='/=&?%')}"


def story_updated(story: StoryRow) -> datetime:
    """The latest change a reader should see: the story's filing (a release joined, a merge, a new
    canonical release), a member joining, a member's text revised."""
    moments = [story.updated_at]
    for member in story.members:
        moments += [member.joined_at, member.release.updated_at]
    return max(as_utc(moment) for moment in moments)


def story_day(story: StoryRow) -> date:
    """The day the story is listed by (its canonical release's publication, else first sighting)."""
    canonical = story.canonical
    return canonical.published or as_utc(canonical.first_seen_at).date()


def _newest_first(story: StoryRow) -> tuple[date, int]:
    return story_day(story), story.id


def atom(
    info: FeedInfo,
    stories: Sequence[StoryRow],
    public_url: str,
    source_names: Mapping[str, str] | None = None,
    limit: int = FEED_ENTRIES,
) -> bytes:
    """The feed as UTF-8 XML: the newest `limit` stories (members, their releases and tags loaded)."""
    public = public_url.rstrip("/")
    chosen = sorted(stories, key=_newest_first, reverse=True)[:limit]
    feed = FeedGenerator()
    feed.id(feed_id(public_url, info.path))
    feed.title(clean(info.title))
    feed.author({"name": "Press-release monitor", "uri": public + "/"})
    feed.link(href=info.self_url, rel="self", type="application/atom+xml")
    feed.link(href=info.page_url, rel="alternate", type="text/html")
    feed.updated(max((story_updated(s) for s in chosen), default=EMPTY_UPDATED))
    for story in chosen:
        _entry(feed, story, public, source_names or {})
    return feed.atom_str(pretty=True)  # type: ignore[no-any-return]


def _entry(feed: FeedGenerator, story: StoryRow, public: str, source_names: Mapping[str, str]) -> None:
    canonical: ReleaseRow = story.canonical
    entry = feed.add_entry(order="append")
    entry.register_extension("links", EntryLinks, atom=True, rss=False)
    entry.id(story_id(public, story.id))
    entry.title(clean(canonical.title) or f"Story {story.id}")
    entry.updated(story_updated(story))
    entry.published(datetime.combine(story_day(story), time(), UTC))
    entry.author({"name": clean(source_names.get(canonical.source_key, canonical.source_key))})
    page = f"{public}/stories/{story.id}"
    original = web_link(canonical.canonical_url) or web_link(canonical.url)
    # The publisher's page is where a reader goes; the story's page in the web view lists every
    # release that told it. Without a usable original, the story's page is the entry's link.
    if original:
        entry.links.add(rel="alternate", type="text/html", href=original)
        entry.links.add(rel="related", type="text/html", href=page, title="All releases of this story")
    else:
        entry.links.add(rel="alternate", type="text/html", href=page)
    content = clean(canonical.text)[:MAX_TEXT] or clean(canonical.title)
    entry.content(content, type="text")
    if (summary := clean(canonical.summary).strip()) and summary != content.strip():
        entry.summary(summary, type="text")
    releases = [member.release for member in story.members]
    for kind in ("topic", "subtopic", "country"):
        for value in tag_values(releases, kind):
            term = clean(value)
            scheme = f"{public}/stories?{'country' if kind == 'country' else 'topic'}="
            entry.category(term=term, scheme=scheme, label=_label(term))


def _label(value: str) -> str:
    return value.replace("_", " ").replace("/", " › ")
