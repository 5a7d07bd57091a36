"""Which feeds there are (every topic and subtopic, every country of the taxonomy, every digest
definition, every saved search) and which stories each holds.

Topics, countries and searches are the web view's story list with that one filter (the same
query, storage.story_list); a digest definition's feed holds the recent stories its filters pass
(reporting.selection), read newest first a page at a time and never more than SCAN_STORIES."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from monitor.reporting.feeds import FEED_ENTRIES, FeedInfo, atom, story_day
from monitor.reporting.selection import definition_matches, topics_of
from monitor.settings.config import Settings
from monitor.settings.definitions import DigestDefinition
from monitor.storage.models import StoryRow
from monitor.storage.store import Store
from monitor.storage.story_list import StoryFilters, stories
from monitor.understanding.classify import Taxonomy

SCAN_STORIES = 2000  # newest stories a digest definition's feed looks through
SCAN_PAGE = 200
KINDS = ("topics", "countries", "digests", "searches", "search")


@dataclass(frozen=True)
class Feed:
    kind: str  # one of KINDS; "search" is a query asked in the web view, "searches" a named one
    name: str  # topic key or topic/subtopic, country, digest name, saved search's name; the query for "search"
    title: str
    query: str = ""  # a search's full-text query

    @property
    def path(self) -> str:
        """Where the feed lives under the feeds' root, without ".atom" (a URL path and a file's)."""
        if self.kind == "search":
            return "search?" + urlencode({"q": self.query})
        return f"{self.kind}/{self.name}"

    def list_query(self) -> str:
        """The web view's story list showing the same stories (a digest's: its issues)."""
        if self.kind == "topics":
            return "/stories?" + urlencode({"topic": self.name})
        if self.kind == "countries":
            return "/stories?" + urlencode({"country": self.name})
        if self.kind == "digests":
            return "/digests"
        return "/stories?" + urlencode({"q": self.query})


def topic_feeds(taxonomy: Taxonomy) -> list[Feed]:
    feeds = []
    for topic in taxonomy.topics:
        feeds.append(Feed("topics", topic.key, f"Topic: {topic.label}"))
        for sub in topic.subtopics:
            label = sub.name.split("/", 1)[1].replace("_", " ")
            feeds.append(Feed("topics", sub.name, f"Topic: {topic.label} › {label}"))
    return feeds


def country_feeds(taxonomy: Taxonomy) -> list[Feed]:
    return [
        Feed("countries", country.name, "Country: " + country.name.replace("_", " ").title())
        for country in taxonomy.countries
    ]


def digest_feeds(settings: Settings) -> list[Feed]:
    return [
        Feed("digests", name, f"Digest: {definition.title}") for name, definition in sorted(settings.digests.items())
    ]


def search_feed(query: str, name: str = "") -> Feed:
    """A saved search's feed (with its name) or a query's (without)."""
    query = query.strip()
    return Feed("searches" if name else "search", name or query, f"Search: {query}", query)


def catalogue(settings: Settings, taxonomy: Taxonomy, searches: Sequence[tuple[str, str]] = ()) -> list[Feed]:
    """Every feed: topics, countries, digest definitions, then the (name, query) searches given."""
    return [
        *topic_feeds(taxonomy),
        *country_feeds(taxonomy),
        *digest_feeds(settings),
        *(search_feed(query, name) for name, query in searches),
    ]


def find(settings: Settings, taxonomy: Taxonomy, kind: str, name: str) -> Feed | None:
    """The feed of that kind and name, if there is one (searches are made, not found)."""
    return next((feed for feed in catalogue(settings, taxonomy) if feed.kind == kind and feed.name == name), None)


def feed_stories(
    store: Store, settings: Settings, taxonomy: Taxonomy, feed: Feed, limit: int = FEED_ENTRIES
) -> list[StoryRow]:
    """The feed's newest stories, members, releases and tags loaded. A digest definition naming
    an unknown topic raises DigestError."""
    if feed.kind == "digests":
        definition = settings.digest(feed.name)
        return digest_stories(store, definition, topics_of(taxonomy, definition), limit)
    filters = {
        "topics": StoryFilters(topic=feed.name),
        "countries": StoryFilters(country=feed.name),
    }.get(feed.kind, StoryFilters(q=feed.query))
    if not (filters.q or filters.topic or filters.country):
        return []  # an empty search would be every story
    return stories(store, replace(filters, size=limit)).stories


def digest_stories(
    store: Store, definition: DigestDefinition, topics: Sequence[str], limit: int = FEED_ENTRIES
) -> list[StoryRow]:
    """The newest stories a digest definition's filters pass, whether or not an issue carried
    them yet. With saved searches, a story found by one of them."""
    wanted = definition_matches(definition, topics)
    narrowed = _narrowed(definition, topics)
    if not definition.searches:
        return _scan(store, narrowed, wanted, limit)
    found = {
        story.id: story
        for query in definition.searches
        for story in _scan(store, replace(narrowed, q=query), wanted, limit)
    }
    return sorted(found.values(), key=lambda s: (story_day(s), s.id), reverse=True)[:limit]


def _narrowed(definition: DigestDefinition, topics: Sequence[str]) -> StoryFilters:
    """The definition's single-valued filters as the list's filters, so that the database reads
    only stories that can pass (a filter with several values is checked story by story)."""

    def one(values: Sequence[str]) -> str:
        return values[0] if len(values) == 1 else ""

    return StoryFilters(
        topic=one(topics),
        country=one(definition.countries),
        source=one(definition.sources),
        lang=one(definition.languages),
    )


def _scan(store: Store, filters: StoryFilters, wanted: Callable[[StoryRow], bool], limit: int) -> list[StoryRow]:
    chosen: list[StoryRow] = []
    for page in range(1, SCAN_STORIES // SCAN_PAGE + 1):
        batch = stories(store, replace(filters, page=page, size=SCAN_PAGE)).stories
        chosen += [story for story in batch if wanted(story)]
        if len(chosen) >= limit or len(batch) < SCAN_PAGE:
            break
    return chosen[:limit]


def render(
    store: Store, settings: Settings, taxonomy: Taxonomy, feed: Feed, self_url: str, limit: int = FEED_ENTRIES
) -> tuple[bytes, int]:
    """The feed's Atom document, fetched from `self_url`, and how many entries it holds."""
    chosen = feed_stories(store, settings, taxonomy, feed, limit)
    public = settings.public_url.rstrip("/")
    info = FeedInfo(feed.title, feed.path, self_url, public + feed.list_query())
    names = {key: source.name for key, source in settings.sources.items()}
    return atom(info, chosen, settings.public_url, names, limit), len(chosen)
