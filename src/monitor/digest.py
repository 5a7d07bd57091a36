"""The digest's content: the period's stories on the tracked topics, each listed once (by its
canonical release) under the topic it is most about. No rendering here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from monitor.classify import Taxonomy
from monitor.models import ReleaseRow
from monitor.sources import Source
from monitor.store import Store


class DigestError(ValueError):
    """The digest cannot be built as asked (e.g. an empty or inverted period)."""


@dataclass(frozen=True)
class DigestItem:
    id: int
    title: str
    published: date | None
    published_provenance: str | None
    first_seen: date
    event_date: date | None
    place: str | None
    source: str
    organisation: str
    summary: str
    url: str
    lang: str
    topics: tuple[str, ...]
    countries: tuple[str, ...]
    organisations: tuple[str, ...]
    carried_by: tuple[str, ...] = ()  # the story's other releases: "pubt.io (copy)", "OSCE ... (translation, ru)"


@dataclass
class DigestSection:
    key: str
    title: str
    items: list[DigestItem] = field(default_factory=list)


@dataclass
class Digest:
    title: str
    since: date
    until: date
    generated_at: datetime
    sections: list[DigestSection]
    sources: list[str]
    countries: Counter[str]

    @property
    def total(self) -> int:
        return sum(len(section.items) for section in self.sections)


def _primary_topic(rows: list[ReleaseRow], order: list[str]) -> str | None:
    """The tracked topic with the most evidence across the story; the taxonomy's order breaks ties."""
    weights: Counter[str] = Counter()
    for row in rows:
        for tag in row.tags:
            if tag.kind == "topic" and tag.value in order:
                weights[tag.value] += len(tag.evidence)
    if not weights:
        return None
    return max(weights, key=lambda key: (weights[key], -order.index(key)))


def tag_values(rows: list[ReleaseRow], kind: str) -> tuple[str, ...]:
    """The sorted values of one kind of tag over several releases (a story's members)."""
    return tuple(sorted({tag.value for row in rows for tag in row.tags if tag.kind == kind}))


def _source_name(sources: dict[str, Source], key: str) -> str:
    return sources[key].name if key in sources else key


def build_digest(
    store: Store,
    sources: dict[str, Source],
    taxonomy: Taxonomy,
    since: date,
    until: date,
    now: datetime,
    topics: list[str] | None = None,
) -> Digest:
    """One item per story (its canonical release), under the topic the story is most about."""
    if until < since:
        raise DigestError(f"the period ends ({until}) before it starts ({since})")
    order = topics or [topic.key for topic in taxonomy.topics]
    sections = {key: DigestSection(key, taxonomy.label(key)) for key in order}
    countries: Counter[str] = Counter()
    used_sources: set[str] = set()
    for story in store.stories(since, until):
        row = story.canonical
        members = [member.release for member in story.members]
        primary = _primary_topic(members, order)
        if primary is None:
            continue

        others = [m for m in story.members if m.release_id != row.id and m.relation != "duplicate"]
        item = DigestItem(
            id=story.id,
            title=row.title,
            published=row.published,
            published_provenance=row.published_provenance,
            first_seen=row.first_seen_at.date(),
            event_date=row.event_date,
            place=row.dateline_place,
            source=_source_name(sources, row.source_key),
            organisation=sources[row.source_key].organisation if row.source_key in sources else "",
            summary=row.summary,
            url=row.canonical_url,
            lang=row.lang,
            topics=tuple(taxonomy.label(t) for t in tag_values(members, "topic") if t in order),
            countries=tuple(c.title() for c in tag_values(members, "country")),
            organisations=tag_values(members, "organisation"),
            carried_by=tuple(
                f"{_source_name(sources, m.release.source_key)} ({m.relation}"
                + (f", {m.release.lang}" if m.release.lang != row.lang else "")
                + ")"
                for m in others
            ),
        )
        sections[primary].items.append(item)
        countries.update(item.countries)
        used_sources.add(item.source)
    return Digest(
        title="Justice and gender equality in Central Asia",
        since=since,
        until=until,
        generated_at=now,
        sections=[section for section in sections.values()],
        sources=sorted(used_sources),
        countries=countries,
    )
