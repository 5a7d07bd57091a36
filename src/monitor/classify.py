"""Tags from a transparent, editable taxonomy: topics, countries and organisations, each with the
evidence (matched terms or the site's own facet) that gave it."""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.config import deep_merge, read_toml
from monitor.records import Release


@dataclass(frozen=True)
class Tag:
    kind: str  # topic, country, organisation
    value: str
    evidence: tuple[str, ...]


WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Words:
    """A text's distinct words, sorted, so that a term is a binary search rather than a regex scan."""

    text: str
    sorted_words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Words:
        folded = " ".join(text.casefold().split())  # single spaces: phrases are plain substrings
        return cls(folded, tuple(sorted(set(WORD.findall(folded)))))

    def joined(self, other: Words) -> Words:
        """The words of both texts, as if one followed the other (without reading them again)."""
        return Words(f"{self.text} {other.text}", tuple(sorted({*self.sorted_words, *other.sorted_words})))

    def has(self, stem: str, prefix: bool) -> bool:
        index = bisect_left(self.sorted_words, stem)
        if index == len(self.sorted_words):
            return False
        word = self.sorted_words[index]
        return word.startswith(stem) if prefix else word == stem


@dataclass(frozen=True)
class Term:
    term: str  # as written in the taxonomy: "court*", "access to justice"
    stem: str  # the first word, casefolded
    prefix: bool  # a trailing * matches any ending
    phrase: str  # the whole term, casefolded, when it is more than one word ("" otherwise)
    phrase_re: re.Pattern[str] | None

    @classmethod
    def parse(cls, term: str) -> Term:
        stem = " ".join(term.rstrip("*").casefold().split())
        prefix = term.endswith("*")
        if WORD.fullmatch(stem):
            return cls(term, stem, prefix, "", None)
        tail = r"\w*" if prefix else ""
        pattern = re.compile(rf"(?<!\w){re.escape(stem)}{tail}(?!\w)")
        return cls(term, WORD.findall(stem)[0], True, stem, pattern)

    def found_in(self, words: Words) -> bool:
        # Cheap tests first: most terms are absent from a given release.
        if not words.has(self.stem, self.prefix):
            return False
        if self.phrase_re is None:
            return True
        return self.phrase in words.text and self.phrase_re.search(words.text) is not None


@dataclass(frozen=True)
class TermSet:
    name: str
    terms: tuple[Term, ...]

    @classmethod
    def build(cls, name: str, terms: list[str]) -> TermSet:
        return cls(name, tuple(Term.parse(term) for term in terms))

    def matches(self, words: Words) -> list[str]:
        return [term.term for term in self.terms if term.found_in(words)]


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    min_score: int
    facets: frozenset[str]
    terms: TermSet
    subtopics: tuple[TermSet, ...] = ()  # named "topic/subtopic"; given only with their topic


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    countries: tuple[TermSet, ...]
    organisations: tuple[TermSet, ...]

    def label(self, topic_key: str) -> str:
        return next((t.label for t in self.topics if t.key == topic_key), topic_key)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The shipped taxonomy, with a user's file merged over it key by key (a topic's `terms`
    list in the user file replaces the shipped list)."""
    data: dict[str, Any] = tomllib.loads(
        (resources.files("monitor") / "data" / "taxonomy.toml").read_text(encoding="utf-8")
    )
    if path is not None:
        data = deep_merge(data, read_toml(path))
    topics = tuple(
        Topic(
            key=key,
            label=entry.get("label", key),
            min_score=int(entry.get("min_score", 2)),
            facets=frozenset(f.casefold() for f in entry.get("facets", [])),
            terms=TermSet.build(key, entry.get("terms", [])),
            subtopics=tuple(
                TermSet.build(f"{key}/{sub}", sub_entry.get("terms", []))
                for sub, sub_entry in entry.get("subtopics", {}).items()
            ),
        )
        for key, entry in data.get("topics", {}).items()
    )
    countries = tuple(TermSet.build(k, v) for k, v in data.get("countries", {}).items())
    organisations = tuple(TermSet.build(k, v) for k, v in data.get("organisations", {}).items())
    return Taxonomy(topics, countries, organisations)


def classify(release: Release, taxonomy: Taxonomy) -> list[Tag]:
    title = Words.of(release.title)
    text = Words.of(release.text)
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
            for subtopic in topic.subtopics:
                if found := sorted({*subtopic.matches(title), *subtopic.matches(text)}):
                    tags.append(Tag("subtopic", subtopic.name, tuple(f"term: {term}" for term in found)))
    both = title.joined(text)
    for kind, sets in (("country", taxonomy.countries), ("organisation", taxonomy.organisations)):
        for term_set in sets:
            if found := term_set.matches(both):
                tags.append(Tag(kind, term_set.name, tuple(f"term: {term}" for term in found)))
    return tags
