"""A new password ends every way to set another one (SPEC §4): a completed reset or a password
change cancels the account's outstanding reset codes and whatever a redeemed one granted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.domain.errors import CodeInvalid
from kiosk.runtime import Runtime
from kiosk.services import KioskServices
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, activate_demo
from tests.support.mail import SmtpSink, read_code

FIRST_PASSWORD = "Premier*Mot2Passe"
SECOND_PASSWORD = "Second*Mot2Passe"


async def reset_code(services: KioskServices, runtime: Runtime, smtp: SmtpSink, nth: int) -> str:
    """Ask for a reset e-mail; the code of the ``nth`` e-mail received (1-based)."""
    await services.password_reset.request(DEMO_EMAIL)
    await runtime.worker.deliver_all_due()
    return read_code((await smtp.wait_for(nth))[nth - 1])


async def reset_grant(services: KioskServices, code: str) -> str:
    redeemed = await services.redemption.redeem(code)
    assert redeemed.reset_grant is not None
    return redeemed.reset_grant


async def test_a_completed_reset_cancels_an_older_grant_and_a_newer_code(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    # Someone redeemed a reset code and holds its grant (15 minutes to choose a password).
    older_grant = await reset_grant(services, await reset_code(services, runtime, smtp, 3))
    clock.advance(timedelta(seconds=61))
    newer_grant = await reset_grant(services, await reset_code(services, runtime, smtp, 4))
    clock.advance(timedelta(seconds=61))
    outstanding = await reset_code(services, runtime, smtp, 5)

    await services.password_reset.complete(newer_grant, FIRST_PASSWORD, FIRST_PASSWORD)

    with pytest.raises(CodeInvalid):
        await services.password_reset.complete(older_grant, SECOND_PASSWORD, SECOND_PASSWORD)
    with pytest.raises(CodeInvalid):
        await services.redemption.redeem(outstanding)
    await services.sessions.sign_in(DEMO_EMAIL, FIRST_PASSWORD)  # the newer reset's password


async def test_a_password_change_cancels_a_reset_code_seen_over_a_shoulder(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    session = await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    seen = await reset_code(services, runtime, smtp, 3)

    await services.sessions.change_password(session, DEMO_PASSWORD, FIRST_PASSWORD, FIRST_PASSWORD)

    with pytest.raises(CodeInvalid):
        await services.redemption.redeem(seen)


async def test_a_password_change_cancels_a_redeemed_grant(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    session = await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    grant = await reset_grant(services, await reset_code(services, runtime, smtp, 3))

    await services.sessions.change_password(session, DEMO_PASSWORD, FIRST_PASSWORD, FIRST_PASSWORD)

    with pytest.raises(CodeInvalid):
        await services.password_reset.complete(grant, SECOND_PASSWORD, SECOND_PASSWORD)
    await services.sessions.sign_in(DEMO_EMAIL, FIRST_PASSWORD)  # the change stands
