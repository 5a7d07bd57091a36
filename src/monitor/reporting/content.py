"""The digest's content: the period's stories on the tracked topics, each listed once (by its
canonical release) under the topic and the country it is most about. No rendering here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from monitor.reporting.charts import Timeline, timeline
from monitor.reporting.selection import DigestError, section_topics, story_matches, strongest_tag, tag_values
from monitor.settings.sources import Source
from monitor.storage.models import SourceRow, StoryRow
from monitor.understanding.classify import Taxonomy
from monitor.understanding.normalize.text import clipped

NO_COUNTRY = "Regional and other"
TITLE_CHARS = 500  # longer is a page's text in the wrong field: it would fill pages of the PDF and the mail


@dataclass(frozen=True)
class Carrier:
    """Another release of the story: who carried it, how, in which language."""

    source: str
    relation: str
    lang: str
    url: str


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
    carriers: tuple[Carrier, ...] = ()

    @property
    def day(self) -> date:
        return self.published or self.first_seen

    @property
    def carried_by(self) -> tuple[str, ...]:
        """ "pubt.io (copy)", "OSCE Programme Office in Astana (translation, ru)"."""
        return tuple(
            f"{c.source} ({c.relation}" + (f", {c.lang}" if c.lang != self.lang else "") + ")" for c in self.carriers
        )


@dataclass
class CountryGroup:
    name: str
    items: list[DigestItem] = field(default_factory=list)


@dataclass
class DigestSection:
    key: str
    title: str
    groups: list[CountryGroup] = field(default_factory=list)

    @property
    def items(self) -> list[DigestItem]:
        return [item for group in self.groups for item in group.items]


@dataclass(frozen=True)
class SourceHealth:
    name: str
    organisation: str
    health: str
    reason: str
    last_success: datetime | None


@dataclass
class Digest:
    title: str
    since: date
    until: date
    generated_at: datetime
    sections: list[DigestSection]
    sources: list[str]
    countries: Counter[str]
    timeline: Timeline
    health: list[SourceHealth] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def failing(self) -> list[SourceHealth]:
        return [h for h in self.health if h.health == "failing"]


def _source_name(sources: dict[str, Source], key: str) -> str:
    return sources[key].name if key in sources else key


def _item(story: StoryRow, sources: dict[str, Source], taxonomy: Taxonomy, order: Sequence[str]) -> DigestItem:
    row = story.canonical
    members = [member.release for member in story.members]
    carriers: dict[tuple[str, str, str], Carrier] = {}
    for member in story.members:
        other = member.release
        if member.release_id == row.id or (member.relation == "duplicate" and other.source_key == row.source_key):
            continue  # the same page again; another site's word-for-word copy is shown as the copy it is
        relation = "copy" if member.relation == "duplicate" else member.relation
        carrier = Carrier(_source_name(sources, other.source_key), relation, other.lang, other.canonical_url)
        carriers.setdefault((carrier.source, carrier.relation, carrier.lang), carrier)
    return DigestItem(
        id=story.id,
        title=clipped(row.title, TITLE_CHARS),
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
        carriers=tuple(carriers.values()),
    )


def source_health(sources: dict[str, Source], rows: dict[str, SourceRow]) -> list[SourceHealth]:
    """Every enabled source's health, failing ones first."""
    health = [
        SourceHealth(
            name=source.name,
            organisation=source.organisation,
            health=rows[source.key].health if source.key in rows else "unknown",
            reason=rows[source.key].health_reason if source.key in rows else "",
            last_success=rows[source.key].last_success_at if source.key in rows else None,
        )
        for source in sources.values()
        if source.enabled
    ]
    return sorted(health, key=lambda h: (h.health != "failing", h.health != "unknown", h.name))


def build_digest(
    stories: Sequence[StoryRow],
    sources: dict[str, Source],
    taxonomy: Taxonomy,
    since: date,
    until: date,
    now: datetime,
    *,
    title: str = "Justice and gender equality in Central Asia",
    topics: Sequence[str] = (),
    countries: Sequence[str] = (),
    health: Sequence[SourceHealth] = (),
) -> Digest:
    """One item per story (its canonical release), filed under its strongest topic and country."""
    if until < since:
        raise DigestError(f"the period ends ({until}) before it starts ({since})")
    order = section_topics(topics) or [topic.key for topic in taxonomy.topics]
    groups: dict[str, dict[str, CountryGroup]] = {key: {} for key in order}
    counted: Counter[str] = Counter()
    for story in stories:
        if not story_matches(story, list(topics) or order, countries):
            continue
        members = [member.release for member in story.members]
        item = _item(story, sources, taxonomy, order)
        country = strongest_tag(members, "country")
        group_name = country.title() if country else NO_COUNTRY
        topic = strongest_tag(members, "topic", order) or order[0]
        groups[topic].setdefault(group_name, CountryGroup(group_name)).items.append(item)
        counted.update(item.countries or (NO_COUNTRY,))
    sections = []
    for key in order:
        by_country = sorted(groups[key].values(), key=lambda g: (g.name == NO_COUNTRY, g.name))
        for group in by_country:
            group.items.sort(key=lambda item: (item.day, item.id), reverse=True)
        sections.append(DigestSection(key, taxonomy.label(key), by_country))
    items = [item for section in sections for item in section.items]
    return Digest(
        title=title,
        since=since,
        until=until,
        generated_at=now,
        sections=sections,
        sources=sorted({item.source for item in items}),
        countries=counted,
        timeline=timeline([item.day for item in items], since, until),
        health=list(health),
    )
