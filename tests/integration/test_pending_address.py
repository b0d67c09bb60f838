"""A pending account does not hold its e-mail address (SPEC §4): a registration for another
contract with that address replaces it, so nobody can block an address by registering it
first; only an active account keeps its address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.domain.errors import CodeInvalid
from kiosk.runtime import Runtime
from kiosk.services import KioskServices, RegistrationReceipt, RegistrationRequest
from kiosk.storage.models import Account
from tests.support.clock import MovableClock
from tests.support.database import stored
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, register_demo
from tests.support.mail import SmtpSink, read_code

ACTIVATION_SUBJECT = "Activez votre espace client"
IN_USE_SUBJECT = "Tentative d'ouverture d'un espace client avec votre adresse"
SQUATTER_PASSWORD = "Squatteur#2026"


async def register_marseille(services: KioskServices, email: str) -> RegistrationReceipt:
    """Contract 7654321 (Marseille), a valid contract and meter that is not the demo's."""
    [marseille] = await services.communes.search("Marseille")
    return await services.registration.register(
        RegistrationRequest(
            marseille.id,
            "Martin",
            "Paul",
            email,
            SQUATTER_PASSWORD,
            SQUATTER_PASSWORD,
            "7654321",
            "K09C112233",
        )
    )


async def delivered(runtime: Runtime, smtp: SmtpSink, count: int) -> list[str]:
    """The subjects of the e-mails to the demo address, once ``count`` were received."""
    await runtime.worker.deliver_all_due()
    messages = await smtp.wait_for(count)
    return [m["Subject"] for m in messages if m["To"] == DEMO_EMAIL]


async def accounts(runtime: Runtime) -> list[tuple[str, str, str]]:
    rows = await stored(runtime, select(Account).order_by(Account.contract))
    return [(a.contract, a.email, a.status) for a in rows]


async def test_a_registration_replaces_the_pending_account_that_took_the_address(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    squatter, owner = services.for_origin("kiosk-a"), services.for_origin("kiosk-b")
    await register_marseille(squatter, DEMO_EMAIL)  # someone else's contract, her address
    await runtime.worker.deliver_all_due()
    squatters_code = read_code((await smtp.wait_for(1))[0])
    clock.advance(timedelta(seconds=61))  # registration e-mails to one address: 60 s apart

    await register_demo(owner)

    assert await delivered(runtime, smtp, 2) == [ACTIVATION_SUBJECT, ACTIVATION_SUBJECT]
    assert await accounts(runtime) == [("1234567", DEMO_EMAIL, "pending")]
    with pytest.raises(CodeInvalid):  # the replaced account's code stops working
        await owner.redemption.redeem(squatters_code)
    redeemed = await owner.redemption.redeem(read_code(smtp.messages[1]))
    assert redeemed.session is not None
    await owner.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    # The contract the squatter used is free for its holder.
    clock.advance(timedelta(seconds=61))
    await register_marseille(owner, "paul.martin@example.fr")
    assert ("7654321", "paul.martin@example.fr", "pending") in await accounts(runtime)


async def test_it_also_replaces_a_pending_account_of_the_same_contract(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    """Both at once: the contract's pending account (other address) is renewed, and the
    pending account that took the address (other contract) goes."""
    await register_demo(services, email="ancienne@example.fr")
    await register_marseille(services, DEMO_EMAIL)
    clock.advance(timedelta(seconds=61))
    await register_demo(services)
    assert await accounts(runtime) == [("1234567", DEMO_EMAIL, "pending")]
    await runtime.worker.deliver_all_due()
    first, second, third = await smtp.wait_for(3)
    for replaced in (first, second):
        with pytest.raises(CodeInvalid):
            await services.redemption.redeem(read_code(replaced))
    assert (await services.redemption.redeem(read_code(third))).session is not None


async def test_an_active_account_still_holds_its_address(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    await register_demo(services)
    await runtime.worker.deliver_all_due()
    await services.redemption.redeem(read_code((await smtp.wait_for(1))[0]))
    clock.advance(timedelta(seconds=61))

    await register_marseille(services, DEMO_EMAIL)

    assert await delivered(runtime, smtp, 3) == [
        ACTIVATION_SUBJECT,
        "Votre espace client est activé",
        IN_USE_SUBJECT,
    ]
    assert await accounts(runtime) == [("1234567", DEMO_EMAIL, "active")]
    await services.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
