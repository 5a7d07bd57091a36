"""Tags from a transparent, editable taxonomy: topics, countries and organisations, each with the
evidence (matched terms or the site's own facet) that gave it."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.records import Release, Tag
from monitor.settings.config import deep_merge, read_toml
from monitor.understanding import tokens


@dataclass(frozen=True)
class Words:
    """A text, casefolded, and its distinct words: a term's first word is a set lookup, not a
    regex scan."""

    folded: str
    words: AbstractSet[str]

    @classmethod
    def of(cls, text: str) -> Words:
        folded = text.casefold()
        return cls(folded, set(tokens.words(folded)))

    def __add__(self, other: Words) -> Words:
        return Words(f"{self.folded} {other.folded}", self.words | other.words)

    @cached_property
    def text(self) -> str:
        """Single spaces, so that a phrase is a plain substring (needed only for the few phrases
        whose first word is there)."""
        return " ".join(self.folded.split())

    def found(self, stems: Stems) -> frozenset[tuple[str, bool]]:
        """Which of the taxonomy's (stem, prefix) pairs occur. Done once a text, not once a term."""
        whole = {(word, False) for word in stems.whole.intersection(self.words)}
        return frozenset(whole.union((stem, True) for stem in stems.prefixes.begun_by(self.words)))


class Prefixes:
    """Which prefix stems a text's words begin. Each word's answer is remembered (most words begin
    none), so that a text of words seen before costs two set operations, not a loop over it."""

    MEMORY = 200_000  # words remembered; a new word past that is looked at each time it comes

    def __init__(self, stems: Iterable[str]) -> None:
        unique = sorted(set(stems))
        self.head = min(map(len, unique), default=1)
        by_head: dict[str, list[str]] = defaultdict(list)
        for stem in unique:
            by_head[stem[: self.head]].append(stem)
        self.by_head = {head: tuple(stems) for head, stems in by_head.items()}
        self.seen: set[str] = set()
        self.begun: dict[str, tuple[str, ...]] = {}  # the seen words that begin some stem

    def begun_by(self, words: AbstractSet[str]) -> set[str]:
        found: set[str] = set()
        for word in words - self.seen:
            stems = tuple(stem for stem in self.by_head.get(word[: self.head], ()) if word.startswith(stem))
            found.update(stems)
            if len(self.seen) < self.MEMORY:
                self.seen.add(word)
                if stems:
                    self.begun[word] = stems
        for word in words & self.begun.keys():
            found.update(self.begun[word])
        return found


@dataclass(frozen=True)
class Stems:
    """Every first word a taxonomy's terms look for, whole or as a prefix."""

    whole: frozenset[str]
    prefixes: Prefixes


@dataclass(frozen=True)
class Term:
    term: str  # as written in the taxonomy: "court*", "access to justice"
    stem: str  # the first word, casefolded
    prefix: bool  # a trailing * matches any ending
    phrase: str  # the whole term, casefolded, when it is more than one word ("" otherwise)
    phrase_re: re.Pattern[str] | None
    others: frozenset[str] = frozenset()  # the phrase's other words without a *: each a word of any text it is in

    @classmethod
    def parse(cls, term: str) -> Term:
        """A term is words; a * on any of them matches any ending ("бытов* насили*"), also before a
        hyphen ("женщин*-судей")."""
        words = term.casefold().split()
        first = words[0].rstrip("*")
        if len(words) == 1 and tokens.WORD.fullmatch(first):
            return cls(term, first, words[0].endswith("*"), "", None)
        body = r" ".join(re.escape(word).replace(r"\*", r"\w*") for word in words)
        literal = " ".join(words).split("*", 1)[0]  # what any match must contain as it is written
        others = frozenset(token for word in words[1:] if not word.endswith("*") for token in tokens.words(word))
        return cls(term, tokens.WORD.findall(first)[0], True, literal, re.compile(rf"(?<!\w){body}(?!\w)"), others)

    def found_in(self, words: Words, found: frozenset[tuple[str, bool]]) -> bool:
        """Whether the term is in the text of `words`, whose stems `found` holds."""
        return (self.stem, self.prefix) in found and (self.phrase_re is None or self.phrase_found(words))

    def phrase_found(self, words: Words) -> bool:
        """Whether the term's phrase is in the text of `words` (its first word is known to be)."""
        return (
            self.others <= words.words  # a set lookup spares most scans of the text
            and self.phrase in words.text
            and self.phrase_re is not None
            and self.phrase_re.search(words.text) is not None
        )


CONTEXT = "(context)"  # marks the evidence of a context term: it supports a tag, it does not weigh


