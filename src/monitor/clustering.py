"""Stories in the database: fingerprint each new text, find candidates through the MinHash
bands, and file the release under the story of its best match, or a new story of its own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from monitor.models import BandRow, FingerprintRow, ReleaseRow, StoryMemberRow, StoryRow
from monitor.records import Release
from monitor.similarity import Fingerprints
from monitor.stories import Candidate, Match, canonical_of, matches


def _sig_bytes(sig: np.ndarray | None) -> bytes | None:
    return None if sig is None else sig.tobytes()


def _sig(data: bytes | None) -> np.ndarray | None:
    return None if data is None else np.frombuffer(data, dtype=np.uint64)


def native_key(identity: str) -> str | None:
    """osce:582310/ru -> osce:582310; a URL identity has no native key."""
    if "://" in identity:
        return None
    return identity.split("/", 1)[0]


def _candidate(row: ReleaseRow, fp: FingerprintRow, story_id: int | None) -> Candidate:
    return Candidate(
        release_id=row.id,
        story_id=story_id,
        lang=row.lang,
        native_key=native_key(row.identity),
        content_hash=row.content_hash,
        listing_only=row.listing_only,
        event_date=row.event_date,
        place=row.dateline_place,
        syndication=fp.syndication,
        day=row.published or row.first_seen_at.date(),
        fingerprints=Fingerprints(
            text_sig=_sig(fp.text_sig),
            lead_sig=_sig(fp.lead_sig),
            key_sig=_sig(fp.key_sig),
            names=frozenset(fp.names),
            numbers=frozenset(fp.numbers),
            terms=frozenset(fp.terms),
        ),
    )


def _load(session: Session, release_ids: set[int]) -> list[Candidate]:
    if not release_ids:
        return []
    rows = session.execute(
        select(ReleaseRow, FingerprintRow, StoryMemberRow.story_id)
        .join(FingerprintRow, FingerprintRow.release_id == ReleaseRow.id)
        .outerjoin(StoryMemberRow, StoryMemberRow.release_id == ReleaseRow.id)
        .where(ReleaseRow.id.in_(release_ids))
    )
    return [_candidate(row, fp, story_id) for row, fp, story_id in rows]


def fingerprint(session: Session, release_id: int, release: Release, replace: bool = False) -> Fingerprints:
    """Store (or replace, after an edit) a release's fingerprints and LSH bands."""
    fp = Fingerprints.of(release.title, release.text)
    if replace:
        session.execute(delete(BandRow).where(BandRow.release_id == release_id))
        session.execute(delete(FingerprintRow).where(FingerprintRow.release_id == release_id))
    session.execute(insert(FingerprintRow), [{
        "release_id": release_id, "text_sig": _sig_bytes(fp.text_sig), "lead_sig": _sig_bytes(fp.lead_sig),
        "key_sig": _sig_bytes(fp.key_sig), "names": sorted(fp.names), "numbers": sorted(fp.numbers),
        "terms": sorted(fp.terms), "syndication": release.syndication,
    }])  # fmt: skip
    keys = fp.band_keys()
    if keys:
        session.execute(
            BandRow.__table__.insert(),
            [{"band": band, "bucket": bucket, "release_id": release_id} for band, bucket in keys],
        )
    return fp


def assign(session: Session, new: Sequence[tuple[int, Release]], now: datetime) -> None:
    """File each newly stored release under a story, in order: a release can join the story of
    one stored just before it in the same batch."""
    for release_id, release in new:
        fp = fingerprint(session, release_id, release)
        keys = set(fp.band_keys())
        buckets = {bucket for _, bucket in keys}
        # By bucket alone, which the index serves; the band is checked here.
        found = {
            other for band, bucket, other in session.execute(
                select(BandRow.band, BandRow.bucket, BandRow.release_id).where(BandRow.bucket.in_(buckets))
            ) if (band, bucket) in keys
        } if buckets else set()  # fmt: skip
        if (key := native_key(release.identity)) is not None and key != release.identity:
            found |= set(session.scalars(select(ReleaseRow.id).where(ReleaseRow.identity.startswith(key + "/"))))
        if key is not None:
            found |= set(session.scalars(select(ReleaseRow.id).where(ReleaseRow.identity == key)))
        if release.event is not None:  # a translation shares few words: the same event day in another language
            found |= set(session.scalars(
                select(ReleaseRow.id).where(ReleaseRow.event_date == release.event.value, ReleaseRow.lang != release.lang)
            ))  # fmt: skip
        found.discard(release_id)
        candidates = [c for c in _load(session, found) if c.story_id is not None]
        me = _load(session, {release_id})[0]
        found_matches = matches(me, candidates)
        if not found_matches:
            story = StoryRow(canonical_release_id=release_id, created_at=now, updated_at=now)
            session.add(story)
            session.flush()
            session.add(StoryMemberRow(
                release_id=release_id, story_id=story.id, relation="original", score=1.0, evidence=[], joined_at=now
            ))  # fmt: skip
            continue
        match = found_matches[0]
        # A release that ties two stories together (an original arriving after a copy and a
        # rewrite that did not recognise each other) makes them one.
        for other in found_matches:
            if other.candidate.story_id != match.candidate.story_id:
                _merge(session, other, into=match.candidate.story_id, via=release_id)
        session.add(StoryMemberRow(
            release_id=release_id, story_id=match.candidate.story_id, relation=match.relation,
            related_to_id=match.candidate.release_id, score=match.score, evidence=list(match.evidence), joined_at=now,
        ))  # fmt: skip
        session.flush()
        _elect_canonical(session, match.candidate.story_id, now)


def _merge(session: Session, link: Match, into: int | None, via: int) -> None:
    """Move a story's members into another; its original is now related through `via`."""
    story_id = link.candidate.story_id
    if story_id is None or session.get(StoryRow, story_id) is None:
        return  # merged already through an earlier link
    session.execute(
        update(StoryMemberRow)
        .where(StoryMemberRow.story_id == story_id, StoryMemberRow.relation == "original")
        .values(relation=link.relation, related_to_id=via, score=link.score, evidence=list(link.evidence))
    )
    session.execute(update(StoryMemberRow).where(StoryMemberRow.story_id == story_id).values(story_id=into))
    session.execute(delete(StoryRow).where(StoryRow.id == story_id))


def _elect_canonical(session: Session, story_id: int | None, now: datetime) -> None:
    story = session.get(StoryRow, story_id)
    assert story is not None
    members = {
        m.release_id: m for m in session.scalars(select(StoryMemberRow).where(StoryMemberRow.story_id == story_id))
    }
    canonical = canonical_of(_load(session, set(members)))
    previous = story.canonical_release_id
    if canonical.release_id != previous:
        # The original publisher arrived after a copy: they trade places.
        new, old = members[canonical.release_id], members[previous]
        old.relation, old.related_to_id, old.score, old.evidence = new.relation, new.release_id, new.score, new.evidence
        new.relation, new.related_to_id, new.score, new.evidence = "original", None, 1.0, []
        story.canonical_release_id = canonical.release_id
    story.updated_at = now
