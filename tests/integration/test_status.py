"""``kiosk status``'s figures, from the status service, on SQLite and PostgreSQL: after a
registration, a delivery, an abandoned message, a kiosk gone silent; the clock is moved."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.domain.errors import CodeInvalid, InvalidCredentials, TooManyAttempts
from kiosk.runtime import Runtime, build_runtime
from kiosk.services import KioskServices
from kiosk.services.status_report import InstallationStatus
from kiosk.storage.migrate import upgrade_database
from kiosk.storage.models import SCHEMA_REVISION
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, Deliver, activate_demo, register_demo
from tests.support.installation import FAST_HASH, installation_settings
from tests.support.mail import SmtpSink, read_code
from tests.support.pg_cluster import PostgresServer

_names = itertools.count(1)


async def test_a_registration_and_its_delivery_show(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    await services.heartbeat.beat()
    await register_demo(services)
    waiting = await services.status.status()
    assert waiting.outbox is not None and waiting.outbox.queued == 1
    assert waiting.outbox.oldest_queued_age_seconds == 0.0  # the clock stands still

    await deliver()
    status = await services.status.status()
    assert status.outbox is not None and status.accounts is not None and status.totals is not None
    assert (status.outbox.queued, status.outbox.sent_24h, status.outbox.abandoned_24h) == (0, 1, 0)
    assert status.outbox.oldest_queued_age_seconds is None
    assert (status.accounts.pending, status.accounts.active) == (1, 0)
    assert (status.accounts.registrations_24h, status.accounts.activations_24h) == (1, 0)
    assert [(k.kiosk_id, k.last_heartbeat_age_seconds, k.silent) for k in status.kiosks] == [
        ("kiosk-test", 0.0, False)
    ]
    assert status.schema.applied == status.schema.newest == SCHEMA_REVISION
    assert status.totals.registrations == 1
    assert not status.needs_attention and status.problems() == []

    [activation] = await smtp.wait_for(1)
    await services.redemption.redeem(read_code(activation))
    await deliver()
    activated = await services.status.status()
    assert activated.accounts is not None and activated.outbox is not None
    assert (activated.accounts.pending, activated.accounts.active) == (0, 1)
    assert activated.accounts.activations_24h == 1
    assert activated.outbox.sent_24h == 2


async def test_a_kiosk_silent_for_ten_minutes_shows_dark_with_its_age(
    make_runtime: Callable[..., Runtime], clock: MovableClock
) -> None:
    here, there = make_runtime(), make_runtime(kiosk_id="aix-2")
    try:
        await here.services.heartbeat.beat()
        await there.services.heartbeat.beat()
        clock.advance(timedelta(minutes=10))
        await here.services.heartbeat.beat()
        status = await here.services.status.status()
        assert [(k.kiosk_id, k.last_heartbeat_age_seconds, k.silent) for k in status.kiosks] == [
            ("aix-2", 600.0, True),
            ("kiosk-test", 0.0, False),
        ]
        assert "aix-2       SILENT, last heartbeat 10 min ago" in status.as_text()
        # A kiosk switched off for the night is shown, not an alarm for the cron job.
        assert not status.needs_attention

        clock.advance(timedelta(hours=24, seconds=1))
        assert (await here.services.status.status()).kiosks == []  # none seen in 24 h
    finally:
        await here.engine.dispose()
        await there.engine.dispose()


async def test_an_abandoned_message_needs_a_person_for_24_hours(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    smtp.stop()
    await register_demo(runtime.services)
    for _attempt in range(5):
        await runtime.worker.deliver_all_due()
        clock.advance(timedelta(hours=1))
    status = await runtime.services.status.status()
    assert status.outbox is not None
    assert (status.outbox.abandoned_24h, status.outbox.abandoned, status.outbox.queued) == (1, 1, 0)
    assert status.needs_attention
    assert status.problems() == [
        "1 e-mail(s) abandoned in the last 24 h: check the mail relay and the mailers' logs"
    ]
    assert status.as_json()["outbox"]["abandoned_24h"] == 1

    clock.advance(timedelta(hours=24))
    later = await runtime.services.status.status()
    assert later.outbox is not None and (later.outbox.abandoned_24h, later.outbox.abandoned) == (
        0,
        1,
    )
    assert not later.needs_attention


async def test_a_message_waiting_over_15_minutes_needs_a_person(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    smtp.stop()
    await register_demo(runtime.services)
    await runtime.worker.deliver_all_due()  # refused by the relay: it waits for a retry
    clock.advance(timedelta(minutes=14))
    assert not (await runtime.services.status.status()).needs_attention
    clock.advance(timedelta(minutes=2))
    status = await runtime.services.status.status()
    assert status.outbox is not None and status.outbox.oldest_queued_age_seconds == 960.0
    assert status.problems() == [
        "an e-mail has waited 16 min (more than 15 min): is a mailer running?"
    ]


async def test_a_resend_held_by_the_address_limit_counts_as_throttled(
    runtime: Runtime, clock: MovableClock
) -> None:
    services = runtime.services
    receipt = await register_demo(services)  # the address's first e-mail of the hour
    for _ in range(3):  # the second and third, then one the hourly limit holds back
        clock.advance(timedelta(seconds=61))
        await services.registration.resend_activation(receipt.token)
    status = await services.status.status()
    assert status.totals is not None
    assert status.totals.throttled["registration_mail"] == 1


async def test_sign_in_failures_and_throttled_refusals_are_counted(
    runtime: Runtime, smtp: SmtpSink
) -> None:
    services = runtime.services
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    refusals = []
    for _ in range(6):
        try:
            await services.sessions.sign_in(DEMO_EMAIL, "Pas-le-bon-1!")
        except (InvalidCredentials, TooManyAttempts) as refusal:
            refusals.append(type(refusal).__name__)
    # The fifth wrong password starts the wait (AccountLocked, a TooManyAttempts).
    assert refusals == ["InvalidCredentials"] * 4 + ["AccountLocked"] * 2
    for _ in range(6):
        try:
            await services.redemption.redeem("AAAA-BBBB-CCCC")
        except (CodeInvalid, TooManyAttempts) as refusal:
            refusals.append(type(refusal).__name__)
    assert refusals[6:] == ["CodeInvalid"] * 5 + ["TooManyAttempts"]
    status = await services.status.status()
    assert status.totals is not None
    assert status.totals.signin_failures == 5
    assert status.totals.activations == 1
    assert status.totals.throttled["signin"] == 2
    assert status.totals.throttled["wrong_code"] == 1
    assert status.totals.throttled["contract_check"] == 0


@pytest.fixture
async def old_database(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Callable[[str | None], Awaitable[str]]]:
    """Makes a database whose schema stopped at a revision (None: never migrated)."""
    server: PostgresServer | None = None
    names: list[str] = []

    async def make(revision: str | None) -> str:
        nonlocal server
        if database == "sqlite":
            url = f"sqlite+aiosqlite:///{tmp_path / f'old-{revision}.db'}"
        else:
            server = request.getfixturevalue("postgres_server")
            names.append(f"kiosk_old_{os.getpid()}_{next(_names)}")
            url = server.create_database(names[-1])
        if revision is not None:
            settings = installation_settings(tmp_path / "data", url)
            runtime = build_runtime(settings, hash_parameters=FAST_HASH)
            await upgrade_database(runtime.engine, revision)
            await runtime.close()
        return url

    yield make
    for name in names:
        assert server is not None
        server.drop_database(name)


async def status_of(url: str, tmp_path: Path, clock: MovableClock) -> InstallationStatus:
    settings = installation_settings(tmp_path / "data", url)
    runtime = build_runtime(settings, clock=clock, hash_parameters=FAST_HASH)
    try:
        return await runtime.services.status.status()
    finally:
        await runtime.close()


async def test_a_schema_behind_needs_a_person(
    old_database: Callable[[str | None], Awaitable[str]], tmp_path: Path, clock: MovableClock
) -> None:
    status = await status_of(await old_database("0004"), tmp_path, clock)
    assert (status.schema.applied, status.schema.up_to_date) == ("0004", False)
    assert status.outbox is None and status.accounts is None
    assert status.problems() == [
        f"the database schema is at 0004, this version needs {SCHEMA_REVISION}: run kiosk init-db"
    ]


async def test_a_database_never_migrated_says_so(
    old_database: Callable[[str | None], Awaitable[str]], tmp_path: Path, clock: MovableClock
) -> None:
    status = await status_of(await old_database(None), tmp_path, clock)
    assert status.schema.applied is None and status.needs_attention
    assert "schema    never migrated (behind" in status.as_text()
