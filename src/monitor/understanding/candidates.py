"""Which stored releases a new one is compared with: pure rules over fingerprints and the
in-memory LSH index, no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

import numpy as np

from monitor.records import Release
from monitor.understanding.band_index import ID_MASK, BandIndex, entries, expand, sorted_unique
from monitor.understanding.similarity import (
    KEY_SIGNATURES,
    SIGNATURE_BANDS,
    WORDING_SIGNATURES,
    Fingerprints,
    signature_buckets,
)
from monitor.understanding.stories import NEAR_DAYS, SHORT_TEXT, TRANSLATION_DAYS, Candidate

MAX_KEY_CANDIDATES = 20
MIN_SHARED_KEY_BANDS = 3
POPULAR_BUCKET = 20  # more releases than this in one key bucket: it names no event


def native_key(identity: str) -> str | None:
    """osce:582310/ru -> osce:582310; a URL identity has no native key."""
    if "://" in identity:
        return None
    return identity.split("/", 1)[0]


def sharing_buckets(index: BandIndex, fps: dict[int, Fingerprints]) -> list[tuple[int, int]]:
    """(release, earlier release) pairs worth comparing: a shared wording bucket (a copy's
    wording or opening), or at least three shared key buckets, the releases sharing most first.

    Names and figures are shared loosely. A pair with a Jaccard of 0.3 shares about six of the 64
    key bands (three or more with a probability of 0.93); the evaluation set's rewrites share 11
    to 22; unrelated releases that happen to share a name or a figure share one or two, and two
    let in nine candidates per release at 10,000 synthetic releases where three let in 1.3. A
    key bucket held by more than 20 releases is a pair of names or figures that says nothing
    about the event: it is never read."""
    wording, keys = bucket_rows(fps, WORDING_SIGNATURES), bucket_rows(fps, KEY_SIGNATURES)
    index.add(entries(np.concatenate([wording[1], keys[1]]), np.concatenate([wording[0], keys[0]])))
    copies = sorted_unique(_pairs_sharing(index, *wording))
    by_keys, shared = np.unique(_pairs_sharing(index, *keys, popular=POPULAR_BUCKET), return_counts=True)
    by_keys, shared = by_keys[shared >= MIN_SHARED_KEY_BANDS], shared[shared >= MIN_SHARED_KEY_BANDS]
    order = np.lexsort((-shared, by_keys >> 32))  # by release, the most shared first
    by_keys = by_keys[order]
    owners = by_keys >> 32
    rank = np.arange(len(by_keys)) - np.searchsorted(owners, owners)
    pairs = np.concatenate([copies, by_keys[rank <= MAX_KEY_CANDIDATES]])
    return list(zip((pairs >> 32).tolist(), (pairs & 0xFFFFFFFF).tolist(), strict=True))


def bucket_rows(fps: dict[int, Fingerprints], signatures: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(owner, bucket): a row for each band of the given signatures of each release of a batch."""
    parts = [
        signature_buckets(
            [(release_id, sig) for release_id, fp in fps.items() if (sig := getattr(fp, name)) is not None],
            layout, first_band,
        )
        for name, layout, first_band in SIGNATURE_BANDS
        if name in signatures
    ]  # fmt: skip
    return np.concatenate([owners for owners, _ in parts]), np.concatenate([buckets for _, buckets in parts])


def _pairs_sharing(index: BandIndex, owners: np.ndarray, buckets: np.ndarray, popular: int = 0) -> np.ndarray:
    """owner << 32 | other, once for each bucket of an owner that an earlier release holds
    (buckets held by more than `popular` releases left out, when given)."""
    if not len(owners):
        return np.empty(0, dtype=np.int64)
    unique, query_of = np.unique(buckets & ~ID_MASK, return_inverse=True)
    which, holders = index.holders(unique)
    held = np.bincount(which, minlength=len(unique))
    by_bucket = holders[np.argsort(which, kind="stable")]
    if popular:
        keep = held[query_of] <= popular
        owners, query_of = owners[keep], query_of[keep]
    positions, row = expand((np.cumsum(held) - held)[query_of], held[query_of])
    mine, other = owners[row], by_bucket[positions]
    earlier = other < mine
    return (mine[earlier] << 32) | other[earlier]


def earlier_candidates(
    releases: Sequence[tuple[int, Release]],
    by_buckets: Iterable[tuple[int, int]],
    same_node: Mapping[str, set[int]],
    same_day: Mapping[date, list[tuple[int, str]]],
    near_day: Mapping[tuple[str, date], list[int]] | None = None,
    same_published: Mapping[date, list[tuple[int, str]]] | None = None,
) -> dict[int, set[int]]:
    """For each release of a batch, the releases worth comparing it with: sharing an LSH bucket,
    the same node, (a translation shares few words) the same event day in another language, or
    (a teaser shares few of its words' sequences) for a teaser, every release of its language
    published within NEAR_DAYS. Each keeps only the releases stored before it, so that a batch
    finds what one-by-one filing would."""
    found: dict[int, set[int]] = {release_id: set() for release_id, _ in releases}
    for release_id, other in by_buckets:
        found[release_id].add(other)
    for release_id, release in releases:
        mine = found[release_id]
        mine |= same_node.get(native_key(release.identity) or "", set())
        if release.event:
            mine |= {other for other, lang in same_day.get(release.event.value, ()) if lang != release.lang}
        if same_published and release.published:
            for day in days_near(release.published.value, TRANSLATION_DAYS):
                mine |= {other for other, lang in same_published.get(day, ()) if lang != release.lang}
        if near_day and is_short(release) and release.published:
            mine.update(*(near_day.get((release.lang, day), ()) for day in days_near(release.published.value)))
        found[release_id] = {other for other in mine if other < release_id}
    return found


def is_short(release: Release) -> bool:
    return release.listing_only or len(release.text) < SHORT_TEXT


def days_near(day: date, within: int = NEAR_DAYS) -> list[date]:
    return [day + timedelta(days=offset) for offset in range(-within, within + 1)]


def candidate_of(release_id: int, release: Release, fp: Fingerprints, now: datetime) -> Candidate:
    return Candidate(
        release_id=release_id,
        story_id=None,
        lang=release.lang,
        native_key=native_key(release.identity),
        content_hash=release.content_hash,
        listing_only=release.listing_only,
        event_date=release.event.value if release.event else None,
        syndication=release.syndication,
        day=release.published.value if release.published else now.date(),
        published=release.published.value if release.published else None,
        document=release.published is not None and release.published.provenance == "pdf",
        fingerprints=fp,
        source=release.source,
        short=is_short(release),
    )
