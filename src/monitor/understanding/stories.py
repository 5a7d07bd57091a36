"""Which story a release belongs to, and how it relates to it: pure decisions over fingerprints.

Layers, strongest first: the same text (duplicate), the same wording around other boilerplate or
cut short (copy, listing entry), the same OSCE node in another language (translation), and the
same event told in other words (rewrite) or in another language (translation)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from monitor.understanding.similarity import Fingerprints, containment, estimated_jaccard, jaccard, overlap

SHORT_TEXT = 600  # characters: below this a text is a teaser, not a full release
COPY_JACCARD = 0.6  # estimated Jaccard of word 3-grams above which two texts are one wording
REWRITE_SCORE = 0.30
TRANSLATION_SCORE = 0.45
TRANSLATION_NAMES = 0.1  # figures and a day alone do not make a translation: some names must be kept
TEASER_CONTAINED = 0.5  # share of a teaser's names, figures and rare words the full release must hold
TRANSLATION_DAYS = 1  # a translation is published on its original's day or the next
NEAR_DAYS = 3  # a teaser, a copy or a rewrite appears within days of its original; a series' next event later
SAME_FIGURES = 0.5  # share of the figures two tellings of one event dated a day apart hold in common, at least
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
    published: date | None = None  # as the page says (day may be when it was first seen)
    source: str = ""  # the publisher's source key
    short: bool = False  # a listing entry or a text of a few sentences (a teaser), not a full release


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    relation: str
    score: float
    evidence: tuple[str, ...]
    weak: bool = False  # a teaser's: it joins a story, never ties two together

    @property
    def rank(self) -> tuple[int, float]:
        return RELATION_RANK[self.relation], -self.score


def relate(new: Candidate, old: Candidate) -> Match | None:
    """How `new` relates to `old`, or None if they tell different events."""
    if new.content_hash and new.content_hash == old.content_hash and not (new.listing_only or old.listing_only):
        return Match(old, "duplicate", 1.0, ("same text",))
    if new.native_key and new.native_key == old.native_key and new.lang != old.lang:
        return Match(old, "translation", 1.0, (f"same node {new.native_key} in {old.lang} and {new.lang}",))
    if apart(new, old):
        return None
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

    if (new.short or old.short) and new.lang == old.lang and _near(new.day, old.day):
        # A teaser sums the event up in its own few words: how much of what it names the other holds.
        short, full = (new, old) if new.short else (old, new)
        held = containment(_keys(short.fingerprints), _keys(full.fingerprints))
        if held >= TEASER_CONTAINED:
            relation = "listing entry" if new.listing_only or old.listing_only else "rewrite"
            evidence = (f"{held:.2f} of the teaser's names and words in the release",)
            return Match(old, relation, round(held, 3), evidence, weak=True)

    names, numbers, terms = jaccard(a.names, b.names), jaccard(a.numbers, b.numbers), jaccard(a.terms, b.terms)
    same_event = new.event_date is not None and new.event_date == old.event_date
    evidence = [f"names {names:.2f}", f"figures {numbers:.2f}"]
    if same_event:
        evidence.append(f"same event date {new.event_date}")
    if new.lang != old.lang:
        # A translation keeps its original's names and figures, but adds its own capitalised
        # words (and may drop a phone number): the share of the shorter list found in the other.
        kept, figures = overlap(a.names, b.names), overlap(a.numbers, b.numbers)
        same_days = same_event or _near(new.day, old.day, TRANSLATION_DAYS)
        score = 0.45 * kept + 0.35 * figures + 0.20 * same_days
        if score >= TRANSLATION_SCORE and kept >= TRANSLATION_NAMES:
            evidence[:2] = [f"names {kept:.2f} kept", f"figures {figures:.2f} kept"]
            return Match(
                old,
                "translation",
                round(score, 3),
                (*evidence, *(["published days apart"] if same_days and not same_event else [])),
            )
        return None
    score = 0.35 * names + 0.35 * terms + 0.15 * numbers + 0.15 * same_event
    if score >= REWRITE_SCORE:
        return Match(old, "rewrite", round(score, 3), (*evidence, f"rare words {terms:.2f}"))
    return None


def apart(new: Candidate, old: Candidate) -> bool:
    """Releases that wording cannot join, however alike: two full texts of one original publisher
    in one language are one story only if they are one release (a series reuses its own wording;
    an edit is a revision of the same release); and two releases whose event days differ tell
    two events (a yearly forum opens with last year's words; a rewrite's dateline may say the day
    after); without event days, two releases published most of a year apart. One text is never
    apart from itself: a publisher that files a release at a second address has one release."""
    if new.content_hash and new.content_hash == old.content_hash and not (new.listing_only or old.listing_only):
        return False
    same_publisher = new.source == old.source != "" and not (new.syndication or old.syndication)
    same_publisher = same_publisher and not (new.document or old.document)  # a PDF release and its web page
    if same_publisher and new.lang == old.lang and not (new.short or old.short):
        return True
    if new.event_date is not None and old.event_date is not None:
        return not _near(new.event_date, old.event_date)
    # without an event day, publication a year apart: last year's forum, republished
    return new.published is not None and old.published is not None and not _near(new.published, old.published, 300)


def another_stop(new: Candidate, original: Candidate) -> bool:
    """Whether `new` tells a series' next event, a day or two after the story's original and in
    its words, but with figures of its own (its head-count, its dates): an aggregator's copy of
    it may come before it. Weighed against the original only, whose figures are the event's
    (an aggregator's header adds its own, a cut copy holds fewer)."""
    a, b = new.fingerprints, original.fingerprints
    shifted = new.event_date is not None and original.event_date is not None and new.event_date != original.event_date
    return shifted and bool(a.numbers and b.numbers) and overlap(a.numbers, b.numbers) < SAME_FIGURES


def _near(one: date | None, other: date | None, days: int = NEAR_DAYS) -> bool:
    return one is not None and other is not None and abs((one - other).days) <= days


def _keys(fp: Fingerprints) -> frozenset[str]:
    return fp.names | fp.terms | {f"#{n}" for n in fp.numbers}


def matches(
    new: Candidate, candidates: list[Candidate], originals: Mapping[int, Candidate] | None = None
) -> list[Match]:
    """Every stored release `new` relates to, the strongest relation first (a teaser's match only
    when nothing stronger holds, and only its best). A story holding a
    release that `new` is apart from is not its story, whatever else in it matches: an
    aggregator's copy of last month's training does not make this month's one a copy. `originals`
    (story -> its canonical release) lets a story be barred by a release that is not a candidate."""
    others = [c for c in candidates if c.release_id != new.release_id]
    barred = {c.story_id for c in others if c.story_id is not None and apart(new, c)}
    barred |= {
        story for story, original in (originals or {}).items() if apart(new, original) or another_stop(new, original)
    }
    found = [m for c in others if c.story_id not in barred and (m := relate(new, c)) is not None]
    strong = sorted((m for m in found if not m.weak), key=lambda m: (m.rank, m.candidate.release_id))
    # A teaser's few words may fit two releases of one office on one day: only the best is taken.
    return strong or sorted(found, key=lambda m: (-m.score, m.candidate.release_id))[:1]


def canonical_of(members: list[Candidate]) -> Candidate:
    """The original publisher beats an aggregator; otherwise the earliest; on the same day a
    press-release document (web posts and partners' pages are written from it); then the first stored."""
    return min(members, key=lambda c: (c.syndication, c.listing_only, c.day or date.max, not c.document, c.release_id))
