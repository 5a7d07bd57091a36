"""Alerts: a failing source, a failed job or a failed delivery opens an incident; the admin is
mailed once when it opens and once when it recovers. Incidents are derived from the stored
state after every job, so cron runs and the scheduler alert alike."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from monitor.reporting.mailer import MailError, SmtpTransport, compose, sender_domain
from monitor.settings.config import Settings
from monitor.storage.job_runs import latest
from monitor.storage.models import DeliveryRow, IncidentRow, SourceRow
from monitor.storage.store import Store

logger = logging.getLogger(__name__)
UNDELIVERED = ("failed", "rejected", "unconfirmed", "abandoned")


@dataclass(frozen=True)
class Problem:
    key: str
    summary: str


def current_problems(store: Store) -> list[Problem]:
    """What is wrong now, one entry per thing that can recover."""
    problems = []
    with store.session() as session:
        for source in session.scalars(select(SourceRow).where(SourceRow.health == "failing")):
            problems.append(Problem(f"source:{source.key}", f"source {source.key} is failing: {source.health_reason}"))
        # each recipient's newest attempted delivery decides: one row each, however long the history
        newest = select(func.max(DeliveryRow.id)).where(DeliveryRow.attempts > 0).group_by(DeliveryRow.recipient)
        for delivery in session.scalars(select(DeliveryRow).where(DeliveryRow.id.in_(newest))):
            if delivery.status in UNDELIVERED:
                summary = f"digest delivery to {delivery.recipient} {delivery.status}: {delivery.error}"
                problems.append(Problem(f"delivery:{delivery.recipient}", summary))
    for job, run in latest(store).items():
        if run.status == "failed":
            problems.append(Problem(f"job:{job}", f"job {job} failed: {run.message}"))
    return problems


def update_incidents(store: Store, problems: Iterable[Problem], now: datetime) -> None:
    """Open an incident for each new problem, close those whose problem is gone."""
    wanted = {p.key: p for p in problems}
    with store.session() as session, session.begin():
        open_rows = {
            row.key: row for row in session.scalars(select(IncidentRow).where(IncidentRow.closed_at.is_(None)))
        }
        for key, problem in wanted.items():
            if key not in open_rows:
                session.add(
                    IncidentRow(
                        key=key, summary=problem.summary, opened_at=now, opened_notified=False, closed_notified=False
                    )
                )
        for key, row in open_rows.items():
            if key not in wanted:
                row.closed_at = now
                if not row.opened_notified:  # never told it began: no need to tell it ended
                    row.closed_notified = True


def open_incidents(store: Store) -> list[IncidentRow]:
    with store.session() as session:
        return list(
            session.scalars(select(IncidentRow).where(IncidentRow.closed_at.is_(None)).order_by(IncidentRow.id))
        )


def _unnotified(store: Store) -> list[IncidentRow]:
    with store.session() as session:
        opening = IncidentRow.closed_at.is_(None) & ~IncidentRow.opened_notified
        recovery = IncidentRow.closed_at.is_not(None) & IncidentRow.opened_notified & ~IncidentRow.closed_notified
        query = select(IncidentRow).where(opening | recovery)
        return list(session.scalars(query.order_by(IncidentRow.id)))


def notify(settings: Settings, store: Store, now: datetime) -> int:
    """Mail the admin about incidents not yet told; returns how many messages went out. Without
    an admin address or SMTP server the incidents wait, and are told once mail is configured."""
    mail = settings.mail
    pending = _unnotified(store)
    if not pending or not mail.admin or mail.smtp is None:
        return 0
    sent = 0
    try:
        with SmtpTransport(mail.smtp) as transport:
            for incident in pending:
                recovered = incident.closed_at is not None
                state = "RECOVERED" if recovered else "FAILING"
                body = (
                    f"{incident.summary}\n\nOpened {incident.opened_at:%Y-%m-%d %H:%M} UTC."
                    + (f"\nRecovered {incident.closed_at:%Y-%m-%d %H:%M} UTC." if recovered else "")
                    + "\n\n`monitor status` shows the whole picture.\n"
                )
                message = compose(
                    sender=mail.sender,
                    recipient=mail.admin,
                    subject=f"[monitor] {state}: {incident.key}",
                    message_id=f"<incident.{incident.id}.{'closed' if recovered else 'opened'}@{sender_domain(mail.sender)}>",
                    date=now,
                    text=body,
                    html=None,
                    attachment=None,
                )
                if transport.send(message, lambda: None).status != "sent":
                    continue
                with store.session() as session, session.begin():
                    row = session.get(IncidentRow, incident.id)
                    assert row is not None
                    if recovered:
                        row.closed_notified = True
                    else:
                        row.opened_notified = True
                sent += 1
    except MailError as exc:
        logger.warning("alerts not sent: %s", exc)
    return sent


def raise_alerts(settings: Settings, store: Store, now: datetime) -> int:
    update_incidents(store, current_problems(store), now)
    return notify(settings, store, now)
