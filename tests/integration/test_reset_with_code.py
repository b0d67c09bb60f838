"""Reset straight from a code: the new password is checked first, then the code is used and
the password set in one unit of work (no grant in between)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.domain.errors import (
    CodeExpired,
    CodeInvalid,
    InvalidCredentials,
    PasswordRejected,
    TooManyAttempts,
)
from kiosk.domain.states import CodePurpose, PasswordRefusal
from kiosk.runtime import Runtime
from kiosk.storage.models import Code
from tests.support.clock import MovableClock
from tests.support.database import stored
from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_PASSWORD, activate_demo
from tests.support.mail import SmtpSink, read_code

NEW = "Nouveau*Mot2Passe"
OTHER = "Autre*Mot2Passe"


async def a_reset_code(runtime: Runtime, smtp: SmtpSink) -> str:
    services = runtime.services
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    await services.password_reset.request(DEMO_EMAIL)
    await runtime.worker.deliver_all_due()
    return read_code((await smtp.wait_for(3))[2])


async def reset_codes(runtime: Runtime) -> list[Code]:
    return await stored(runtime, select(Code).where(Code.purpose != CodePurpose.ACTIVATION))


async def test_a_refused_password_leaves_the_code_as_it_was(
    runtime: Runtime, smtp: SmtpSink
) -> None:
    code = await a_reset_code(runtime, smtp)
    reset = runtime.services.password_reset
    with pytest.raises(PasswordRejected) as refused:
        await reset.reset_with_code(code, f"Abc-{DEMO_CONTRACT}!", f"Abc-{DEMO_CONTRACT}!")
    assert refused.value.reason == PasswordRefusal.CONTAINS_CONTRACT
    [kept] = await reset_codes(runtime)
    assert kept.used_at is None and kept.cancelled_at is None

    await reset.reset_with_code(code, NEW, NEW)

    [used] = await reset_codes(runtime)
    assert used.used_at is not None
    await runtime.services.sessions.sign_in(DEMO_EMAIL, NEW)
    with pytest.raises(CodeInvalid):
        await reset.reset_with_code(code, OTHER, OTHER)


async def test_one_code_sets_one_password_when_two_use_it_at_once(
    runtime: Runtime, smtp: SmtpSink
) -> None:
    code = await a_reset_code(runtime, smtp)
    reset = runtime.services.password_reset
    outcomes = await asyncio.gather(
        reset.reset_with_code(code, NEW, NEW),
        reset.reset_with_code(code, OTHER, OTHER),
        return_exceptions=True,
    )
    # The one that set its password got the device pass for the address, the other a refusal.
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["CodeInvalid", "str"]
    chosen = NEW if isinstance(outcomes[0], str) else OTHER
    await runtime.services.sessions.sign_in(DEMO_EMAIL, chosen)


async def test_an_expired_code_sets_nothing(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    code = await a_reset_code(runtime, smtp)
    clock.advance(timedelta(minutes=runtime.settings.reset_ttl_minutes + 1))
    with pytest.raises(CodeExpired) as expired:
        await runtime.services.password_reset.reset_with_code(code, NEW, NEW)
    assert expired.value.purpose is CodePurpose.RESET
    with pytest.raises(InvalidCredentials):
        await runtime.services.sessions.sign_in(DEMO_EMAIL, NEW)
    await runtime.services.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)


async def test_a_wrong_code_counts_as_one_typed(runtime: Runtime, smtp: SmtpSink) -> None:
    code = await a_reset_code(runtime, smtp)
    reset = runtime.services.password_reset
    for _ in range(5):
        with pytest.raises(CodeInvalid):
            await reset.reset_with_code("ABCD-EFGH-JKMN", NEW, NEW)
    # The kiosk's wrong codes are spent: even the right code waits now.
    with pytest.raises(TooManyAttempts):
        await reset.reset_with_code(code, NEW, NEW)
