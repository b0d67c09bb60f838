"""Mail delivery against real SMTP servers on loopback: outage, retries, TLS, login, maildir."""

from __future__ import annotations

import ssl
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select

from kiosk.mail import outbox
from kiosk.mail.messages import activation_mail
from kiosk.mail.transports import MaildirTransport, SmtpTransport
from kiosk.mail.worker import BatchReport, OutboxWorker
from kiosk.runtime import Runtime
from kiosk.storage.models import OutboxMessage
from tests.support.clock import MovableClock
from tests.support.database import stored
from tests.support.demo import register_demo
from tests.support.installation import TEST_SECRET_KEY
from tests.support.mail import SmtpSink, read_code
from tests.support.network import free_port


async def statuses(runtime: Runtime) -> list[tuple[str, int]]:
    rows = await stored(runtime, select(OutboxMessage).order_by(OutboxMessage.id))
    return [(row.status, row.attempts) for row in rows]


async def test_smtp_down_then_back_delivers_exactly_once(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    smtp.stop()
    await register_demo(runtime.services)  # the account exists, the message waits
    report = await runtime.worker.deliver_all_due()
    assert report == BatchReport(sent=0, retried=1, abandoned=0)
    assert await statuses(runtime) == [("pending", 1)]
    # Not due yet: nothing is attempted before the delay.
    assert await runtime.worker.deliver_all_due() == BatchReport()
    smtp.start()
    clock.advance(timedelta(seconds=31))
    assert (await runtime.worker.deliver_all_due()).sent == 1
    assert await runtime.worker.deliver_all_due() == BatchReport()
    clock.advance(timedelta(hours=1))
    assert await runtime.worker.deliver_all_due() == BatchReport()
    messages = await smtp.wait_for(1)
    assert len(messages) == 1
    assert await statuses(runtime) == [("sent", 2)]
    assert (await runtime.services.redemption.redeem(read_code(messages[0]))).purpose == (
        "activation"
    )


async def test_five_failures_abandon_the_message_and_log_it(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock, caplog: pytest.LogCaptureFixture
) -> None:
    smtp.stop()
    await register_demo(runtime.services)
    delays = []
    for _attempt in range(5):
        report = await runtime.worker.deliver_all_due()
        assert report.sent == 0
        delays.append(report)
        clock.advance(timedelta(hours=1))
    assert delays[-1] == BatchReport(abandoned=1)
    assert await statuses(runtime) == [("abandoned", 5)]
    [row] = await stored(runtime, select(OutboxMessage))
    assert row.body_text is None and row.body_html is None
    assert any("abandoned" in record.getMessage() for record in caplog.records)


async def test_retry_delays_grow(runtime: Runtime, smtp: SmtpSink, clock: MovableClock) -> None:
    smtp.stop()
    await register_demo(runtime.services)
    start = clock.now
    waits = []
    for _ in range(4):
        await runtime.worker.deliver_all_due()
        [row] = await stored(runtime, select(OutboxMessage))
        waits.append(row.next_attempt_at - clock.now)
        clock.now = row.next_attempt_at
    assert waits == list(outbox.RETRY_DELAYS) and clock.now > start
    assert waits == sorted(waits)


class CountingSink(SmtpSink):
    def __init__(self) -> None:
        super().__init__()
        self.connections = 0

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses


async def test_one_connection_is_reused_across_a_batch(
    runtime: Runtime, clock: MovableClock
) -> None:
    sink = CountingSink()
    sink.start()
    try:
        worker = OutboxWorker(
            runtime.worker.sessions, sink.transport(), sender="kiosk@example.fr", clock=clock
        )
        async with runtime.services.context.unit_of_work() as uow:
            for number in range(10):
                outbox.enqueue(
                    uow,
                    activation_mail(
                        f"c{number}@example.fr",
                        "Léa",
                        "AAAA-BBBB-CCCC",
                        "https://x/code?c=AAAA-BBBB-CCCC",
                        "Eaux",
                        "48",
                    ),
                    clock.now,
                )
            await uow.commit()
        assert (await worker.deliver_all_due()).sent == 10
        assert len(await sink.wait_for(10)) == 10
        assert sink.connections == 1
    finally:
        sink.stop()


@pytest.fixture(scope="module")
def certificate_authority() -> trustme.CA:
    return trustme.CA()


class Authenticator:
    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"kiosk",
            b"relay-password",
        )
        return AuthResult(success=ok)


@pytest.fixture(params=["starttls", "tls"])
def tls_sink(
    request: pytest.FixtureRequest, certificate_authority: trustme.CA
) -> Iterator[tuple[SmtpSink, str, ssl.SSLContext]]:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    certificate_authority.configure_trust(client_context)
    sink = SmtpSink()
    mode = request.param
    kwargs: dict[str, Any] = {"authenticator": Authenticator(), "auth_require_tls": True}
    if mode == "starttls":
        kwargs.update(tls_context=server_context, require_starttls=True)
    else:
        # aiosmtpd does not count implicit TLS as TLS for auth_require_tls; it is TLS all along.
        kwargs.update(ssl_context=server_context, auth_require_tls=False)
    sink.controller = Controller(sink, hostname=sink.host, port=sink.port, **kwargs)
    sink.controller.start()
    yield sink, mode, client_context
    sink.stop()


