"""Which story a release belongs to, and how it relates to it: pure decisions over fingerprints.

Layers, strongest first: the same text (duplicate), the same wording around other boilerplate or
cut short (copy, listing entry), the same OSCE node in another language (translation), and the
same event told in other words (rewrite) or in another language (translation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from monitor.understanding.similarity import Fingerprints, estimated_jaccard, jaccard

COPY_JACCARD = 0.6  # estimated Jaccard of word 3-grams above which two texts are one wording
REWRITE_SCORE = 0.30
TRANSLATION_SCORE = 0.35
RELATION_RANK = {"duplicate": 0, "copy": 1, "listing entry": 2, "translation": 3, "rewrite": 4}


@dataclass(frozen=True)
class Candidate:
    """What the clustering knows of a stored release."""

    release_id: int
    story_id: int | None
    lang: str
    native_key: str | None  # family:node id, without a language suffix
    content_hash: str
    listing_only: bool
    event_date: date | None
    syndication: bool
    day: date | None  # when it was published (or first seen), for choosing the original
    fingerprints: Fingerprints
    document: bool = False  # the publisher's own press-release document (a PDF), not a web page about it


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    relation: str
    score: float
    evidence: tuple[str, ...]

    @property
    def rank(self) -> tuple[int, float]:
        return RELATION_RANK[self.relation], -self.score


def relate(new: Candidate, old: Candidate) -> Match | None:
    """How `new` relates to `old`, or None if they tell different events."""
    if new.content_hash and new.content_hash == old.content_hash and not (new.listing_only or old.listing_only):
        return Match(old, "duplicate", 1.0, ("same text",))
    a, b = new.fingerprints, old.fingerprints
    if a.text_sig is not None and b.text_sig is not None:
        similarity = estimated_jaccard(a.text_sig, b.text_sig)
        if similarity >= COPY_JACCARD:
            return Match(old, "copy", similarity, (f"wording {similarity:.2f} alike",))
    if a.lead_sig is not None and b.lead_sig is not None:
        similarity = estimated_jaccard(a.lead_sig, b.lead_sig)
        if similarity >= COPY_JACCARD:
            relation = "listing entry" if new.listing_only or old.listing_only else "copy"
            return Match(old, relation, similarity, (f"opening {similarity:.2f} alike (a teaser or a cut copy)",))
    if new.native_key and new.native_key == old.native_key and new.lang != old.lang:
        return Match(old, "translation", 1.0, (f"same node {new.native_key} in {old.lang} and {new.lang}",))

    names, numbers, terms = jaccard(a.names, b.names), jaccard(a.numbers, b.numbers), jaccard(a.terms, b.terms)
    same_event = new.event_date is not None and new.event_date == old.event_date
    evidence = [f"names {names:.2f}", f"figures {numbers:.2f}"]
    if same_event:
        evidence.append(f"same event date {new.event_date}")
    if new.lang != old.lang:
        score = 0.55 * names + 0.30 * numbers + 0.15 * same_event
        if score >= TRANSLATION_SCORE:
            return Match(old, "translation", round(score, 3), tuple(evidence))
        return None
    score = 0.35 * names + 0.35 * terms + 0.15 * numbers + 0.15 * same_event
    if score >= REWRITE_SCORE:
        return Match(old, "rewrite", round(score, 3), (*evidence, f"rare words {terms:.2f}"))
    return None


def matches(new: Candidate, candidates: list[Candidate]) -> list[Match]:
    """Every stored release `new` relates to, the strongest relation first."""
    found = [m for c in candidates if c.release_id != new.release_id and (m := relate(new, c)) is not None]
    return sorted(found, key=lambda m: (m.rank, m.candidate.release_id))


def canonical_of(members: list[Candidate]) -> Candidate:
    """The original publisher beats an aggregator; otherwise the earliest; on the same day a
    press-release document (web posts and partners' pages are written from it); then the first stored."""
    return min(members, key=lambda c: (c.syndication, c.listing_only, c.day or date.max, not c.document, c.release_id))
