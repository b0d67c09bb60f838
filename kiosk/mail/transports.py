"""Transports that hand a message over: SMTP (aiosmtplib) and a local maildir (the demo)."""

from __future__ import annotations

import asyncio
import mailbox
import os
import ssl
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib

from kiosk.config import Settings


class TransportError(Exception):
    """The message could not be handed over; the worker will try again later."""


class SmtpTransport:
    """SMTP relay: STARTTLS or TLS, optional login, timeouts, one connection per batch."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: str = "starttls",
        username: str = "",
        password: str = "",
        timeout: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host, self.port, self.security = host, port, security
        self.username, self.password, self.timeout = username, password, timeout
        self.tls_context = tls_context

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpTransport:
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password,
            timeout=settings.smtp_timeout_seconds,
        )

    def connect(self) -> _SmtpSession:
        return _SmtpSession(self)


class _SmtpSession:
    def __init__(self, transport: SmtpTransport) -> None:
        t = transport
        self._client = aiosmtplib.SMTP(
            hostname=t.host,
            port=t.port,
            timeout=t.timeout,
            use_tls=t.security == "tls",
            start_tls=t.security == "starttls",
            tls_context=t.tls_context,
            username=t.username or None,
            password=t.password or None,
        )

    async def __aenter__(self) -> _SmtpSession:
        try:
            await self._client.connect()
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as error:
            raise TransportError(f"SMTP connection failed: {type(error).__name__}") from None
        return self

    async def send(self, message: EmailMessage) -> None:
        try:
            await self._client.send_message(message)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as error:
            raise TransportError(f"SMTP delivery failed: {type(error).__name__}") from None

    async def __aexit__(self, *_exc: object) -> None:
        if self._client.is_connected:
            try:
                await self._client.quit()
            except (TimeoutError, aiosmtplib.SMTPException, OSError):
                self._client.close()


class MaildirTransport:
    """Writes each message into a local maildir, where ``kiosk mail`` reads it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def connect(self) -> _MaildirSession:
        return _MaildirSession(self.folder)


class _MaildirSession:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def __aenter__(self) -> _MaildirSession:
        return self

    async def send(self, message: EmailMessage) -> None:
        try:
            await asyncio.to_thread(self._write, message)
        except OSError as error:
            raise TransportError(f"maildir write failed: {error.strerror}") from None

    def _write(self, message: EmailMessage) -> None:
        self.folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        box = mailbox.Maildir(self.folder, create=True)
        for sub in ("tmp", "new", "cur"):  # a folder made by hand may lack them
            (self.folder / sub).mkdir(mode=0o700, exist_ok=True)
        key = box.add(message)
        # The e-mail carries a code: owner-only even where the process's umask is not the
        # one `kiosk` sets (the folders are 0700 meanwhile). An EmailMessage goes to new/.
        os.chmod(self.folder / "new" / key, 0o600)

    async def __aexit__(self, *_exc: object) -> None:
        return None


def transport_from_settings(settings: Settings) -> SmtpTransport | MaildirTransport:
    if settings.mail_transport == "smtp":
        return SmtpTransport.from_settings(settings)
    return MaildirTransport(settings.resolved_maildir)
