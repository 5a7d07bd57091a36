"""The story list's queries (storage.story_list, shared with the feeds) and the filters' choices."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select

from monitor.storage.models import ReleaseRow, TagRow
from monitor.storage.store import Store
from monitor.storage.story_list import BadFilter, StoryFilters, StoryPage, stories, story

__all__ = ["BadFilter", "ChoiceCache", "Choices", "StoryFilters", "StoryPage", "stories", "story"]


@dataclass(frozen=True)
class Choices:
    """The values the filters offer, from what is stored."""

    topics: list[str]
    countries: list[str]
    organisations: list[str]
    sources: list[str]
    langs: list[str]


class ChoiceCache:
    """The filters' choices, read again at most once a minute: they change only when a crawl tags
    something new, and reading them scans the tags."""

    def __init__(self, store: Store, ttl_s: float = 60.0) -> None:
        self.store, self.ttl_s = store, ttl_s
        self._value: Choices | None = None
        self._read_at = 0.0

    def get(self) -> Choices:
        if self._value is None or time.monotonic() - self._read_at > self.ttl_s:
            self._value, self._read_at = self._read(), time.monotonic()
        return self._value

    def _read(self) -> Choices:
        with self.store.session() as session:

            def tags(*kinds: str) -> list[str]:
                query = select(TagRow.value).distinct().where(TagRow.kind.in_(kinds)).order_by(TagRow.value)
                return list(session.scalars(query))

            return Choices(
                topics=tags("topic", "subtopic"),
                countries=tags("country"),
                organisations=tags("organisation"),
                sources=list(session.scalars(select(ReleaseRow.source_key).distinct().order_by(ReleaseRow.source_key))),
                langs=list(session.scalars(select(ReleaseRow.lang).distinct().order_by(ReleaseRow.lang))),
            )
