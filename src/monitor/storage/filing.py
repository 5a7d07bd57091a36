"""Stories in the database: fingerprint each new text, find candidates through the MinHash
bands, and file the release under the story of its best match, or a new story of its own.

Plain SQL statements on the session's connection: this runs for every stored release, and the
ORM's bookkeeping would cost more than the statements."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, insert, select, update

from monitor.records import DatedValue, Release
from monitor.storage.engine import among, insert_rows, select_among
from monitor.storage.models import FingerprintRow, ReleaseRow, StoryMemberRow, StoryRow
from monitor.understanding.band_index import ID_MASK, BandIndex, entries, expand, sorted_unique
from monitor.understanding.similarity import (
    KEY_SIGNATURES,
    SIGNATURE_BANDS,
    WORDING_SIGNATURES,
    Fingerprints,
    signature_buckets,
)
from monitor.understanding.stories import Candidate, Match, canonical_of, matches, relate


def _sig_bytes(sig: np.ndarray | None) -> bytes | None:
    return None if sig is None else sig.tobytes()


def _sig(data: bytes | None) -> np.ndarray | None:
    return None if data is None else np.frombuffer(data, dtype=np.uint32)


MAX_KEY_CANDIDATES = 20
MIN_SHARED_KEY_BANDS = 3
POPULAR_BUCKET = 20  # more releases than this in one key bucket: it names no event


def native_key(identity: str) -> str | None:
    """osce:582310/ru -> osce:582310; a URL identity has no native key."""
    if "://" in identity:
        return None
    return identity.split("/", 1)[0]


CANDIDATE_COLUMNS = (
    ReleaseRow.id, ReleaseRow.identity, ReleaseRow.lang, ReleaseRow.content_hash, ReleaseRow.listing_only,
    ReleaseRow.event_date, ReleaseRow.published, ReleaseRow.first_seen_at,
    FingerprintRow.text_sig, FingerprintRow.lead_sig, FingerprintRow.key_sig, FingerprintRow.names,
    FingerprintRow.numbers, FingerprintRow.terms, ReleaseRow.syndication, StoryMemberRow.story_id,
    ReleaseRow.published_provenance,
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
            document=r.published_provenance == "pdf",
            fingerprints=_fingerprints_of(r),
        )
        for r in rows
    ]


def _fingerprints_of(row: Any) -> Fingerprints:
    return Fingerprints(
        text_sig=_sig(row.text_sig),
        lead_sig=_sig(row.lead_sig),
        key_sig=_sig(row.key_sig),
        names=frozenset(row.names.split()),
        numbers=frozenset(row.numbers.split()),
        terms=frozenset(row.terms.split()),
    )


def _as_candidate(release_id: int, release: Release, fp: Fingerprints, now: datetime) -> Candidate:
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
        document=release.published is not None and release.published.provenance == "pdf",
        fingerprints=fp,
    )


def fingerprint(conn: Connection, release_id: int, release: Release) -> None:
    """Replace a release's fingerprints (after an edit); its story stays, and the next story
    pass indexes its new wording."""
    store_fingerprints(conn, fingerprints_of([(release_id, release)]))


def fingerprints_of(releases: Sequence[tuple[int, Release]]) -> dict[int, Fingerprints]:
    return {release_id: Fingerprints.of(release.title, release.text) for release_id, release in releases}


FINGERPRINT_COLUMNS = ("release_id", "text_sig", "lead_sig", "key_sig", "names", "numbers", "terms")


def store_fingerprints(conn: Connection, fps: dict[int, Fingerprints]) -> None:
    """Store a batch's fingerprints (replacing any) in two statements."""
    conn.execute(delete(FingerprintRow).where(FingerprintRow.release_id.in_(list(fps))))
    rows = [
        (release_id, _sig_bytes(fp.text_sig), _sig_bytes(fp.lead_sig), _sig_bytes(fp.key_sig),
         " ".join(sorted(fp.names)), " ".join(sorted(fp.numbers)), " ".join(sorted(fp.terms)))
        for release_id, fp in fps.items()
    ]  # fmt: skip
    insert_rows(conn, FingerprintRow.__tablename__, FINGERPRINT_COLUMNS, rows)


INDEX_CHUNK = 10_000  # releases turned into entries at a time: the peak stays near the index's own size


def load_index(conn: Connection) -> BandIndex:
    """The LSH index of every filed release, from its stored signatures (each row read once): 1.5
    to 4 s for 100,000 releases on the bench machine, paid once a story pass and only when there
    is something to file."""
    columns = ", ".join(f"f.{name}" for name, _, _ in SIGNATURE_BANDS)
    result = conn.exec_driver_sql(
        f"SELECT f.release_id, {columns} FROM release_fingerprints f "
        "JOIN story_members m ON m.release_id = f.release_id"
    )
    runs = []
    while rows := result.fetchmany(INDEX_CHUNK):
        for column, (_, layout, first_band) in enumerate(SIGNATURE_BANDS, start=1):
            owners, buckets = signature_buckets(
                [(row[0], row[column]) for row in rows if row[column] is not None], layout, first_band
            )
            if len(owners):
                runs.append(entries(buckets, owners))
    index = BandIndex()
    if runs:
        index.fold(runs)
    return index


