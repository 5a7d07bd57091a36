"""Digest issues and their deliveries in the database.

An issue covers one period of a digest definition and carries the stories first seen since the
previous issue that no earlier issue carried; it is recorded once per (definition, period end).
Its deliveries are queued when it is issued, one per recipient, and drained by the mailer."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from monitor.reporting.selection import issue_window
from monitor.reporting.subscriptions import Recipient
from monitor.settings.definitions import DigestDefinition
from monitor.storage.engine import as_utc
from monitor.storage.models import DeliveryRow, DigestItemRow, DigestRunRow, ReleaseRow, StoryMemberRow, StoryRow
from monitor.storage.store import Store

RETRY_BASE = timedelta(minutes=15)
RETRY_CAP = timedelta(hours=12)
MAX_ATTEMPTS = 8  # about two days of retries; then the delivery is abandoned and shown as such
RETRYABLE = ("pending", "failed")


def _story_query():  # type: ignore[no-untyped-def]
    return select(StoryRow).options(
        selectinload(StoryRow.canonical).selectinload(ReleaseRow.tags),
        selectinload(StoryRow.members).selectinload(StoryMemberRow.release).selectinload(ReleaseRow.tags),
    )


def message_id(run: DigestRunRow, recipient: str, domain: str) -> str:
    """The same issue to the same recipient always has the same Message-ID."""
    digest = hashlib.sha256(f"{run.name}\n{run.period_end:%Y%m%dT%H%M%S}\n{recipient.lower()}".encode()).hexdigest()
    return f"<digest.{run.name}.{as_utc(run.period_end):%Y%m%d%H%M}.{digest[:20]}@{domain}>"


def issue(
    store: Store,
    definition: DigestDefinition,
    now: datetime,
    wanted: Callable[[StoryRow], bool],
    domain: str,
    recipients: Sequence[Recipient],
) -> tuple[DigestRunRow, bool]:
    """The issue for the period ending at the definition's last boundary before `now`, and whether
    it was created now, with a delivery queued to each recipient (an empty issue only to those who
    want the note). After downtime one issue covers the whole gap; an issue that exists (or a
    later one, if the clock went back) is returned as it is."""
    end = definition.last_boundary(now)
    try:
        with store.session() as session, session.begin():
            runs = select(DigestRunRow).where(DigestRunRow.name == definition.name)
            latest = session.scalar(runs.order_by(DigestRunRow.period_end.desc()).limit(1))
            if latest is not None and as_utc(latest.period_end) >= end:
                return latest, False
            first = session.scalar(runs.order_by(DigestRunRow.period_end).limit(1))
            start, floor = issue_window(
                definition,
                end,
                as_utc(latest.period_end) if latest else None,
                as_utc(first.period_start) if first else None,
            )
            carried = select(DigestItemRow.story_id).where(DigestItemRow.name == definition.name)
            candidates = session.scalars(
                _story_query().where(
                    StoryRow.created_at >= floor, StoryRow.created_at < end, StoryRow.id.not_in(carried)
                )
            ).all()
            chosen = [story for story in candidates if wanted(story)]
            run = DigestRunRow(
                name=definition.name,
                period_start=start,
                period_end=end,
                created_at=now,
                stories=len(chosen),
                pdf_path="",
            )
            session.add(run)
            session.flush()
            session.add_all(DigestItemRow(name=definition.name, story_id=s.id, run_id=run.id) for s in chosen)
            # one delivery per address however it is cased (its Message-ID is made from it lowercased): the first asked
            once = {r.address.lower(): r for r in reversed(recipients)}
            session.add_all(
                DeliveryRow(
                    run_id=run.id,
                    recipient=r.address,
                    message_id=message_id(run, r.address, domain),
                    status="pending",
                    attempts=0,
                    error="",
                    subscriber_id=r.subscriber_id,
                )
                for r in once.values()
                if chosen or r.wants_empty
            )
        return run, True
    except IntegrityError:  # another process issued the same period a moment ago
        with store.session() as session:
            run = session.scalar(
                select(DigestRunRow).where(DigestRunRow.name == definition.name, DigestRunRow.period_end == end)
            )
            if run is None:
                raise
            return run, False


def run_stories(store: Store, run_id: int) -> list[StoryRow]:
    """The stories an issue carried (a story merged into another since is left out)."""
    with store.session() as session:
        ids = select(DigestItemRow.story_id).where(DigestItemRow.run_id == run_id)
        return list(session.scalars(_story_query().where(StoryRow.id.in_(ids)).order_by(StoryRow.id)))


def get_run(store: Store, run_id: int) -> DigestRunRow | None:
    with store.session() as session:
        return session.get(DigestRunRow, run_id)


def runs(store: Store, name: str | None = None, limit: int = 20) -> list[DigestRunRow]:
    """The latest issues, newest first."""
    with store.session() as session:
        query = select(DigestRunRow).order_by(DigestRunRow.period_end.desc(), DigestRunRow.id.desc()).limit(limit)
        if name:
            query = query.where(DigestRunRow.name == name)
        return list(session.scalars(query))


def set_pdf_path(store: Store, run_id: int, path: str) -> None:
    with store.session() as session, session.begin():
        session.execute(update(DigestRunRow).where(DigestRunRow.id == run_id).values(pdf_path=path))


def pdf_of_another_run(store: Store, run_id: int, path: str) -> bool:
    with store.session() as session:
        query = select(DigestRunRow.id).where(DigestRunRow.pdf_path == path, DigestRunRow.id != run_id).limit(1)
        return session.scalar(query) is not None


# --- deliveries ----------------------------------------------------------------------------------
def deliveries(store: Store, statuses: Sequence[str] = (), limit: int = 100) -> list[DeliveryRow]:
    with store.session() as session:
        query = select(DeliveryRow).options(selectinload(DeliveryRow.run)).order_by(DeliveryRow.id.desc()).limit(limit)
        if statuses:
            query = query.where(DeliveryRow.status.in_(statuses))
        return list(session.scalars(query))


def run_deliveries(store: Store, run_id: int) -> list[DeliveryRow]:
    with store.session() as session:
        return list(session.scalars(select(DeliveryRow).where(DeliveryRow.run_id == run_id)))


def deliveries_of(store: Store, subscriber_id: int, limit: int = 20) -> list[DeliveryRow]:
    """A subscriber's latest deliveries, newest first."""
    with store.session() as session:
        query = (
            select(DeliveryRow).options(selectinload(DeliveryRow.run)).where(DeliveryRow.subscriber_id == subscriber_id)
        )
        return list(session.scalars(query.order_by(DeliveryRow.id.desc()).limit(limit)))


