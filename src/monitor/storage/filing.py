"""Filing releases under stories in the database: the releases without a story are read a batch
at a time, compared with their candidates by the story rules, and written as memberships.

Plain SQL statements on the session's connection: this runs for every stored release, and the
ORM's bookkeeping would cost more than the statements."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, delete, func, insert, select, update

from monitor.records import Release
from monitor.storage.engine import among, select_among
from monitor.storage.fingerprints import (
    PENDING_BATCH,
    fingerprints_of,
    load_index,
    release_of,
    restore_fingerprints,
    store_fingerprints,
    stored_fingerprints,
)
from monitor.storage.leases import Lease
from monitor.storage.models import FingerprintRow, ReleaseRow, StoryMemberRow, StoryRow
from monitor.storage.store import Store
from monitor.understanding.band_index import BandIndex
from monitor.understanding.candidates import (
    candidate_of,
    days_near,
    earlier_candidates,
    is_short,
    native_key,
    sharing_buckets,
)
from monitor.understanding.similarity import Fingerprints
from monitor.understanding.stories import (
    SHORT_TEXT,
    TRANSLATION_DAYS,
    Candidate,
    Match,
    apart,
    canonical_of,
    matches,
    relate,
)

STORY_PASS_WAIT = 1800.0  # seconds: a pass of 100,000 releases takes a few minutes
STORY_PASS_POLL = 0.2  # seconds between looks for newly stored releases, beside an import


class Event(Protocol):
    """threading.Event or multiprocessing.Event."""

    def is_set(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> bool: ...


CANDIDATE_COLUMNS = (
    ReleaseRow.id, ReleaseRow.identity, ReleaseRow.lang, ReleaseRow.content_hash, ReleaseRow.listing_only,
    ReleaseRow.event_date, ReleaseRow.published, ReleaseRow.first_seen_at,
    FingerprintRow.text_sig, FingerprintRow.lead_sig, FingerprintRow.key_sig, FingerprintRow.names,
    FingerprintRow.numbers, FingerprintRow.terms, ReleaseRow.syndication, StoryMemberRow.story_id,
    ReleaseRow.published_provenance, ReleaseRow.source_key, func.length(ReleaseRow.text).label("text_length"),
)  # fmt: skip


def _load(conn: Connection, release_ids: set[int]) -> list[Candidate]:
    """Candidates from the columns the comparison needs (not the texts)."""
    if not release_ids:
        return []
    rows = conn.execute(
        select(*CANDIDATE_COLUMNS)
        .join(FingerprintRow, FingerprintRow.release_id == ReleaseRow.id)
        .outerjoin(StoryMemberRow, StoryMemberRow.release_id == ReleaseRow.id)
        .where(among(conn, ReleaseRow.id, release_ids))
    )
    return [
        Candidate(
            release_id=r.id,
            story_id=r.story_id,
            lang=r.lang,
            native_key=native_key(r.identity),
            content_hash=r.content_hash,
            listing_only=r.listing_only,
            event_date=r.event_date,
            syndication=r.syndication,
            day=r.published or r.first_seen_at.date(),
            published=r.published,
            document=r.published_provenance == "pdf",
            fingerprints=stored_fingerprints(r),
            source=r.source_key,
            short=r.listing_only or r.text_length < SHORT_TEXT,
        )
        for r in rows
    ]


def candidate_ids(
    conn: Connection, index: BandIndex, releases: Sequence[tuple[int, Release]], fps: dict[int, Fingerprints]
) -> dict[int, set[int]]:
    """For each release of a batch, the earlier releases worth comparing it with (see
    candidates.earlier_candidates); the batch joins the index first."""
    natives = {key for _, release in releases if (key := native_key(release.identity))}
    same_node: dict[str, set[int]] = defaultdict(set)
    if natives:
        for other, identity in conn.execute(
            select(ReleaseRow.id, ReleaseRow.identity).where(
                ReleaseRow.native_id.in_({key.split(":", 1)[1] for key in natives})
            )
        ):
            same_node[native_key(identity) or ""].add(other)
    # Translations share few words: releases in other languages of the same event day, or
    # published within a day (a few per day, not the whole day's releases).
    event_days: dict[str, set[date]] = defaultdict(set)
    published_days: dict[str, set[date]] = defaultdict(set)
    for _, release in releases:
        if release.event:
            event_days[release.lang].add(release.event.value)
        if release.published:
            published_days[release.lang].update(days_near(release.published.value, TRANSLATION_DAYS))
    same_day: dict[date, list[tuple[int, str]]] = defaultdict(list)
    same_published: dict[date, list[tuple[int, str]]] = defaultdict(list)
    for found, column, days_by_lang in (
        (same_day, ReleaseRow.event_date, event_days),
        (same_published, ReleaseRow.published, published_days),
    ):
        for lang, days in days_by_lang.items():
            for other, day, other_lang in conn.execute(
                select(ReleaseRow.id, column, ReleaseRow.lang).where(column.in_(days), ReleaseRow.lang != lang)
            ):
                found[day].append((other, other_lang))

    # Teasers: every release of their language published within days of them (a few hundred at most).
    near_days = {
        (r.lang, day) for _, r in releases if is_short(r) and r.published for day in days_near(r.published.value)
    }
    near_day: dict[tuple[str, date], list[int]] = defaultdict(list)
    for lang in {lang for lang, _ in near_days}:
        days = sorted({day for other_lang, day in near_days if other_lang == lang})
        for other, day in conn.execute(
            select(ReleaseRow.id, ReleaseRow.published).where(ReleaseRow.lang == lang, ReleaseRow.published.in_(days))
        ):
            near_day[(lang, day)].append(other)
    return earlier_candidates(releases, sharing_buckets(index, fps), same_node, same_day, near_day, same_published)


def file_stories(store: Store, now: datetime, until: Event | None = None) -> int:
    """File every release without a story under one (see StoryPass); returns how many. With
    `until`, also what is stored meanwhile, until the event is set and nothing is left (an import
    storing beside the pass). A pass started while another runs waits for it: each holds its own
    index."""
    with Lease(store, ["stories"], wait=STORY_PASS_WAIT):
        while True:  # the filed releases first, so that newcomers find them
            with store.session() as session, session.begin():
                if not restore_fingerprints(session.connection()):
                    break
        story_pass, total = StoryPass(now), 0
        while True:  # a transaction a batch: progress is kept, and the journal stays small
            last_call = until is None or until.is_set()  # read first: what was stored before is seen
            with store.session() as session, session.begin():
                count = story_pass.file_next(session.connection())
            total += count
            if count:
                continue
            if last_call:
                return total
            if until.wait(STORY_PASS_POLL):  # type: ignore[union-attr]
                story_pass.after_id = 0  # a writer may commit a lower id late: look once more from the start


class StoryPass:
    """Files the releases that have no story yet, a batch (one transaction) at a time, oldest
    first. Crawls store first and run a pass after, an import runs one beside it, so that storing
    never waits on it. One pass runs at a time (the caller holds its lease): the index is this
    pass's own."""

    def __init__(self, now: datetime) -> None:
        self.now, self.after_id = now, 0
        self.index: BandIndex | None = None  # loaded with the first batch: an idle pass reads nothing

    def file_next(self, conn: Connection) -> int:
        """File the next batch; returns how many releases it held."""
        rows = conn.execute(
            select(ReleaseRow)
            .outerjoin(StoryMemberRow, StoryMemberRow.release_id == ReleaseRow.id)
            .where(StoryMemberRow.release_id.is_(None), ReleaseRow.id > self.after_id)
            .order_by(ReleaseRow.id)
            .limit(PENDING_BATCH)
        ).all()
        if rows:
            if self.index is None:
                self.index = load_index(conn)
            assign(conn, self.index, [(row.id, release_of(row)) for row in rows], self.now)
            self.after_id = rows[-1].id
        return len(rows)


