"""Writing releases: new ones in bulk, known ones merged, changed texts kept as revisions.

A crawl writes a batch of releases at a time with a few statements in all, not a few per
release, so that storing keeps up with fetching."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.records import Release, Tag
from monitor.storage import search
from monitor.storage.models import ReleaseRow, RevisionRow, SeenEntryRow, TagRow

# Better provenance wins when the same release is seen again (a page's meta tag beats a listing).
PROVENANCE_RANK = {
    name: rank
    for rank, name in enumerate(
        ("meta", "label", "import", "listing", "feed", "byline", "time", "dateline", "signed", "htmldate", "updated", "year")
    )
}

# What a new text of a known release replaces; its identity, first sighting and best date stay.
TEXT_FIELDS = (
    "native_id", "url", "canonical_url", "title", "text", "summary", "lang", "event_date", "event_provenance",
    "content_hash", "listing_only", "last_seen_at", "updated_at",
)  # fmt: skip

Batch = Sequence[tuple[Release, Sequence[Tag], str]]  # (release, tags, listing fingerprint)


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def write_batch(session: Session, batch: Batch, now: datetime) -> list[Outcome]:
    """Store a batch; one outcome per release, in order."""
    identities = {release.identity for release, _, _ in batch}
    rows = {row.identity: row for row in session.scalars(select(ReleaseRow).where(ReleaseRow.identity.in_(identities)))}
    hashes = {r.content_hash for r, _, _ in batch if r.content_hash and not r.listing_only}
    originals: dict[str, int] = {}
    for release_id, content_hash in session.execute(
        select(ReleaseRow.id, ReleaseRow.content_hash)
        .where(ReleaseRow.content_hash.in_(hashes), ReleaseRow.duplicate_of_id.is_(None))
        .order_by(ReleaseRow.id.desc())
    ):
        originals[content_hash] = release_id  # newest first, so the oldest wins

    outcomes: list[Outcome] = []
    pending: list[tuple[Release, Sequence[Tag]]] = []
    pending_identities: set[str] = set()
    for release, tags, _ in batch:
        if release.identity in pending_identities:
            # The same release twice in one batch (a listing and a feed): write the first, then merge.
            _insert_new(session, pending, now, originals)
            pending, pending_identities = [], set()
            rows[release.identity] = session.scalars(
                select(ReleaseRow).where(ReleaseRow.identity == release.identity)
            ).one()
        row = rows.get(release.identity)
        if row is None:
            pending.append((release, tags))
            pending_identities.add(release.identity)
            outcomes.append(Outcome.NEW)
        else:
            with session.no_autoflush:
                outcomes.append(_update_row(session, row, release, tags, now))
    _insert_new(session, pending, now, originals)
    _record_seen(session, batch, now)
    session.flush()
    return outcomes


def _release_values(release: Release, now: datetime) -> dict[str, Any]:
    published = release.published
    return {
        "identity": release.identity,
        "source_key": release.source,
        "native_id": release.native_id,
        "url": release.url,
        "canonical_url": release.canonical_url,
        "title": release.title,
        "text": release.text,
        "summary": release.summary,
        "lang": release.lang,
        "published": published.value if published else None,
        "published_provenance": published.provenance if published else None,
        "published_raw": published.raw[:200] if published and published.raw else None,
        "event_date": release.event.value if release.event else None,
        "event_provenance": release.event.provenance if release.event else None,
        "dateline_place": release.dateline_place[:100] if release.dateline_place else None,
        "facets": release.facets,
        "captions": release.captions,
        "content_hash": release.content_hash,
        "listing_only": release.listing_only,
        "syndication": release.syndication,
        "duplicate_of_id": None,
        "first_seen_at": now,
        "last_seen_at": now,
        "updated_at": now,
    }


def _insert_new(
    session: Session, pending: list[tuple[Release, Sequence[Tag]]], now: datetime, originals: dict[str, int]
) -> None:
    if not pending:
        return
    values = [_release_values(release, now) for release, _ in pending]
    first_in_batch: dict[str, int] = {}
    copies_in_batch: list[tuple[int, int]] = []  # (index, index of the first with the same text)
    for index, (release, _) in enumerate(pending):
        if release.listing_only or not release.content_hash:
            continue
        if release.content_hash in originals:
            values[index]["duplicate_of_id"] = originals[release.content_hash]
        elif release.content_hash in first_in_batch:
            copies_in_batch.append((index, first_in_batch[release.content_hash]))
        else:
            first_in_batch[release.content_hash] = index
    # Core statements on the session's connection: the ORM's bulk path adds bookkeeping per row
    # that none of these rows needs (nothing is loaded into the session).
    conn = session.connection()
    conn.execute(insert(ReleaseRow.__table__), values)
    # Ids read back by identity: RETURNING in parameter order makes SQLite insert a row at a time,
    # and unordered RETURNING (a multi-row VALUES built in Python) costs more than this query.
    id_of = dict(
        conn.execute(
            select(ReleaseRow.identity, ReleaseRow.id).where(ReleaseRow.identity.in_([v["identity"] for v in values]))
        ).all()
    )
    ids = [id_of[v["identity"]] for v in values]
    if copies_in_batch:
        session.execute(
            update(ReleaseRow), [{"id": ids[index], "duplicate_of_id": ids[first]} for index, first in copies_in_batch]
        )
    originals.update({content_hash: ids[index] for content_hash, index in first_in_batch.items()})
    revisions = [
        _revision_values(release_id, 1, release, now)
        for release_id, (release, _) in zip(ids, pending, strict=True)
        if not release.listing_only
    ]
    if revisions:
        conn.execute(insert(RevisionRow.__table__), revisions)
    tags = [
        {"release_id": release_id, "kind": tag.kind, "value": tag.value, "evidence": list(tag.evidence)}
        for release_id, (_, release_tags) in zip(ids, pending, strict=True)
        for tag in release_tags
    ]
    if tags:
        conn.execute(insert(TagRow.__table__), tags)
    search.add(
        conn,
        [
            (release_id, release.title, release.text, release.lang)
            for release_id, (release, _) in zip(ids, pending, strict=True)
        ],
    )


def _revision_values(release_id: int, number: int, release: Release, now: datetime) -> dict[str, Any]:
    return {
        "release_id": release_id,
        "number": number,
        "seen_at": now,
        "url": release.url,
        "title": release.title,
        "text": release.text,
        "content_hash": release.content_hash,
    }


def _update_row(session: Session, row: ReleaseRow, release: Release, tags: Sequence[Tag], now: datetime) -> Outcome:
    row.last_seen_at = now
    _merge_metadata(row, release)
    if release.listing_only or release.content_hash == row.content_hash:
        return Outcome.UNCHANGED
    # A new text: the first full text of a release known from a listing, or an edit.
    values = _release_values(release, now)
    indexed = (row.id, row.title, row.text, row.lang)
    for name in TEXT_FIELDS:
        setattr(row, name, values[name])
    row.dateline_place = release.dateline_place or row.dateline_place
    row.revisions.append(RevisionRow(**_revision_values(row.id, len(row.revisions) + 1, release, now)))
    _retag(row, tags)
    search.replace(session.connection(), indexed, (row.id, row.title, row.text, row.lang))
    from monitor.storage import fingerprints  # rarely needed; spares a crawl process numpy

    fingerprints.fingerprint(session.connection(), row.id, release)  # the story stays; its fingerprints follow
    return Outcome.UPDATED


def _merge_metadata(row: ReleaseRow, release: Release) -> None:
    """Keep the best-sourced publication date and the union of facets and captions."""
    if release.published and (
        row.published is None
        or PROVENANCE_RANK.get(release.published.provenance, 9) < PROVENANCE_RANK.get(row.published_provenance or "", 9)
    ):
        row.published = release.published.value
        row.published_provenance = release.published.provenance
        row.published_raw = release.published.raw
    facets = {key: list(values) for key, values in (row.facets or {}).items()}
    for key, values in release.facets.items():
        facets[key] = list(dict.fromkeys([*facets.get(key, []), *values]))
    row.facets = facets
    row.captions = list(dict.fromkeys([*(row.captions or []), *release.captions]))


def _retag(row: ReleaseRow, tags: Sequence[Tag]) -> None:
    """Update tags in place: replacing the collection would insert before it deletes."""
    wanted = {(t.kind, t.value): t for t in tags}
    for tag_row in list(row.tags):
        if (tag := wanted.pop((tag_row.kind, tag_row.value), None)) is None:
            row.tags.remove(tag_row)
        else:
            tag_row.evidence = list(tag.evidence)
    row.tags.extend(TagRow(kind=t.kind, value=t.value, evidence=list(t.evidence)) for t in wanted.values())


def _record_seen(session: Session, batch: Batch, now: datetime) -> None:
    """What each source's listing showed of what it delivered (for incremental crawls). The spider
    gives a fingerprint only to what needs no second try: a release read whole, or a teaser of a
    source that keeps teasers; an entry standing in for an article that failed has none."""
    values = {
        (release.source, release.identity): {
            "source_key": release.source,
            "identity": release.identity,
            "fingerprint": fingerprint,
            "seen_at": now,
        }
        for release, _, fingerprint in batch
        if fingerprint
    }
    record_seen_entries(session, list(values.values()))


def record_seen_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    """Upsert (source_key, identity, fingerprint, seen_at) rows of what listings showed."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    upsert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(SeenEntryRow)
    statement = upsert.on_conflict_do_update(
        index_elements=["source_key", "identity"],
        set_={"fingerprint": upsert.excluded.fingerprint, "seen_at": upsert.excluded.seen_at},
    )
    session.execute(statement, rows)