def mark_interrupted(store: Store) -> int:
    """Deliveries left `sending` by a process that died between handing the message over and
    recording it: the recipient may have it, so they are not sent again unless asked."""
    with store.session() as session, session.begin():
        result = session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.status == "sending")
            .values(
                status="unconfirmed",
                error="interrupted while sending: look for its Message-ID in the mail server's log, or in the channel",
            )
        )
        return result.rowcount or 0


def due(store: Store, now: datetime) -> list[DeliveryRow]:
    """Deliveries to attempt now, oldest issue first."""
    with store.session() as session:
        query = (
            select(DeliveryRow)
            .options(selectinload(DeliveryRow.run))
            .where(DeliveryRow.status.in_(RETRYABLE))
            .where((DeliveryRow.next_attempt_at.is_(None)) | (DeliveryRow.next_attempt_at <= now))
            .order_by(DeliveryRow.run_id, DeliveryRow.recipient)
        )
        return list(session.scalars(query))


def mark_sending(store: Store, delivery_id: int, now: datetime) -> None:
    with store.session() as session, session.begin():
        session.execute(
            update(DeliveryRow)
            .where(DeliveryRow.id == delivery_id)
            .values(status="sending", last_attempt_at=now, attempts=DeliveryRow.attempts + 1)
        )


def record_parts(store: Store, delivery_id: int, sent: int, digest: str) -> None:
    """A chat channel took the delivery's first `sent` parts (their digest given): kept before the
    next part goes out, so that a failure or a crash after it never makes a retry post them again."""
    with store.session() as session, session.begin():
        session.execute(
            update(DeliveryRow).where(DeliveryRow.id == delivery_id).values(parts_sent=sent, parts_digest=digest)
        )


def record_outcome(store: Store, delivery_id: int, status: str, now: datetime, error: str = "") -> DeliveryRow:
    """Store what an attempt ended in; a failure is retried later with a growing delay."""
    with store.session() as session, session.begin():
        row = session.get(DeliveryRow, delivery_id)
        assert row is not None
        if row.status != "sending":  # failed before the data was handed over
            row.attempts += 1
            row.last_attempt_at = now
        row.status, row.error = status, error[:1000]
        row.next_attempt_at = None
        if status == "sent":
            row.sent_at = now
        elif status == "failed":
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "abandoned"
            else:
                row.next_attempt_at = now + min(RETRY_BASE * 2 ** (row.attempts - 1), RETRY_CAP)
        return row


def requeue(store: Store, delivery_id: int) -> DeliveryRow | None:
    """Queue a delivery again by hand (an unconfirmed, rejected or abandoned one); it keeps its
    Message-ID, and a channel's message resumes after the parts the channel has taken."""
    with store.session() as session, session.begin():
        row = session.get(DeliveryRow, delivery_id)
        if row is not None and row.status != "sent":
            row.status, row.next_attempt_at, row.error = "pending", None, ""
        return row
