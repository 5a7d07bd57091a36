"""The digest's content: the period's releases on the tracked topics, each listed once under the
topic it is most about. No rendering here."""

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


def _primary_topic(row: ReleaseRow, order: list[str]) -> str:
    """The topic with the most evidence; the taxonomy's order breaks ties."""
    weights = {tag.value: len(tag.evidence) for tag in row.tags if tag.kind == "topic" and tag.value in order}
    return max(weights, key=lambda key: (weights[key], -order.index(key)))


def build_digest(
    store: Store,
    sources: dict[str, Source],
    taxonomy: Taxonomy,
    since: date,
    until: date,
    now: datetime,
    topics: list[str] | None = None,
) -> Digest:
    if until < since:
        raise DigestError(f"the period ends ({until}) before it starts ({since})")
    order = topics or [topic.key for topic in taxonomy.topics]
    sections = {key: DigestSection(key, taxonomy.label(key)) for key in order}
    countries: Counter[str] = Counter()
    used_sources: set[str] = set()
    for row in store.releases(since, until, topics=order):
        primary = _primary_topic(row, order)
        source = sources.get(row.source_key)
        tags = {
            kind: tuple(sorted(t.value for t in row.tags if t.kind == kind))
            for kind in ("topic", "country", "organisation")
        }
        item = DigestItem(
            id=row.id,
            title=row.title,
            published=row.published,
            published_provenance=row.published_provenance,
            first_seen=row.first_seen_at.date(),
            event_date=row.event_date,
            place=row.dateline_place,
            source=source.name if source else row.source_key,
            organisation=source.organisation if source else "",
            summary=row.summary,
            url=row.canonical_url,
            lang=row.lang,
            topics=tuple(taxonomy.label(t) for t in tags["topic"]),
            countries=tuple(c.title() for c in tags["country"]),
            organisations=tags["organisation"],
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
