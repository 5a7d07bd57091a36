"""What the story list, the story page and the feeds read: filters (tags, source, language, period),
full-text search and paging, in a few statements whatever the size of the store."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, distinct, func, intersect, literal, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.selectable import Join

from monitor.storage import search
from monitor.storage.models import ReleaseRow, StoryMemberRow, StoryRow, TagRow
from monitor.storage.store import Store

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
COUNT_CAP = 1000  # a list filtered by period says "more than 1,000" rather than count them all


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
    def capped(self) -> bool:
        """The count stopped at COUNT_CAP + 1: there are at least that many."""
        return self.total > COUNT_CAP

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.size))

    @property
    def more(self) -> bool:
        return self.filters.page < self.pages or (self.capped and len(self.stories) == self.filters.size)


def _day():  # type: ignore[no-untyped-def]
    """The day a story is listed by; SQLite has an index on exactly this expression (migration 0009)."""
    return func.coalesce(ReleaseRow.published, func.date(ReleaseRow.first_seen_at))


class _DayFirst(Join):
    """releases JOIN stories, read in that order. SQLite's planner, without statistics, starts from
    stories and sorts them all; from releases it walks the day index and stops after a page."""

    inherit_cache = True


@compiles(_DayFirst, "sqlite")
def _cross_join(element: _DayFirst, compiler: Any, **kw: Any) -> str:
    kw["asfrom"] = True
    on = compiler.process(element.onclause, **{k: v for k, v in kw.items() if k != "asfrom"})
    return f"{compiler.process(element.left, **kw)} CROSS JOIN {compiler.process(element.right, **kw)} ON {on}"


@compiles(_DayFirst)
def _plain_join(element: _DayFirst, compiler: Any, **kw: Any) -> str:
    return compiler.visit_join(element, **kw)  # type: ignore[no-any-return]


Spec = tuple[Any, tuple[tuple[Any, Any], ...]]  # (condition on a member release, joins it needs)


def _members(spec: Spec, members_first: bool = False) -> Select:  # type: ignore[type-arg]
    """The stories with at least one member release meeting the condition. `members_first`: for a
    lookup of one story's members, each member checked by its own id (a join would let SQLite
    start from every tag of the kind, for every story)."""
    condition, joins = spec
    if members_first:
        for table, on in joins:
            condition = select(literal(1)).select_from(table).where(on, condition).exists()
        return select(StoryMemberRow.story_id).where(condition)
    members = select(StoryMemberRow.story_id)
    for table, on in joins:
        members = members.join(table, on)
    return members.where(condition)


@dataclass(frozen=True)
class _Filter:
    days: list[Any]  # conditions on the canonical release's day (functions of its expression)
    specs: list[Spec]  # a story must have a member meeting each

    @property
    def stories(self) -> list[Select]:  # type: ignore[type-arg]
        return [_members(spec) for spec in self.specs]


def _filter(store: Store, filters: StoryFilters) -> _Filter | None:
    """The filters as SQL; None when they can match nothing (a search with no word in it)."""
    since, until = filters.since, filters.until
    days = [lambda day: day >= since] if since else []
    days += [lambda day: day <= until] if until else []
    sets: list[Spec] = []
    tags, members = TagRow.__table__, StoryMemberRow.__table__  # tables: an ORM join would lose the CROSS JOIN
    tag_join = (tags, tags.c.release_id == members.c.release_id)
    for kind, value in (
        ("subtopic" if "/" in filters.topic else "topic", filters.topic),
        ("country", filters.country),
        ("organisation", filters.organisation),
    ):
        if value:
            sets.append(((tags.c.kind == kind) & (tags.c.value == value), (tag_join,)))
    member = ReleaseRow.__table__.alias("member")
    member_join = (member, member.c.id == members.c.release_id)
    if filters.source:
        sets.append((member.c.source_key == filters.source, (member_join,)))
    if filters.lang:
        sets.append((member.c.lang == filters.lang, (member_join,)))
    if filters.q:
        with store.engine.connect() as conn:
            match = search.match_sql(conn, filters.q)
        if match is None:
            return None  # punctuation only: nothing can match
        sql, params = match
        sets.append((StoryMemberRow.release_id.in_(text(sql).bindparams(**params)), ()))
    return _Filter(days, sets)


def _walked(found: _Filter, spec: Spec) -> bool:
    """Whether a filter is checked story by story as a period is walked (tags: a kind's common
    values match most stories, too many to read first) rather than read first as a set."""
    return bool(found.days) and any(table is TagRow.__table__ for table, _ in spec[1])


def _newest_first(found: _Filter, matched: Any) -> Select:  # type: ignore[type-arg]
    """Story ids newest first, within the period, in the matched set and meeting the walked
    filters. Releases are read first, down the day index; `id + 0` keeps SQLite from looking
    each story up by every matched id."""
    releases, stories_ = ReleaseRow.__table__.alias("r"), StoryRow.__table__.alias("s")
    day = func.coalesce(releases.c.published, func.date(releases.c.first_seen_at))
    query = (
        select(stories_.c.id)
        .select_from(_DayFirst(releases, stories_, stories_.c.canonical_release_id == releases.c.id))
        .where(*[condition(day) for condition in found.days])
        .order_by(day.desc(), stories_.c.id.desc())
    )
    if matched is not None:
        query = query.where((stories_.c.id + 0).in_(select(matched.c.story_id)))
    # Within a period the walk stops after a page (or COUNT_CAP stories): each story walked is
    # looked up in the tags' indexes.
    walked = [spec for spec in found.specs if _walked(found, spec)]
    query = query.where(
        *[_members(spec, True).where(StoryMemberRow.story_id == stories_.c.id).exists() for spec in walked]
    )
    return query


def stories(store: Store, filters: StoryFilters) -> StoryPage:
    """One page of stories, newest first (by their canonical release's date), members and tags
    loaded, and how many match (at most COUNT_CAP + 1 when a period is given)."""
    found = _filter(store, filters)
    if found is None:
        return StoryPage([], 0, filters)
    matched = None
    sets = [_members(spec) for spec in found.specs if not _walked(found, spec)]
    if sets:  # read once per request: both the page and the count use it
        both = sets[0] if len(sets) == 1 else intersect(*sets)
        matched = both.cte("matched").prefix_with("MATERIALIZED")
    if found.days:
        total: Any = select(func.count()).select_from(_newest_first(found, matched).limit(COUNT_CAP + 1).subquery())
    elif matched is not None:
        total = select(func.count(distinct(matched.c.story_id)))
    else:
        total = select(func.count()).select_from(StoryRow)
    page = _newest_first(found, matched).limit(filters.size).offset((filters.page - 1) * filters.size)
    page = page.add_columns(total.scalar_subquery())
    with store.session() as session:
        rows_ = session.execute(page).all()
        ids = [row[0] for row in rows_]
        count = rows_[0][1] if rows_ else (session.scalar(total) or 0)  # a page past the end
        rows = {row.id: row for row in session.scalars(_loaded().where(StoryRow.id.in_(ids)))} if ids else {}
    return StoryPage([rows[i] for i in ids if i in rows], count, filters)


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
