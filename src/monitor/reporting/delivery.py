"""Draining the delivery queue: each due (issue, recipient) gets one message, or a dry run
writes it to the outbox. Outcomes are recorded per delivery; nothing here decides content.
E-mail goes over one SMTP connection and chat channels through Apprise: neither needs the other
configured, and one being down holds nothing of the other up."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from functools import partial
from pathlib import Path

from monitor.reporting import channels
from monitor.reporting.chat import ChatMessage
from monitor.reporting.editions import Edition, load_edition
from monitor.reporting.files import make_folder, replace_whole
from monitor.reporting.headlines import headlines, issue_url
from monitor.reporting.ledger import due, mark_interrupted, mark_sending, record_outcome, record_parts
from monitor.reporting.mailer import Attachment, MailError, SmtpTransport, compose
from monitor.reporting.render import render_email
from monitor.reporting.unsubscribe import unsubscribe_url
from monitor.settings.addresses import address_problem, channel_name, is_channel
from monitor.settings.config import Settings
from monitor.settings.names import file_in
from monitor.storage.models import DeliveryRow
from monitor.storage.store import Store
from monitor.understanding.classify import load_taxonomy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryReport:
    delivery_id: int
    digest: str
    recipient: str
    status: str
    detail: str


def message_for(settings: Settings, edition: Edition, delivery: DeliveryRow, now: datetime) -> EmailMessage:
    """The issue's message to one recipient; a subscriber's carries a one-click unsubscribe
    link (RFC 8058) in its headers and its body."""
    unsubscribe = unsubscribe_url(settings, delivery.subscriber_id) if delivery.subscriber_id else ""
    text, html = render_email(edition.digest, settings.templates_dir, unsubscribe)
    attachment = Attachment(edition.pdf.name, edition.pdf.read_bytes()) if edition.pdf else None
    message = compose(
        sender=settings.mail.sender,
        recipient=delivery.recipient,
        subject=edition.subject if edition.digest.total else f"{edition.subject} (no new activity)",
        message_id=delivery.message_id,
        date=now,
        text=text,
        html=html,
        attachment=attachment,
    )
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def _editions(settings: Settings, store: Store) -> Callable[[int], Edition]:
    cache: dict[int, Edition] = {}
    taxonomy = load_taxonomy(settings.taxonomy_path)

    def edition(run_id: int) -> Edition:
        if run_id not in cache:
            cache[run_id] = load_edition(settings, store, taxonomy, run_id)
        return cache[run_id]

    return edition


def chat_message_for(settings: Settings, edition: Edition) -> ChatMessage:
    return headlines(edition, issue_url(settings, edition.run.id))


def write_outbox(settings: Settings, store: Store, now: datetime, outbox: Path | None = None) -> list[Path]:
    """Dry run: every due message as an .eml file, or a .txt file of the parts a chat channel
    would get; the queue is left as it was."""
    folder = outbox or settings.mail.outbox
    make_folder(folder)
    edition = _editions(settings, store)
    written = []
    for delivery in due(store, now):
        safe = re.sub(r"[^A-Za-z0-9@._-]+", "_", delivery.recipient)
        stem = f"{delivery.run.name}-{delivery.run_id}-{safe}"
        try:
            if is_channel(delivery.recipient):
                message = chat_message_for(settings, edition(delivery.run_id))
                text = channels.preview(settings, channel_name(delivery.recipient), message, _taken(delivery))
                path = file_in(folder, f"{stem}.txt")
                replace_whole(path, text.encode("utf-8"))
            else:
                path = file_in(folder, f"{stem}.eml")
                replace_whole(path, message_for(settings, edition(delivery.run_id), delivery, now).as_bytes())
        except ValueError as exc:
            log.warning("%s for %s: %s", UNBUILT, delivery.recipient, exc)
            continue
        written.append(path)
    return written


Report = Callable[[DeliveryRow, str, str], None]
UNBUILT = "the issue cannot be built"  # a delivery of a digest since removed from the config


def _taken(delivery: DeliveryRow) -> channels.Progress:
    """The parts of a channel delivery's message that earlier attempts posted."""
    return channels.Progress(delivery.parts_sent, delivery.parts_digest)


def _record_taken(store: Store, delivery_id: int, progress: channels.Progress) -> None:
    record_parts(store, delivery_id, progress.sent, progress.digest)


def _send_by_mail(
    settings: Settings,
    store: Store,
    pending: list[DeliveryRow],
    edition: Callable[[int], Edition],
    now: datetime,
    report: Report,
) -> None:
    assert settings.mail.smtp is not None
    tried: set[int] = set()
    try:
        with SmtpTransport(settings.mail.smtp) as transport:
            for delivery in pending:
                # stored before addresses were checked when added: the message's header would name
                # another mailbox ("a(b)@example.org" is written as a@example.org)
                if problem := address_problem(delivery.recipient):
                    report(delivery, "rejected", problem)
                    tried.add(delivery.id)
                    continue
                try:
                    message = message_for(settings, edition(delivery.run_id), delivery, now)
                except ValueError as exc:  # its digest is gone from the config: the others go on
                    report(delivery, "rejected", f"{UNBUILT}: {exc}")
                    tried.add(delivery.id)
                    continue
                result = transport.send(message, lambda d=delivery: mark_sending(store, d.id, now))
                report(delivery, result.status, result.detail)
                tried.add(delivery.id)
    except MailError as exc:  # the server is down: every delivery not yet tried waits for the next run
        for delivery in pending:
            if delivery.id not in tried:
                report(delivery, "failed", str(exc))


def _send_to_channels(
    settings: Settings,
    store: Store,
    pending: list[DeliveryRow],
    edition: Callable[[int], Edition],
    now: datetime,
    report: Report,
) -> None:
    for delivery in pending:
        try:
            message = chat_message_for(settings, edition(delivery.run_id))
        except ValueError as exc:
            report(delivery, "rejected", f"{UNBUILT}: {exc}")
            continue
        before = partial(mark_sending, store, delivery.id, now)
        taken = partial(_record_taken, store, delivery.id)
        result = channels.send(settings, channel_name(delivery.recipient), message, before, _taken(delivery), taken)
        report(delivery, result.status, result.detail)


def send_due(settings: Settings, store: Store, now: datetime) -> list[DeliveryReport]:
    """Send every due delivery, e-mail over one SMTP connection and chat channels through
    Apprise, and record each outcome. Raises MailError, once the channels have had theirs, if
    e-mail is due and no SMTP server is configured."""
    mark_interrupted(store)
    pending = due(store, now)
    if not pending:
        return []
    edition = _editions(settings, store)
    reports = []

    def report(delivery: DeliveryRow, status: str, detail: str) -> None:
        row = record_outcome(store, delivery.id, status, now, "" if status == "sent" else detail)
        reports.append(DeliveryReport(delivery.id, delivery.run.name, delivery.recipient, row.status, detail))

    by_mail = [d for d in pending if not is_channel(d.recipient)]
    if by_mail and settings.mail.smtp is not None:
        _send_by_mail(settings, store, by_mail, edition, now, report)
    _send_to_channels(settings, store, [d for d in pending if is_channel(d.recipient)], edition, now, report)
    if by_mail and settings.mail.smtp is None:
        raise MailError("MONITOR_SMTP_HOST is not set: no e-mail can be sent (use --dry-run to write .eml files)")
    return reports
