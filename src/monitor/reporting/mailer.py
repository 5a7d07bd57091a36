"""E-mail: composing a digest message and handing it to an SMTP server (stdlib email/smtplib).

The transport speaks SMTP step by step so that the caller can record "sending" after the server
accepted the recipient and before the message data goes out: a crash can then only leave a
delivery whose fate is unknown, never one silently lost or sent twice."""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from types import TracebackType

from monitor.settings.config import SmtpSettings
from monitor.understanding.normalize.text import clipped, collapse


class MailError(RuntimeError):
    """The SMTP server cannot be reached or refuses us; the message names host and port."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


@dataclass(frozen=True)
class SendResult:
    status: str  # sent, failed (try again later), rejected (permanent), unconfirmed (fate unknown)
    detail: str = ""


SUBJECT_CHARS = 250  # a subject names a digest and its period; saved searches can make it long
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str, most: int = SUBJECT_CHARS) -> str:
    """Header text on one line: a line break in a header is refused by the email package (and
    would start a header of its own), other control characters have no place there."""
    return clipped(collapse(UNPRINTABLE.sub(" ", text)), most)


def sender_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rsplit("@", 1)[1] if "@" in address else "localhost"


def compose(
    *,
    sender: str,
    recipient: str,
    subject: str,
    message_id: str,
    date: datetime,
    text: str,
    html: str | None,
    attachment: Attachment | None,
) -> EmailMessage:
    """multipart/mixed: a text/HTML alternative, then the PDF when there is one."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = one_line(subject)
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(date)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        message.add_attachment(attachment.data, maintype="application", subtype="pdf", filename=attachment.filename)
    return message


def _permanent(code: int) -> bool:
    return 500 <= code < 600


class SmtpTransport:
    """One connection for a batch of messages; `with SmtpTransport(settings) as smtp:`."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.client: smtplib.SMTP | None = None

    @property
    def where(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def __enter__(self) -> SmtpTransport:
        s = self.settings
        try:
            if s.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout_s, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout_s)
            client.ehlo()
            if s.security == "starttls":
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if s.user:
                client.login(s.user, s.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot use the SMTP server {self.where}: {exc}") from exc
        self.client = client
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (OSError, smtplib.SMTPException):
                self.client.close()

    def send(self, message: EmailMessage, before_data: Callable[[], None]) -> SendResult:
        """Envelope, then `before_data()`, then the data. The result says whether to retry."""
        assert self.client is not None, "use the transport as a context manager"
        sender = parseaddr(str(message["From"]))[1]
        recipient = parseaddr(str(message["To"]))[1]  # checked where it was added (check_address)
        data = message.as_bytes()  # before "sending" is recorded: a message that cannot be written never went out
        client = self.client
        try:
            code, reply = client.mail(sender)
            if code != 250:
                client.rset()
                return SendResult("rejected" if _permanent(code) else "failed", f"MAIL FROM: {code} {reply!r}")
            code, reply = client.rcpt(recipient)
            if code not in (250, 251):
                client.rset()
                return SendResult(
                    "rejected" if _permanent(code) else "failed", f"RCPT TO: {code} {reply.decode(errors='replace')}"
                )
        except (OSError, smtplib.SMTPException) as exc:
            return SendResult("failed", f"{self.where}: {exc}")
        before_data()
        try:
            code, reply = client.data(data)
        except smtplib.SMTPDataError as exc:
            return SendResult(
                "rejected" if _permanent(exc.smtp_code) else "failed", f"DATA: {exc.smtp_code} {exc.smtp_error!r}"
            )
        except (OSError, smtplib.SMTPException) as exc:
            # The data went out but no answer came back: the server may have queued it.
            return SendResult("unconfirmed", f"{self.where}: no answer after the message data: {exc}")
        if code != 250:  # smtplib hands the reply to the message itself back instead of raising
            client.rset()
            return SendResult(
                "rejected" if _permanent(code) else "failed", f"DATA: {code} {reply.decode(errors='replace')}"
            )
        return SendResult("sent", f"{code} {reply.decode(errors='replace')}")