def assign(conn: Connection, index: BandIndex, new: Sequence[tuple[int, Release]], now: datetime) -> None:
    """File each release of a batch under a story, in order: a release can join the story of
    one filed just before it in the same batch."""
    fps = fingerprints_of(new)
    wanted = candidate_ids(conn, index, new, fps)
    store_fingerprints(conn, fps)
    filing = Filing(conn, now, [release_id for release_id, _ in new], set().union(*wanted.values()))
    for release_id, release in new:
        filing.file(candidate_of(release_id, release, fps[release_id], now), wanted[release_id])
    filing.finish()


class Filing:
    """One batch's filing. Its new stories are reserved in one statement (the unused ones are
    dropped at the end) and its memberships written in one; they are written earlier only when
    a merge or a new canonical release has to update rows in the database."""

    def __init__(self, conn: Connection, now: datetime, release_ids: list[int], candidate_ids: set[int]) -> None:
        self.conn, self.now = conn, now
        self.loaded = {c.release_id: c for c in _load(conn, candidate_ids)}
        self.filed: dict[int, int] = {}  # story of each release filed in this batch
        self.moved: dict[int, int] = {}  # stories merged into others during this batch
        # story -> its canonical release, as far as this batch knows (the candidates' in one query)
        stories = {c.story_id for c in self.loaded.values() if c.story_id is not None}
        self.canonical: dict[int, int] = dict(
            select_among(conn, "SELECT id, canonical_release_id FROM stories WHERE id", stories) if stories else []
        )
        # the stories' originals too: a story whose original a newcomer is apart from is not its story
        self.loaded.update((c.release_id, c) for c in _load(conn, set(self.canonical.values()) - self.loaded.keys()))
        self.touched: set[int] = set()  # stories that gained a member
        self.members: list[dict[str, Any]] = []  # memberships not written yet
        reserved = conn.scalars(
            insert(StoryRow).returning(StoryRow.id, sort_by_parameter_order=True),
            [{"canonical_release_id": release_id, "created_at": now, "updated_at": now} for release_id in release_ids],
        )
        self.reserved = dict(zip(release_ids, reserved, strict=True))

    def current(self, story_id: int | None) -> int | None:
        while story_id in self.moved:
            story_id = self.moved[story_id]
        return story_id

    def file(self, me: Candidate, wanted: set[int]) -> None:
        candidates = []
        for other in wanted:
            if (candidate := self.loaded.get(other)) is not None:
                story_id = self.current(self.filed.get(other, candidate.story_id))
                if story_id is not None:
                    candidates.append(dataclasses.replace(candidate, story_id=story_id))
        stories = {c.story_id for c in candidates if c.story_id is not None}
        originals = {story: original for story in stories if (original := self.original(story))}
        found = matches(me, candidates, originals)
        if not found:
            story_id = self.reserved.pop(me.release_id)
            self.member(me.release_id, story_id, "original", None, 1.0, ())
            self.canonical[story_id] = me.release_id
        else:
            story_id = found[0].candidate.story_id  # type: ignore[assignment]
            # Its relation is to the story's original when it matches it (the digest shows it so),
            # else to its closest match: the same whichever of them was filed first.
            original = self.canonical_of(story_id)
            best = next((m for m in found if m.candidate.release_id == original), found[0])
            # A release that ties two stories together (an original arriving after a copy and a
            # rewrite that did not recognise each other) makes them one; never two whose originals
            # are apart (two aggregator copies of one office's two releases of a day look alike).
            merged = False
            for other in found:
                if (
                    other.candidate.story_id != story_id
                    and other.candidate.story_id not in self.moved
                    and not self.originals_apart(story_id, other.candidate.story_id)  # type: ignore[arg-type]
                ):
                    self.write_members()
                    merged |= _merge(self.conn, other, into=story_id, via=me.release_id)
                    self.moved[other.candidate.story_id] = story_id  # type: ignore[index]
            self.member(me.release_id, story_id, best.relation, best.candidate.release_id, best.score, best.evidence)
            self.elect(story_id, me, full=merged)
        self.filed[me.release_id] = story_id
        self.loaded[me.release_id] = dataclasses.replace(me, story_id=story_id)

    def originals_apart(self, one: int, other: int) -> bool:
        first, second = (self.original(story) for story in (one, other))
        return first is not None and second is not None and apart(first, second)

    def original(self, story_id: int) -> Candidate | None:
        release_id = self.canonical_of(story_id)
        if release_id not in self.loaded:
            self.loaded.update((c.release_id, c) for c in _load(self.conn, {release_id}))
        return self.loaded.get(release_id)

    def member(self, release_id: int, story_id: int, relation: str, related_to: int | None, score: float,
               evidence: Sequence[str]) -> None:  # fmt: skip
        self.members.append({
            "release_id": release_id, "story_id": story_id, "relation": relation, "related_to_id": related_to,
            "score": score, "evidence": list(evidence), "joined_at": self.now,
        })  # fmt: skip

    def write_members(self) -> None:
        if self.members:
            self.conn.execute(insert(StoryMemberRow), self.members)
            self.members = []

    def canonical_of(self, story_id: int) -> int:
        if story_id not in self.canonical:
            self.canonical[story_id] = self.conn.scalar(
                select(StoryRow.canonical_release_id).where(StoryRow.id == story_id)
            )
        return self.canonical[story_id]

    def elect(self, story_id: int, newcomer: Candidate, full: bool) -> None:
        """The newcomer becomes canonical if it beats the current one (all members are weighed
        again after a merge); the two then trade relations."""
        self.touched.add(story_id)
        previous = self.canonical_of(story_id)
        if full:
            self.write_members()
            members = self.conn.scalars(select(StoryMemberRow.release_id).where(StoryMemberRow.story_id == story_id))
            pool = _load(self.conn, set(members))
        else:
            pool = [self.loaded.get(previous) or _load(self.conn, {previous})[0], newcomer]
        winner = canonical_of(pool)
        if winner.release_id == previous:
            return
        self.write_members()
        _demote(self.conn, next((c for c in pool if c.release_id == previous), None), previous, winner)
        self.conn.execute(
            update(StoryRow).where(StoryRow.id == story_id).values(canonical_release_id=winner.release_id)
        )
        self.canonical[story_id] = winner.release_id

    def finish(self) -> None:
        self.write_members()
        if self.reserved:
            self.conn.execute(delete(StoryRow).where(StoryRow.id.in_(list(self.reserved.values()))))
        if self.touched:
            self.conn.execute(update(StoryRow).where(StoryRow.id.in_(self.touched)).values(updated_at=self.now))


