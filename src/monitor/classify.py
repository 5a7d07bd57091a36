"""Tags from a transparent, editable taxonomy: topics, countries and organisations, each with the
evidence (matched terms or the site's own facet) that gave it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.records import Release


@dataclass(frozen=True)
class Tag:
    kind: str  # topic, country, organisation
    value: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class TermSet:
    name: str
    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def build(cls, name: str, terms: list[str]) -> TermSet:
        patterns = []
        for term in terms:
            stem = re.escape(term.rstrip("*").casefold()).replace(r"\ ", r"\s+")
            tail = r"\w*" if term.endswith("*") else ""
            patterns.append((term, re.compile(rf"(?<!\w){stem}{tail}(?!\w)")))
        return cls(name, tuple(patterns))

    def matches(self, text: str) -> list[str]:
        return [term for term, pattern in self.patterns if pattern.search(text)]


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    min_score: int
    facets: frozenset[str]
    terms: TermSet


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    countries: tuple[TermSet, ...]
    organisations: tuple[TermSet, ...]

    def label(self, topic_key: str) -> str:
        return next((t.label for t in self.topics if t.key == topic_key), topic_key)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    if path is not None:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    else:
        data = tomllib.loads((resources.files("monitor") / "data" / "taxonomy.toml").read_text(encoding="utf-8"))
    topics = tuple(
        Topic(
            key=key,
            label=entry.get("label", key),
            min_score=int(entry.get("min_score", 2)),
            facets=frozenset(f.casefold() for f in entry.get("facets", [])),
            terms=TermSet.build(key, entry.get("terms", [])),
        )
        for key, entry in data.get("topics", {}).items()
    )
    countries = tuple(TermSet.build(k, v) for k, v in data.get("countries", {}).items())
    organisations = tuple(TermSet.build(k, v) for k, v in data.get("organisations", {}).items())
    return Taxonomy(topics, countries, organisations)


def classify(release: Release, taxonomy: Taxonomy) -> list[Tag]:
    title = release.title.casefold()
    text = release.text.casefold()
    facets = {value.casefold() for values in release.facets.values() for value in values}
    tags: list[Tag] = []
    for topic in taxonomy.topics:
        evidence = [f"facet: {facet}" for facet in sorted(facets & topic.facets)]
        in_title = topic.terms.matches(title)
        in_text = [term for term in topic.terms.matches(text) if term not in in_title]
        score = 2 * len(in_title) + len(in_text)
        if evidence or score >= topic.min_score:
            evidence += [f"title: {term}" for term in in_title] + [f"text: {term}" for term in in_text]
            tags.append(Tag("topic", topic.key, tuple(evidence)))
    both = f"{title}\n{text}"
    for kind, sets in (("country", taxonomy.countries), ("organisation", taxonomy.organisations)):
        for term_set in sets:
            if found := term_set.matches(both):
                tags.append(Tag(kind, term_set.name, tuple(f"term: {term}" for term in found)))
    return tags
