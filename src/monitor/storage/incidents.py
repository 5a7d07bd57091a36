"""Incidents as several processes see them at once: jobs that end together each derive the
incidents and tell the admin, so opening one and claiming its notice are single guarded
statements, which the database lets one process win."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.storage.models import IncidentRow
from monitor.storage.store import Store

# a notifier that died while sending leaves its claim: after this long another process sends instead
CLAIM_EXPIRES = timedelta(minutes=15)

_OPENING = IncidentRow.closed_at.is_(None) & ~IncidentRow.opened_notified
_RECOVERY = IncidentRow.closed_at.is_not(None) & IncidentRow.opened_notified & ~IncidentRow.closed_notified


def open_incidents(session: Session) -> dict[str, IncidentRow]:
    query = select(IncidentRow).where(IncidentRow.closed_at.is_(None)).order_by(IncidentRow.id)
    return {row.key: row for row in session.scalars(query)}


def open_new(session: Session, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert incidents, skipping each whose key another process has opened meanwhile (the unique
    index over open keys refuses a second one)."""
    rows = list(rows)
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(IncidentRow).on_conflict_do_nothing()
    session.execute(statement, rows)


def claim_notices(store: Store, now: datetime) -> tuple[str, list[IncidentRow]]:
    """Mark every notice waiting to be told as this process's to send, in one UPDATE, and return
    the claim and its incidents: of processes claiming at once, each notice goes to one."""
    claim = secrets.token_hex(16)
    free = IncidentRow.sending.is_(None) | (IncidentRow.sending_since < now - CLAIM_EXPIRES)
    with store.session() as session, session.begin():
        session.execute(
            update(IncidentRow)
            .where((_OPENING | _RECOVERY) & free)
            .values(sending=claim, sending_since=now)
            .execution_options(synchronize_session=False)
        )
        rows = session.scalars(select(IncidentRow).where(IncidentRow.sending == claim).order_by(IncidentRow.id))
        return claim, list(rows)


def settle_notices(store: Store, claim: str, told: Mapping[int, bool]) -> None:
    """Release the claim on each incident; `told` maps those the admin heard of to whether it was
    the recovery, which is then recorded as told."""
    with store.session() as session, session.begin():
        claimed = session.scalars(select(IncidentRow).where(IncidentRow.sending == claim))
        for row in claimed:
            if row.id in told:
                if told[row.id]:
                    row.closed_notified = True
                else:
                    row.opened_notified = True
            row.sending, row.sending_since = None, None
