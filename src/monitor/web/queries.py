"""What the story list and the story page read: filters (tags, source, language, period), full-text
search and paging, in a few statements whatever the size of the store."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from urllib.parse import urlencode

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import selectinload

from monitor.storage import search
from monitor.storage.models import ReleaseRow, StoryMemberRow, StoryRow, TagRow
from monitor.storage.store import Store

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class BadFilter(ValueError):
    """A filter's value cannot be read (a date that is not one, a page that is not a number)."""


@dataclass(frozen=True)
class StoryFilters:
    q: str = ""
    topic: str = ""  # a topic key, or topic/subtopic
    country: str = ""
    organisation: str = ""
    source: str = ""
    lang: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1
    size: int = PAGE_SIZE

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> StoryFilters:
        def day(name: str) -> date | None:
            value = params.get(name, "").strip()
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                raise BadFilter(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None

        def number(name: str, default: int, top: int) -> int:
            value = params.get(name, "").strip()
            try:
                return min(max(1, int(value)), top) if value else default
            except ValueError:
                raise BadFilter(f"{name}: not a number: {value!r}") from None

        return cls(
            q=params.get("q", "").strip()[:200],
            **{
                name: params.get(name, "").strip()[:100]
                for name in ("topic", "country", "organisation", "source", "lang")
            },
            since=day("since"),
            until=day("until"),
            page=number("page", 1, 100_000),
            size=number("size", PAGE_SIZE, MAX_PAGE_SIZE),
        )

    def query_string(self, **changes: object) -> str:
        """These filters (with changes) as a URL query, without empty values and defaults."""
        values = replace(self, **changes)  # type: ignore[arg-type]
        pairs = []
        for field in fields(values):
            value = getattr(values, field.name)
            if (
                value
                and not (field.name == "page" and value == 1)
                and not (field.name == "size" and value == PAGE_SIZE)
            ):
                pairs.append((field.name, str(value)))
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        return any(
            (self.q, self.topic, self.country, self.organisation, self.source, self.lang, self.since, self.until)
        )


@dataclass(frozen=True)
class StoryPage:
    stories: list[StoryRow]
    total: int
    filters: StoryFilters

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.size))


def _day():  # type: ignore[no-untyped-def]
    return func.coalesce(ReleaseRow.published, func.date(ReleaseRow.first_seen_at))


def _with_member(query: Select, condition: object, *joins: tuple[object, object]) -> Select:  # type: ignore[type-arg]
    """Stories with at least one member release meeting the condition."""
    members = select(StoryMemberRow.story_id)
    for table, on in joins:
        members = members.join(table, on)  # type: ignore[arg-type]
    return query.where(StoryRow.id.in_(members.where(condition)))  # type: ignore[arg-type]


def _filtered(store: Store, filters: StoryFilters) -> Select | None:  # type: ignore[type-arg]
    day = _day()
    query = select(StoryRow.id).join(ReleaseRow, StoryRow.canonical_release_id == ReleaseRow.id)
    if filters.since:
        query = query.where(day >= filters.since)
    if filters.until:
        query = query.where(day <= filters.until)
    tag_join = (TagRow, TagRow.release_id == StoryMemberRow.release_id)
    for kind, value in (
        ("subtopic" if "/" in filters.topic else "topic", filters.topic),
        ("country", filters.country),
        ("organisation", filters.organisation),
    ):
        if value:
            query = _with_member(query, (TagRow.kind == kind) & (TagRow.value == value), tag_join)
    member = ReleaseRow.__table__.alias("member")
    member_join = (member, member.c.id == StoryMemberRow.release_id)
    if filters.source:
        query = _with_member(query, member.c.source_key == filters.source, member_join)
    if filters.lang:
        query = _with_member(query, member.c.lang == filters.lang, member_join)
    if filters.q:
        with store.engine.connect() as conn:
            match = search.match_sql(conn, filters.q)
        if match is None:
            return None  # punctuation only: nothing can match
        sql, params = match
        query = _with_member(query, StoryMemberRow.release_id.in_(text(sql).bindparams(**params)))
    return query


def stories(store: Store, filters: StoryFilters) -> StoryPage:
    """One page of stories, newest first (by their canonical release's date), members and tags loaded."""
    query = _filtered(store, filters)
    if query is None:
        return StoryPage([], 0, filters)
    with store.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ids = list(
            session.scalars(
                query.order_by(_day().desc(), StoryRow.id.desc())
                .limit(filters.size)
                .offset((filters.page - 1) * filters.size)
            )
        )
        rows = {row.id: row for row in session.scalars(_loaded().where(StoryRow.id.in_(ids)))} if ids else {}
    return StoryPage([rows[i] for i in ids if i in rows], total, filters)


def _loaded() -> Select:  # type: ignore[type-arg]
    return select(StoryRow).options(
        selectinload(StoryRow.canonical).selectinload(ReleaseRow.tags),
        selectinload(StoryRow.members).selectinload(StoryMemberRow.release).selectinload(ReleaseRow.tags),
    )


def story(store: Store, story_id: int) -> StoryRow | None:
    """A story with every member's tags and revisions."""
    with store.session() as session:
        return session.scalar(
            select(StoryRow)
            .options(
                selectinload(StoryRow.canonical).selectinload(ReleaseRow.tags),
                selectinload(StoryRow.canonical).selectinload(ReleaseRow.revisions),
                selectinload(StoryRow.members).selectinload(StoryMemberRow.release).selectinload(ReleaseRow.tags),
                selectinload(StoryRow.members).selectinload(StoryMemberRow.release).selectinload(ReleaseRow.revisions),
            )
            .where(StoryRow.id == story_id)
        )


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