def _demote(conn: Connection, demoted: Candidate | None, previous: int, winner: Candidate) -> None:
    """The old original relates to the new one as the comparison says; when the two were only
    linked through others, it takes the relation the new original had."""
    link = relate(demoted, winner) if demoted is not None else None
    was = (
        link
        or conn.execute(
            select(StoryMemberRow.relation, StoryMemberRow.score, StoryMemberRow.evidence).where(
                StoryMemberRow.release_id == winner.release_id
            )
        ).one()
    )
    conn.execute(
        update(StoryMemberRow)
        .where(StoryMemberRow.release_id == previous)
        .values(relation=was.relation, related_to_id=winner.release_id, score=was.score, evidence=list(was.evidence))
    )
    conn.execute(
        update(StoryMemberRow)
        .where(StoryMemberRow.release_id == winner.release_id)
        .values(relation="original", related_to_id=None, score=1.0, evidence=[])
    )


def _merge(conn: Connection, link: Match, into: int | None, via: int) -> bool:
    """Move a story's members into another; its original is now related through `via`."""
    story_id = link.candidate.story_id
    if story_id is None or conn.scalar(select(StoryRow.id).where(StoryRow.id == story_id)) is None:
        return False  # merged already through an earlier link
    conn.execute(
        update(StoryMemberRow)
        .where(StoryMemberRow.story_id == story_id, StoryMemberRow.relation == "original")
        .values(relation=link.relation, related_to_id=via, score=link.score, evidence=list(link.evidence))
    )
    conn.execute(update(StoryMemberRow).where(StoryMemberRow.story_id == story_id).values(story_id=into))
    conn.execute(delete(StoryRow).where(StoryRow.id == story_id))
    return True
