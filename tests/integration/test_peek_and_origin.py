"""The web companion's two needs: looking at a code without using it, and throttles per origin."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.domain.errors import CodeExpired, CodeInvalid, TooManyAttempts
from kiosk.domain.states import CodePurpose
from kiosk.runtime import Runtime
from kiosk.storage.models import Account, AuthEvent, Session
from tests.support.clock import MovableClock
from tests.support.database import count, stored
from tests.support.demo import DEMO_EMAIL, activate_demo, demo_activation_code
from tests.support.mail import SmtpSink, read_code

WEB = "web:203.0.113.7"


async def test_peek_tells_the_purpose_and_leaves_the_code_usable(
    runtime: Runtime, smtp: SmtpSink
) -> None:
    services = runtime.services
    code = await demo_activation_code(services, smtp, runtime.worker.deliver_all_due)
    link = f"{runtime.settings.public_url}/code?c={code.replace('-', '')}"
    assert await services.redemption.peek(code) is CodePurpose.ACTIVATION
    assert await services.redemption.peek(code.lower()) is CodePurpose.ACTIVATION
    assert await services.redemption.peek(link) is CodePurpose.ACTIVATION
    redeemed = await services.redemption.redeem(code)  # not used by the peeks
    assert redeemed.purpose is CodePurpose.ACTIVATION and redeemed.session is not None
    with pytest.raises(CodeInvalid):
        await services.redemption.peek(code)  # used now


async def test_peek_of_a_reset_code_says_reset(runtime: Runtime, smtp: SmtpSink) -> None:
    services = runtime.services
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    await services.password_reset.request(DEMO_EMAIL)
    await runtime.worker.deliver_all_due()
    reset = read_code((await smtp.wait_for(3))[2])
    assert await services.redemption.peek(reset) is CodePurpose.RESET
    holder = await services.redemption.holder(reset)  # whose account: pages say it
    assert (holder.purpose, holder.email_masked) == (CodePurpose.RESET, "m***@example.fr")
    redeemed = await services.redemption.redeem(reset)
    assert redeemed.reset_code == reset and redeemed.email_masked == "m***@example.fr"


async def test_peek_of_an_expired_code_raises_expired_and_deletes_nothing(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    services = runtime.services
    code = await demo_activation_code(services, smtp, runtime.worker.deliver_all_due)
    clock.advance(timedelta(hours=runtime.settings.activation_ttl_hours, seconds=1))
    with pytest.raises(CodeExpired) as peeked:
        await services.redemption.peek(code)
    assert peeked.value.purpose is CodePurpose.ACTIVATION
    assert await count(runtime, Account) == 1  # a look changes nothing
    with pytest.raises(CodeExpired):
        await services.redemption.redeem(code)
    assert await count(runtime, Account) == 0  # redeeming an expired code starts again


async def test_unknown_codes_peeked_count_as_wrong_codes_of_their_origin(
    runtime: Runtime,
) -> None:
    web = runtime.services.for_origin(WEB)
    for _ in range(5):
        with pytest.raises(CodeInvalid):
            await web.redemption.peek("AAAA-BBBB-CCCC")
    with pytest.raises(TooManyAttempts):
        await web.redemption.peek("AAAA-BBBB-CCCC")
    with pytest.raises(TooManyAttempts):
        await web.redemption.redeem("AAAA-BBBB-CCCC")
    with pytest.raises(CodeInvalid):  # the kiosk itself is another origin: not held
        await runtime.services.redemption.redeem("AAAA-BBBB-CCCC")


async def test_an_origin_is_written_in_the_auth_log_and_on_its_sessions(
    runtime: Runtime, smtp: SmtpSink
) -> None:
    kiosk = runtime.services
    web = kiosk.for_origin(WEB)
    await activate_demo(kiosk, smtp, runtime.worker.deliver_all_due)
    signed_in = await web.sessions.sign_in(DEMO_EMAIL, "Ruisseau-42!")
    await web.sessions.sign_out(signed_in.token)
    events = await stored(runtime, select(AuthEvent).order_by(AuthEvent.id))
    origins = {event.event: event.kiosk_id for event in events}
    assert origins["account_activated"] == runtime.settings.kiosk_id
    assert origins["signin"] == origins["signout"] == WEB
    places = await stored(runtime, select(Session.kiosk_id).order_by(Session.id))
    assert places == [runtime.settings.kiosk_id, WEB]
    assert kiosk.context.origin == runtime.settings.kiosk_id  # the kiosk's own is unchanged


async def test_a_look_takes_no_write_lock(runtime: Runtime, smtp: SmtpSink, database: str) -> None:
    # Mail scanners and customers open the links: on SQLite a look that took the write lock
    # would queue behind every registration and sign-in (up to the 30 s busy timeout).
    services = runtime.services
    code = await demo_activation_code(services, smtp, runtime.worker.deliver_all_due)
    writer = None
    if database == "sqlite":
        path = runtime.settings.resolved_database_url.removeprefix("sqlite+aiosqlite:///")
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another process writing, and staying a while
    try:
        purpose = await asyncio.wait_for(services.redemption.peek(code), timeout=5)
    finally:
        if writer is not None:
            writer.execute("ROLLBACK")
            writer.close()
    assert purpose is CodePurpose.ACTIVATION
