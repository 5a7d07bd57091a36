"""A real SMTP server for mail tests: aiosmtpd on 127.0.0.1, recording what it accepts."""

from __future__ import annotations

import email
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Recorder:
    """The handler: accepts every recipient except those in `refuse`, keeps every message."""

    refuse: dict[str, str] = field(default_factory=dict)  # address -> SMTP reply
    refuse_data: dict[str, str] = field(default_factory=dict)  # address -> reply to the message itself
    messages: list[tuple[list[str], Message]] = field(default_factory=list)
    on_data: Callable[[], None] | None = None  # runs after a message is kept, before the reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if refusal := next((self.refuse_data[a] for a in envelope.rcpt_tos if a in self.refuse_data), None):
            return refusal
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=default)))
        if self.on_data is not None:
            self.on_data()
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [message for rcpts, message in self.messages if address in rcpts]


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.recorder = Recorder()
        self.controller: Controller | None = None

    def start(self) -> SmtpServer:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def environ(self) -> dict[str, str]:
        return {"MONITOR_SMTP_HOST": "127.0.0.1", "MONITOR_SMTP_PORT": str(self.port), "MONITOR_SMTP_SECURITY": "none"}
