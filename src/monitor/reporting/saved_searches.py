"""The feeds of subscribers' saved searches: one feed per distinct query, however many subscribers
saved it, at searches/NAME.atom. NAME is the query in Latin letters, cut at 40 characters, and
the first 8 hex digits of the SHA-256 of the query (case and spacing aside), e.g.
searches/probatsiya-3f9a1c2e.atom: readable in a file listing, file-safe in any script, and the
same name for the same query on every run. Subscribers who unsubscribed have no feeds."""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii

from monitor.reporting.feed_sets import Feed, search_feed
from monitor.storage.store import Store
from monitor.storage.subscribers import listed

SLUG_LENGTH = 40
HASH_LENGTH = 8
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def query_key(query: str) -> str:
    """What makes two saved queries one: the search ignores case and spacing, so does the feed."""
    return " ".join(query.casefold().split())


def feed_name(query: str) -> str:
    """The query's feed name: a slug for people, a hash so that two queries never share a file."""
    key = query_key(query)
    latin = anyascii(key).casefold().replace("'", "")  # a soft sign's apostrophe splits no word
    slug = _NOT_SLUG.sub("-", latin).strip("-")[:SLUG_LENGTH].strip("-")
    digest = hashlib.sha256(key.encode()).hexdigest()[:HASH_LENGTH]
    return f"{slug or 'search'}-{digest}"


def saved_search_feeds(store: Store, owner_id: int | None = None) -> list[Feed]:
    """The feeds of the saved searches of subscribers still subscribed (those of one user's
    subscriptions, or everyone's when `owner_id` is None), by title."""
    queries: dict[str, str] = {}
    for row in listed(store, owner_id=owner_id, active_only=True):
        for query in (row.filters or {}).get("searches", []):
            if query_key(query):
                name = feed_name(query)
                queries[name] = min(queries.get(name, query), query)  # one spelling, whichever run
    feeds = [search_feed(query, name) for name, query in queries.items()]
    return sorted(feeds, key=lambda feed: (feed.title.casefold(), feed.name))


def saved_search_feed(store: Store, name: str, owner_id: int | None = None) -> Feed | None:
    """The saved search's feed of that name, if such a subscriber (of that user) still has it."""
    return next((feed for feed in saved_search_feeds(store, owner_id) if feed.name == name), None)
