"""Alerts: a failing source, a failed job or a failed delivery opens an incident; the admin
addresses (e-mail, chat channels) are told once when it opens and once when it recovers.
Incidents are derived from the stored state after every job, so cron runs and the scheduler
alert alike."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from monitor.reporting import channels
from monitor.reporting.chat import ChatMessage, untrusted
from monitor.reporting.mailer import MailError, SmtpTransport, compose, sender_domain
from monitor.settings.addresses import channel_name, is_channel
from monitor.settings.config import Settings
from monitor.storage import incidents
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
        open_rows = incidents.open_incidents(session)
        new = [
            {
                "key": key,
                "summary": problem.summary,
                "opened_at": now,
                "opened_notified": False,
                "closed_notified": False,
            }
            for key, problem in wanted.items()
            if key not in open_rows
        ]
        incidents.open_new(session, new)  # a job ending at the same time may open the same ones: one stays
        for key, row in open_rows.items():
            if key not in wanted:
                row.closed_at = now
                # never told it began, and no one telling it now: no need to tell it ended
                if not row.opened_notified and row.sending is None:
                    row.closed_notified = True


def open_incidents(store: Store) -> list[IncidentRow]:
    with store.session() as session:
        return list(incidents.open_incidents(session).values())


@dataclass(frozen=True)
class Notice:
    """What the admin is told about one incident, by e-mail or in a chat channel."""

    incident_id: int
    recovered: bool
    subject: str
    lines: tuple[str, ...]


def _notice(incident: IncidentRow) -> Notice:
    recovered = incident.closed_at is not None
    lines = (incident.summary, f"Opened {incident.opened_at:%Y-%m-%d %H:%M} UTC.")
    if incident.closed_at is not None:
        lines += (f"Recovered {incident.closed_at:%Y-%m-%d %H:%M} UTC.",)
    state = "RECOVERED" if recovered else "FAILING"
    return Notice(incident.id, recovered, f"[monitor] {state}: {incident.key}", lines)


def _mail(settings: Settings, addresses: list[str], notices: list[Notice], now: datetime) -> set[int]:
    """E-mail each notice to each address over one connection; the incidents told to someone."""
    mail = settings.mail
    told: set[int] = set()
    if not addresses or not notices or mail.smtp is None:
        return told
    try:
        with SmtpTransport(mail.smtp) as transport:
            for notice in notices:
                body = f"{notice.lines[0]}\n\n" + "\n".join(notice.lines[1:])
                body += "\n\n`monitor status` shows the whole picture.\n"
                state = "closed" if notice.recovered else "opened"
                for address in addresses:
                    message = compose(
                        sender=mail.sender,
                        recipient=address,
                        subject=notice.subject,
                        message_id=f"<incident.{notice.incident_id}.{state}@{sender_domain(mail.sender)}>",
                        date=now,
                        text=body,
                        html=None,
                        attachment=None,
                    )
                    if transport.send(message, lambda: None).status == "sent":
                        told.add(notice.incident_id)
    except MailError as exc:
        logger.warning("alerts not mailed: %s", exc)
    return told


def _post(settings: Settings, names: list[str], notices: list[Notice]) -> set[int]:
    """Post each notice to each chat channel; the incidents told to someone."""
    told: set[int] = set()
    for notice in notices:
        # an incident's summary quotes servers and sources: untrusted like any scraped text
        blocks = (untrusted(notice.lines[0], 1000), *notice.lines[1:], "`monitor status` shows the whole picture.")
        for name in names:
            result = channels.send(settings, name, ChatMessage(notice.subject, blocks), lambda: None)
            if result.status == "sent":
                told.add(notice.incident_id)
            else:
                logger.warning("alert not posted to channel:%s: %s", name, result.detail)
    return told


def notify(settings: Settings, store: Store, now: datetime) -> int:
    """Tell the admin addresses (e-mail and channel:NAME) about incidents not yet told; returns
    how many incidents were told. An incident counts as told once one address has it: without
    a per-address record, trying again would repeat it to the addresses that had it. Without an
    address, or with only e-mail ones and no SMTP server, the incidents wait. Each notice is
    claimed before it is sent, so of jobs ending together one tells it."""
    if not settings.mail.admin:
        return 0
    claim, rows = incidents.claim_notices(store, now)
    if not rows:
        return 0
    pending = [_notice(row) for row in rows]
    emails = [address for address in settings.mail.admin if not is_channel(address)]
    names = [channel_name(address) for address in settings.mail.admin if is_channel(address)]
    told: set[int] = set()
    try:
        told = _mail(settings, emails, pending, now) | _post(settings, names, pending)
    finally:  # those not told are free for the next run to try again
        incidents.settle_notices(store, claim, {n.incident_id: n.recovered for n in pending if n.incident_id in told})
    return len(told)


def raise_alerts(settings: Settings, store: Store, now: datetime) -> int:
    update_incidents(store, current_problems(store), now)
    return notify(settings, store, now)