def candidate_ids(
    conn: Connection, index: BandIndex, releases: Sequence[tuple[int, Release]], fps: dict[int, Fingerprints]
) -> dict[int, set[int]]:
    """For each release of a batch, the releases worth comparing it with: sharing an LSH bucket,
    the same node, or (a translation shares few words) the same event day in another language.
    The batch joins the index first, and each release keeps only the releases stored before it,
    so that a batch finds what one-by-one filing would."""
    found: dict[int, set[int]] = {release_id: set() for release_id, _ in releases}
    for release_id, other in _sharing_buckets(index, fps):
        found[release_id].add(other)

    natives = {key for _, release in releases if (key := native_key(release.identity))}
    same_node: dict[str, set[int]] = defaultdict(set)
    if natives:
        for other, identity in conn.execute(
            select(ReleaseRow.id, ReleaseRow.identity).where(
                ReleaseRow.native_id.in_({key.split(":", 1)[1] for key in natives})
            )
        ):
            same_node[native_key(identity) or ""].add(other)
    days_by_lang: dict[str, set[date]] = defaultdict(set)
    for _, release in releases:
        if release.event:
            days_by_lang[release.lang].add(release.event.value)
    same_day: dict[date, list[tuple[int, str]]] = defaultdict(list)
    for lang, days in days_by_lang.items():  # only releases in other languages: a few, not the whole day
        for other, day, other_lang in conn.execute(
            select(ReleaseRow.id, ReleaseRow.event_date, ReleaseRow.lang).where(
                ReleaseRow.event_date.in_(days), ReleaseRow.lang != lang
            )
        ):
            same_day[day].append((other, other_lang))

    for release_id, release in releases:
        mine = found[release_id]
        mine |= same_node.get(native_key(release.identity) or "", set())
        if release.event:
            mine |= {other for other, lang in same_day.get(release.event.value, ()) if lang != release.lang}
        found[release_id] = {other for other in mine if other < release_id}
    return found


def _sharing_buckets(index: BandIndex, fps: dict[int, Fingerprints]) -> list[tuple[int, int]]:
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


PENDING_BATCH = 500


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
            assign(conn, self.index, [(row.id, _release_of(row)) for row in rows], self.now)
            self.after_id = rows[-1].id
        return len(rows)


def restore_fingerprints(conn: Connection) -> int:
    """Fingerprint the next batch of filed releases that have none (after an upgrade changed the
    scheme: their texts are read once, then never again); returns how many."""
    # Ids first, from the two keys alone: this runs before every story pass, and almost always
    # finds nothing; reading release rows to learn that cost twice as long (ten times, cold).
    missing = conn.scalars(
        select(StoryMemberRow.release_id)
        .outerjoin(FingerprintRow, FingerprintRow.release_id == StoryMemberRow.release_id)
        .where(FingerprintRow.release_id.is_(None))
        .limit(PENDING_BATCH)
    ).all()
    if missing:
        rows = conn.execute(select(ReleaseRow).where(ReleaseRow.id.in_(missing))).all()
        store_fingerprints(conn, fingerprints_of([(row.id, _release_of(row)) for row in rows]))
    return len(missing)


def _release_of(row: Any) -> Release:
    """What the clustering needs of a stored release, as a Release."""
    return Release(
        source=row.source_key, url=row.url, canonical_url=row.canonical_url, identity=row.identity, title=row.title,
        text=row.text, summary=row.summary, lang=row.lang,
        published=DatedValue(row.published, row.published_provenance or "", "") if row.published else None,
        event=DatedValue(row.event_date, row.event_provenance or "", "") if row.event_date else None,
        dateline_place=row.dateline_place, native_id=row.native_id, listing_only=row.listing_only,
        content_hash=row.content_hash, syndication=row.syndication,
    )  # fmt: skip


def assign(conn: Connection, index: BandIndex, new: Sequence[tuple[int, Release]], now: datetime) -> None:
    """File each release of a batch under a story, in order: a release can join the story of
    one filed just before it in the same batch."""
    fps = fingerprints_of(new)
    wanted = candidate_ids(conn, index, new, fps)
    store_fingerprints(conn, fps)
    filing = Filing(conn, now, [release_id for release_id, _ in new], set().union(*wanted.values()))
    for release_id, release in new:
        filing.file(_as_candidate(release_id, release, fps[release_id], now), wanted[release_id])
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
        found = matches(me, candidates)
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
            # rewrite that did not recognise each other) makes them one.
            merged = False
            for other in found:
                if other.candidate.story_id != story_id and other.candidate.story_id not in self.moved:
                    self.write_members()
                    merged |= _merge(self.conn, other, into=story_id, via=me.release_id)
                    self.moved[other.candidate.story_id] = story_id  # type: ignore[index]
            self.member(me.release_id, story_id, best.relation, best.candidate.release_id, best.score, best.evidence)
            self.elect(story_id, me, full=merged)
        self.filed[me.release_id] = story_id
        self.loaded[me.release_id] = dataclasses.replace(me, story_id=story_id)

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