async def test_tls_and_login(
    runtime: Runtime, clock: MovableClock, tls_sink: tuple[SmtpSink, str, ssl.SSLContext]
) -> None:
    sink, mode, client_context = tls_sink
    transport = SmtpTransport(
        sink.host,
        sink.port,
        security=mode,
        username="kiosk",
        password="relay-password",
        timeout=5,
        tls_context=client_context,
    )
    worker = OutboxWorker(runtime.worker.sessions, transport, sender="k@example.fr", clock=clock)
    await register_demo(runtime.services)
    assert (await worker.deliver_all_due()).sent == 1
    [message] = await sink.wait_for(1)
    assert message["Subject"] == "Activez votre espace client"
    wrong = SmtpTransport(
        sink.host,
        sink.port,
        security=mode,
        username="kiosk",
        password="wrong",
        # With a refused login this aiosmtpd/aiosmtplib pair ends up waiting for a reply that
        # never comes; the worker sees a timeout and retries, as for any server gone silent.
        timeout=0.5,
        tls_context=client_context,
    )
    async with runtime.services.context.unit_of_work() as uow:
        outbox.enqueue(
            uow,
            activation_mail("x@example.fr", "X", "AAAA-BBBB-CCCC", "https://x", "Eaux", "48"),
            clock.now,
        )
        await uow.commit()
    refused = OutboxWorker(runtime.worker.sessions, wrong, sender="k@example.fr", clock=clock)
    assert (await refused.deliver_all_due()).retried == 1


async def test_a_server_that_drops_the_connection_is_retried(
    runtime: Runtime, clock: MovableClock
) -> None:
    import asyncio

    port = free_port()

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 hello\r\n")
        await writer.drain()
        await reader.readline()
        writer.close()

    server = await asyncio.start_server(drop, "127.0.0.1", port)
    try:
        worker = OutboxWorker(
            runtime.worker.sessions,
            SmtpTransport("127.0.0.1", port, security="none", timeout=2),
            sender="k@example.fr",
            clock=clock,
        )
        await register_demo(runtime.services)
        assert await worker.deliver_all_due() == BatchReport(retried=1)
    finally:
        server.close()
        await server.wait_closed()


async def test_maildir_and_the_mail_command(runtime: Runtime, tmp_path: Path) -> None:
    folder = tmp_path / "data" / "mail"
    worker = OutboxWorker(
        runtime.worker.sessions,
        MaildirTransport(folder),
        sender="k@example.fr",
        clock=runtime.services.context.clock,
    )
    await register_demo(runtime.services)
    assert (await worker.deliver_all_due()).sent == 1
    env = {
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
        "PATH": "/usr/bin:/bin",
    }
    listing = subprocess.run(
        [sys.executable, "-m", "kiosk", "mail"], env=env, text=True, capture_output=True, check=True
    ).stdout
    assert "Activez votre espace client" in listing and "marie.dupont@example.fr" in listing
    shown = subprocess.run(
        [sys.executable, "-m", "kiosk", "mail", "1"],
        env=env,
        text=True,
        capture_output=True,
        check=True,
    ).stdout
    message = EmailMessage()
    message.set_content(shown)
    code = read_code(message)
    assert (await runtime.services.redemption.redeem(code)).purpose == "activation"


async def test_a_slow_relay_never_sends_past_the_claim(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    """A batch stops before its claim runs out, so that no other mailer sends it twice."""

    class SlowClock:
        """Each reading is 20 s later: the relay takes 20 s a message."""

        def __call__(self) -> datetime:
            clock.advance(timedelta(seconds=20))
            return clock.now

    async with runtime.services.context.unit_of_work() as uow:
        for number in range(10):
            outbox.enqueue(
                uow,
                activation_mail(
                    f"c{number}@example.fr",
                    "Léa",
                    "AAAA-BBBB-CCCC",
                    "https://x/code?c=AAAA-BBBB-CCCC",
                    "Eaux",
                    "48",
                ),
                clock.now,
            )
        await uow.commit()
    slow = OutboxWorker(
        runtime.worker.sessions, smtp.transport(), sender="k@example.fr", clock=SlowClock()
    )
    first = await slow.deliver_due()
    assert 0 < first.sent < 10 and first.retried == first.abandoned == 0
    # The rest waits for the claim to run out, then goes out once.
    clock.advance(outbox.CLAIM_LEASE)
    assert (await runtime.worker.deliver_all_due()).sent == 10 - first.sent
    assert len(await smtp.wait_for(10)) == 10
