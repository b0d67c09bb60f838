"""A new password ends every way to set another one (SPEC §4): a completed reset or a password
change cancels the account's outstanding reset codes, accepted or not."""

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


async def accepted(services: KioskServices, code: str) -> str:
    """The reset code as the Code screen accepts it (nothing used yet)."""
    redeemed = await services.redemption.redeem(code)
    assert redeemed.reset_code is not None
    return redeemed.reset_code


async def test_a_completed_reset_cancels_an_older_accepted_code_and_a_newer_one(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    # Asking again cancels the previous code: accepted at a kiosk, it is refused from then on.
    older = await accepted(services, await reset_code(services, runtime, smtp, 3))
    clock.advance(timedelta(seconds=61))
    newer = await accepted(services, await reset_code(services, runtime, smtp, 4))
    with pytest.raises(CodeInvalid):
        await services.password_reset.reset_with_code(older, SECOND_PASSWORD, SECOND_PASSWORD)

    await services.password_reset.reset_with_code(newer, FIRST_PASSWORD, FIRST_PASSWORD)

    with pytest.raises(CodeInvalid):  # used: a second password cannot follow the first
        await services.password_reset.reset_with_code(newer, SECOND_PASSWORD, SECOND_PASSWORD)
    await services.sessions.sign_in(DEMO_EMAIL, FIRST_PASSWORD)


async def test_a_password_change_cancels_a_reset_code_seen_over_a_shoulder(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    session = await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    seen = await reset_code(services, runtime, smtp, 3)

    await services.sessions.change_password(session, DEMO_PASSWORD, FIRST_PASSWORD, FIRST_PASSWORD)

    with pytest.raises(CodeInvalid):
        await services.redemption.redeem(seen)


async def test_a_password_change_cancels_an_accepted_reset_code(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    session = await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    code = await accepted(services, await reset_code(services, runtime, smtp, 3))

    await services.sessions.change_password(session, DEMO_PASSWORD, FIRST_PASSWORD, FIRST_PASSWORD)

    with pytest.raises(CodeInvalid):
        await services.password_reset.reset_with_code(code, SECOND_PASSWORD, SECOND_PASSWORD)
    await services.sessions.sign_in(DEMO_EMAIL, FIRST_PASSWORD)  # the change stands
