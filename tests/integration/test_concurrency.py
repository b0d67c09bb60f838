"""Kiosks at the same moment on one database: one redemption per code, exact throttles, and
several mailers that deliver every message exactly once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import SAWarning

from kiosk.domain.errors import (
    AccountLocked,
    CodeExpired,
    CodeInvalid,
    InvalidCredentials,
    SubscriberNotFound,
    TooManyAttempts,
)
from kiosk.mail import messages
from kiosk.mail.outbox import enqueue
from kiosk.mail.worker import OutboxWorker
from kiosk.runtime import Runtime
from kiosk.services import Redeemed, throttles
from kiosk.storage.models import Account, OutboxMessage, ThrottleEvent
from tests.support.clock import MovableClock
from tests.support.database import stored
from tests.support.demo import DEMO_PASSWORD, activate_demo, register_demo
from tests.support.installation import TEST_SECRET_KEY
from tests.support.mail import SmtpSink, read_code

ROOT = Path(__file__).resolve().parents[2]
KioskFactory = Callable[..., Runtime]


@pytest.fixture
def kiosks(make_runtime: KioskFactory) -> Iterator[Callable[[int], list[Runtime]]]:
    """``kiosks(n)``: n runtimes, each its own engine and kiosk id, on the test's database."""
    built: list[Runtime] = []

    def make(count: int) -> list[Runtime]:
        made = [make_runtime(kiosk_id=f"agence-{len(built) + n + 1}") for n in range(count)]
        built.extend(made)
        return made

    yield make


async def at_once(calls: Sequence[Awaitable[Any]]) -> Counter[str]:
    """Run the calls together; count the outcomes by result or exception name."""
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(
            outcome, CodeInvalid | CodeExpired | SubscriberNotFound | TooManyAttempts
        ):
            raise outcome
    return Counter(type(outcome).__name__ for outcome in outcomes)


async def close_all(runtimes: list[Runtime]) -> None:
    for runtime in runtimes:
        await runtime.engine.dispose()


async def count_events(runtime: Runtime, scope: str) -> int:
    async with runtime.engine.connect() as connection:
        value = await connection.scalar(
            select(func.count()).select_from(ThrottleEvent).where(ThrottleEvent.scope == scope)
        )
        return int(value or 0)


async def test_one_code_redeemed_by_four_kiosks_at_once_succeeds_once(
    runtime: Runtime, smtp: SmtpSink, kiosks: Callable[[int], list[Runtime]]
) -> None:
    await register_demo(runtime.services)
    await runtime.worker.deliver_all_due()
    code = read_code((await smtp.wait_for(1))[0])
    others = kiosks(4)
    try:
        outcomes = await at_once([k.services.redemption.redeem(code) for k in others])
    finally:
        await close_all(others)
    assert outcomes == Counter({Redeemed.__name__: 1, CodeInvalid.__name__: 3})


async def test_an_expired_code_redeemed_at_once_is_expired_for_every_kiosk(
    runtime: Runtime,
    smtp: SmtpSink,
    clock: MovableClock,
    kiosks: Callable[[int], list[Runtime]],
) -> None:
    await register_demo(runtime.services)
    await runtime.worker.deliver_all_due()
    code = read_code((await smtp.wait_for(1))[0])
    clock.advance(timedelta(hours=49))
    others = kiosks(3)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", SAWarning)  # "expected to delete 1 row, 0 matched"
            outcomes = await at_once([k.services.redemption.redeem(code) for k in others])
    finally:
        await close_all(others)
    assert outcomes == Counter({CodeExpired.__name__: 3})
    async with runtime.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(Account)) == 0


async def test_ten_wrong_contract_checks_from_two_kiosks_count_exactly_five(
    kiosks: Callable[[int], list[Runtime]], runtime: Runtime
) -> None:
    first, second = kiosks(2)
    calls = [register_demo(kiosk.services, meter="ZZ9999999") for kiosk in [first, second] * 5]
    try:
        outcomes = await at_once(calls)
    finally:
        await close_all([first, second])
    assert outcomes == Counter({SubscriberNotFound.__name__: 5, TooManyAttempts.__name__: 5}), (
        outcomes
    )
    assert await count_events(runtime, throttles.CONTRACT_CHECKS.scope) == 5


async def test_ten_wrong_codes_at_one_kiosk_count_exactly_five(
    make_runtime: KioskFactory, runtime: Runtime
) -> None:
    # The limit belongs to the kiosk id: two engines (two processes' worth) under one id.
    first, second = (make_runtime(kiosk_id="agence-1") for _ in range(2))
    calls = [kiosk.services.redemption.redeem("AAAA-BBBB-CCCC") for kiosk in [first, second] * 5]
    try:
        outcomes = await at_once(calls)
    finally:
        await close_all([first, second])
    assert outcomes == Counter({CodeInvalid.__name__: 5, TooManyAttempts.__name__: 5}), outcomes
    assert await count_events(runtime, throttles.KIOSK_WRONG_CODES.scope) == 5


