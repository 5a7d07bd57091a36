"""What goes in a digest issue: its period, its calendar days, and which stories it carries.
Pure rules over the definition and the stories; the ledger loads and records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from monitor.settings.definitions import DigestDefinition
from monitor.storage.engine import as_utc
from monitor.storage.models import ReleaseRow, StoryRow
from monitor.understanding.classify import CONTEXT, Taxonomy

LATE_GRACE = timedelta(days=1)  # longer than any crawl may run


class DigestError(ValueError):
    """A digest cannot be made as asked (an unknown topic, an empty or inverted period)."""


def issue_window(
    definition: DigestDefinition, end: datetime, latest_end: datetime | None, first_start: datetime | None
) -> tuple[datetime, datetime]:
    """(start, floor) of the issue ending at `end`: it starts where the latest issue ended (after
    downtime one issue covers the gap), and carries stories first seen from `floor` on. A story
    committed late by a crawl (its first-seen time is when the crawl stored it) is still carried:
    anything from a day before the period that no issue has carried yet is due; never anything
    from before the first issue."""
    start = latest_end or definition.last_boundary(end - timedelta(seconds=1))
    floor = max(first_start, start - LATE_GRACE) if first_start else start
    return start, floor


def local_days(definition: DigestDefinition, start: datetime, end: datetime) -> tuple[date, date]:
    """The calendar days a period covers in the definition's timezone (the end is exclusive)."""
    zone = ZoneInfo(definition.timezone)
    return as_utc(start).astimezone(zone).date(), (as_utc(end) - timedelta(microseconds=1)).astimezone(zone).date()


def topics_of(taxonomy: Taxonomy, definition: DigestDefinition) -> list[str]:
    """The definition's topics (keys or topic/subtopic), checked against the taxonomy; all topics
    when it names none."""
    known = [topic.key for topic in taxonomy.topics]
    subtopics = [sub.name for topic in taxonomy.topics for sub in topic.subtopics]
    unknown = [topic for topic in definition.topics if topic not in known and topic not in subtopics]
    if unknown:
        raise DigestError(
            f"digest {definition.name!r}: unknown topic(s) {', '.join(unknown)}; "
            f"topics: {', '.join(known)}; subtopics: {', '.join(subtopics)}"
        )
    return list(definition.topics) or known


def section_topics(topics: Sequence[str]) -> list[str]:
    """The topics a digest has sections for: a subtopic is listed under its topic."""
    return list(dict.fromkeys(topic.split("/", 1)[0] for topic in topics))


def strongest_tag(rows: Sequence[ReleaseRow], kind: str, order: Sequence[str] = ()) -> str | None:
    """The tag of `kind` with the most evidence across the story (restricted to `order` when
    given, whose order then breaks ties; otherwise the alphabet does)."""
    weights: Counter[str] = Counter()
    for row in rows:
        for tag in row.tags:
            if tag.kind == kind and (not order or tag.value in order):
                weights[tag.value] += sum(not line.endswith(CONTEXT) for line in tag.evidence)
    if not weights:
        return None
    rank = {value: i for i, value in enumerate(order)} if order else {}
    return min(weights, key=lambda value: (-weights[value], rank.get(value, 0), value))


def tag_values(rows: Sequence[ReleaseRow], kind: str) -> tuple[str, ...]:
    """The sorted values of one kind of tag over several releases (a story's members)."""
    return tuple(sorted({tag.value for row in rows for tag in row.tags if tag.kind == kind}))


def story_matches(story: StoryRow, topics: Sequence[str], countries: Sequence[str] = ()) -> bool:
    """Whether a digest on `topics` (keys or topic/subtopic; and, when given, `countries`) carries the story."""
    members = [member.release for member in story.members]
    plain = [topic for topic in topics if "/" not in topic]
    subtopics = set(topics) - set(plain)
    if not (plain and strongest_tag(members, "topic", plain)) and not subtopics & set(tag_values(members, "subtopic")):
        return False
    return not countries or bool(set(countries) & set(tag_values(members, "country")))


def definition_matches(definition: DigestDefinition, topics: Sequence[str]) -> Callable[[StoryRow], bool]:
    """The test a story passes to be carried by the definition's issues: its topics, and one value
    of each other filter it sets (countries, organisations, sources, languages) among the story's
    members. Its saved searches are checked in the database (storage.search)."""
    organisations = {value.casefold() for value in definition.organisations}

    def wanted(story: StoryRow) -> bool:
        if not story_matches(story, topics, definition.countries):
            return False
        members = [member.release for member in story.members]
        if organisations and not organisations & {v.casefold() for v in tag_values(members, "organisation")}:
            return False
        if definition.sources and not set(definition.sources) & {m.source_key for m in members}:
            return False
        return not definition.languages or bool(set(definition.languages) & {m.lang for m in members})

    return wanted