@dataclass(frozen=True)
class TermSet:
    name: str
    terms: tuple[Term, ...]

    @classmethod
    def build(cls, name: str, terms: list[str]) -> TermSet:
        return cls(name, tuple(Term.parse(term) for term in dict.fromkeys(terms)))


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    min_score: int
    facets: frozenset[str]
    terms: TermSet
    subtopics: tuple[TermSet, ...] = ()  # named "topic/subtopic"; given only with their topic
    context: TermSet | None = None  # terms that count only beside one of `terms` (named "topic~context")


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    countries: tuple[TermSet, ...]
    organisations: tuple[TermSet, ...]

    @cached_property
    def _sets(self) -> list[tuple[str, TermSet]]:
        topics = [t.terms for t in self.topics] + [s for t in self.topics for s in t.subtopics]
        topics += [t.context for t in self.topics if t.context is not None]
        return (
            [("topic", s) for s in topics]
            + [("country", s) for s in self.countries]
            + [("organisation", s) for s in self.organisations]
        )

    @cached_property
    def stems(self) -> Stems:
        terms = [term for _, term_set in self._sets for term in term_set.terms]
        return Stems(frozenset(t.stem for t in terms if not t.prefix), Prefixes(t.stem for t in terms if t.prefix))

    @cached_property
    def _by_stem(self) -> dict[bool, dict[tuple[str, bool], list[tuple[tuple[str, str], int, Term]]]]:
        """For topics (True) and for places and organisations (False): (stem, prefix) ->
        ((kind, term set), position, term) of each term beginning with it."""
        index: dict[bool, dict[tuple[str, bool], list[tuple[tuple[str, str], int, Term]]]] = {
            True: defaultdict(list), False: defaultdict(list)
        }  # fmt: skip
        for kind, term_set in self._sets:
            for position, term in enumerate(term_set.terms):
                index[kind == "topic"][term.stem, term.prefix].append(((kind, term_set.name), position, term))
        return index

    def matches(
        self, words: Words, found: frozenset[tuple[str, bool]], topics: bool
    ) -> dict[tuple[str, str], list[str]]:
        """(kind, term set) -> its terms in the text of `words` (whose stems `found` holds), in the
        taxonomy's order, for the topics or else the countries and organisations: only the terms
        whose first word is there are looked at."""
        by_stem = self._by_stem[topics]
        hits: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        for key in found:  # every term under a found stem has its first word there: only phrases need a look
            for term_set, position, term in by_stem.get(key, ()):
                if term.phrase_re is None or term.phrase_found(words):
                    hits[term_set].append((position, term.term))
        return {term_set: [term for _, term in sorted(terms)] for term_set, terms in hits.items()}

    def label(self, topic_key: str) -> str:
        return next((t.label for t in self.topics if t.key == topic_key), topic_key)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The shipped taxonomy, with a user's file merged over it key by key (a topic's `terms`
    list in the user file replaces the shipped list)."""
    data: dict[str, Any] = tomllib.loads(
        (resources.files("monitor.settings") / "data" / "taxonomy.toml").read_text(encoding="utf-8")
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
            context=TermSet.build(f"{key}~context", entry["context_terms"]) if entry.get("context_terms") else None,
        )
        for key, entry in data.get("topics", {}).items()
    )
    countries = tuple(TermSet.build(k, v) for k, v in data.get("countries", {}).items())
    organisations = tuple(TermSet.build(k, v) for k, v in data.get("organisations", {}).items())
    return Taxonomy(topics, countries, organisations)


def classify(release: Release, taxonomy: Taxonomy) -> list[Tag]:
    title, text = Words.of(release.title), Words.of(release.text)
    in_title, in_text = title.found(taxonomy.stems), text.found(taxonomy.stems)
    title_hits, text_hits = taxonomy.matches(title, in_title, True), taxonomy.matches(text, in_text, True)
    facets = {value.casefold() for values in release.facets.values() for value in values}
    tags: list[Tag] = []
    for topic in taxonomy.topics:
        evidence = [f"facet: {facet}" for facet in sorted(facets & topic.facets)]
        title_terms = title_hits.get(("topic", topic.key), [])
        text_terms = list(text_hits.get(("topic", topic.key), []))  # a title term the text repeats counts again
        if topic.context is not None and (title_terms or text_terms):  # context words count only beside a term
            key = ("topic", topic.context.name)
            context = title_hits.get(key, [])
            title_terms = title_terms + [f"{term} {CONTEXT}" for term in context]
            text_terms += [f"{term} {CONTEXT}" for term in text_hits.get(key, []) if term not in context]
        score = 2 * len(title_terms) + len(text_terms)
        if evidence or score >= topic.min_score:
            evidence += [f"title: {term}" for term in title_terms] + [f"text: {term}" for term in text_terms]
            tags.append(Tag("topic", topic.key, tuple(evidence)))
            for subtopic in topic.subtopics:
                key = ("topic", subtopic.name)
                if found := sorted({*title_hits.get(key, []), *text_hits.get(key, [])}):
                    tags.append(Tag("subtopic", subtopic.name, tuple(f"term: {term}" for term in found)))
    both = taxonomy.matches(title + text, in_title | in_text, False)  # as if one text
    for kind, sets in (("country", taxonomy.countries), ("organisation", taxonomy.organisations)):
        for term_set in sets:
            if found := both.get((kind, term_set.name)):
                tags.append(Tag(kind, term_set.name, tuple(f"term: {term}" for term in found)))
    return tags
