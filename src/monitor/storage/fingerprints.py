"""Each filed release's fingerprints in the database, and the LSH index built from them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, select

from monitor.records import DatedValue, Release
from monitor.storage.engine import insert_rows
from monitor.storage.models import FingerprintRow, ReleaseRow, StoryMemberRow
from monitor.understanding.band_index import BandIndex, entries
from monitor.understanding.similarity import SIGNATURE_BANDS, Fingerprints, signature_buckets

PENDING_BATCH = 500  # releases read at a time


def sig_bytes(sig: np.ndarray | None) -> bytes | None:
    return None if sig is None else sig.tobytes()


def sig(data: bytes | None) -> np.ndarray | None:
    return None if data is None else np.frombuffer(data, dtype=np.uint32)


def stored_fingerprints(row: Any) -> Fingerprints:
    return Fingerprints(
        text_sig=sig(row.text_sig),
        lead_sig=sig(row.lead_sig),
        key_sig=sig(row.key_sig),
        names=frozenset(row.names.split()),
        numbers=frozenset(row.numbers.split()),
        terms=frozenset(row.terms.split()),
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
        (release_id, sig_bytes(fp.text_sig), sig_bytes(fp.lead_sig), sig_bytes(fp.key_sig),
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
        store_fingerprints(conn, fingerprints_of([(row.id, release_of(row)) for row in rows]))
    return len(missing)


def release_of(row: Any) -> Release:
    """What the clustering needs of a stored release, as a Release."""
    return Release(
        source=row.source_key, url=row.url, canonical_url=row.canonical_url, identity=row.identity, title=row.title,
        text=row.text, summary=row.summary, lang=row.lang,
        published=DatedValue(row.published, row.published_provenance or "", "") if row.published else None,
        event=DatedValue(row.event_date, row.event_provenance or "", "") if row.event_date else None,
        dateline_place=row.dateline_place, native_id=row.native_id, listing_only=row.listing_only,
        content_hash=row.content_hash, syndication=row.syndication,
    )  # fmt: skip