async def test_ten_wrong_sign_ins_from_two_kiosks_lock_after_exactly_five(
    runtime: Runtime, smtp: SmtpSink, kiosks: Callable[[int], list[Runtime]]
) -> None:
    await activate_demo(runtime.services, smtp, runtime.worker.deliver_all_due)
    first, second = kiosks(2)
    calls = [
        kiosk.services.sessions.sign_in("marie.dupont@example.fr", "Faux#Mot2Passe")
        for kiosk in [first, second] * 5
    ]
    try:
        outcomes = await asyncio.gather(*calls, return_exceptions=True)
    finally:
        await close_all([first, second])
    names = Counter(type(outcome).__name__ for outcome in outcomes)
    # The fifth failure and every later try: the account's own wait (AccountLocked).
    assert names == Counter({InvalidCredentials.__name__: 4, AccountLocked.__name__: 6}), names
    assert await count_events(runtime, throttles.SIGNIN_FAILURES) == 5
    # Held wherever no device pass for the address is kept (the activating kiosk keeps one).
    with pytest.raises(TooManyAttempts):
        await runtime.services.for_origin("agence-3").sessions.sign_in(
            "marie.dupont@example.fr", DEMO_PASSWORD
        )


async def enqueue_mails(runtime: Runtime, count: int, now: datetime) -> set[str]:
    """``count`` e-mails due now, each to its own address."""
    recipients = {f"client{n:04d}@example.fr" for n in range(count)}
    async with runtime.services.context.unit_of_work() as uow:
        for recipient in sorted(recipients):
            enqueue(uow, messages.password_updated_mail(recipient, "Marie"), now)
        await uow.commit()
    return recipients


class SlowSmtpSink(SmtpSink):
    """An SMTP server that takes a little while per message, so that workers overlap."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp() -> Iterator[SlowSmtpSink]:
    sink = SlowSmtpSink()
    sink.start()
    yield sink
    sink.stop()


def delivered_once(sink: SmtpSink, recipients: set[str]) -> None:
    received = Counter(str(message["To"]) for message in sink.messages)
    assert set(received) == recipients
    assert set(received.values()) == {1}, [r for r, n in received.items() if n > 1]


async def outbox_rows(runtime: Runtime) -> list[OutboxMessage]:
    return await stored(runtime, select(OutboxMessage))


async def test_four_workers_at_once_deliver_every_message_once(
    make_runtime: KioskFactory, slow_smtp: SlowSmtpSink, clock: MovableClock
) -> None:
    runtimes = [make_runtime(kiosk_id=f"mailer-{n}") for n in range(4)]
    recipients = await enqueue_mails(runtimes[0], 120, clock())
    workers = [
        OutboxWorker(
            r.worker.sessions,
            slow_smtp.transport(),
            sender="k@example.fr",
            clock=clock,
            batch_size=10,
            name=f"mailer-{n}",
        )
        for n, r in enumerate(runtimes)
    ]
    try:
        reports = await asyncio.gather(*(worker.deliver_all_due() for worker in workers))
        rows = await outbox_rows(runtimes[0])
    finally:
        await close_all(runtimes)
    assert sum(report.sent for report in reports) == 120
    assert sum(1 for report in reports if report.sent) >= 2  # they did work side by side
    delivered_once(slow_smtp, recipients)
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}


def mailer_process(settings_env: dict[str, str], name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "mailer"],
        cwd=ROOT,
        env={**settings_env, "KIOSK_KIOSK_ID": name},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_three_kiosk_mailer_processes_deliver_every_message_once(
    runtime: Runtime, slow_smtp: SlowSmtpSink, tmp_path: Path
) -> None:
    recipients = await enqueue_mails(runtime, 150, datetime.now(UTC))  # mailers read the clock
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KIOSK_DATA_DIR": str(tmp_path / "mailer"),
        "KIOSK_DATABASE_URL": runtime.settings.resolved_database_url,
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
        "KIOSK_DEMO_DATA": "false",
        "KIOSK_PUBLIC_URL": runtime.settings.public_url,
        "KIOSK_MAIL_FROM": runtime.settings.mail_from,
        "KIOSK_MAIL_TRANSPORT": "smtp",
        "KIOSK_SMTP_HOST": slow_smtp.host,
        "KIOSK_SMTP_PORT": str(slow_smtp.port),
        "KIOSK_SMTP_SECURITY": "none",
    }
    processes = [mailer_process(env, f"mailer-{n}") for n in range(3)]
    try:
        deadline = time.monotonic() + 60
        while len(slow_smtp.messages) < len(recipients) and time.monotonic() < deadline:
            assert all(p.poll() is None for p in processes), processes[0].communicate()
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # a duplicate, if any, would arrive now
    finally:
        for process in processes:
            process.terminate()
        outputs = [process.communicate(timeout=30) for process in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    delivered_once(slow_smtp, recipients)
    rows = await outbox_rows(runtime)
    assert {(row.status, row.attempts) for row in rows} == {("sent", 1)}
    claimants = Counter((row.claimed_by or "").split(":")[0] for row in rows)
    assert len(claimants) >= 2, claimants  # more than one process took part
