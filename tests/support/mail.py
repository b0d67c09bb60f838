"""A real SMTP server on loopback (aiosmtpd) and what tests read in the e-mails it receives."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import threading
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from kiosk.mail.transports import SmtpTransport
from tests.support.network import free_port

CODE_PATTERN = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")


class SmtpSink:
    """A real aiosmtpd server on loopback that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self.host = "127.0.0.1"
        self.port = free_port()
        self.controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """The messages received, once there are at least ``count``."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.messages) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} e-mail(s), got {len(self.messages)}")
            await asyncio.sleep(0.01)
        return list(self.messages)

    def transport(self) -> SmtpTransport:
        return SmtpTransport(self.host, self.port, security="none", timeout=5)


def plain_text(message: EmailMessage) -> str:
    """The plain-text part of a delivered e-mail."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "no plain-text part"
    content: str = body.get_content()
    return content


def read_code(message: EmailMessage) -> str:
    """The ``XXXX-XXXX-XXXX`` code of a delivered e-mail (from its plain-text part)."""
    match = CODE_PATTERN.search(plain_text(message))
    assert match is not None, "no code in the e-mail"
    return match.group(0)
