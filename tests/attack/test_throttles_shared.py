"""Every throttle of SPEC §5, reached with its message, across two kiosks sharing one database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from kiosk.domain.errors import CodeInvalid, InvalidCredentials, SubscriberNotFound, TooManyAttempts
from kiosk.domain.refusals import wait_message
from kiosk.runtime import Runtime
from kiosk.services import KioskServices, RegistrationRequest
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_PASSWORD, activate_demo, register_demo
from tests.support.mail import SmtpSink


@pytest.fixture
async def two_kiosks(
    make_runtime: Callable[..., Runtime],
) -> tuple[KioskServices, KioskServices]:
    first = make_runtime(kiosk_id="agence-aix-1")
    second = make_runtime(kiosk_id="agence-aix-2")
    return first.services, second.services


def message(error: TooManyAttempts) -> str:
    return wait_message(error)


async def test_contract_limit_holds_across_kiosks(
    two_kiosks: tuple[KioskServices, KioskServices], clock: MovableClock
) -> None:
    a, b = two_kiosks
    for kiosk in (a, b, a, b, a):
        with pytest.raises(SubscriberNotFound):
            await register_demo(kiosk, meter="ZZ9999999")
    with pytest.raises(TooManyAttempts) as throttled:
        await register_demo(b)
    assert message(throttled.value) == "Trop de tentatives. Veuillez réessayer dans 15 minutes."
    clock.advance(timedelta(minutes=15, seconds=1))
    await register_demo(b)


async def test_kiosk_limit_counts_one_kiosk_only(
    two_kiosks: tuple[KioskServices, KioskServices], clock: MovableClock
) -> None:
    a, b = two_kiosks
    [velaux] = await a.communes.search("Velaux")
    for number in range(10):  # ten different contracts, none over its own limit
        with pytest.raises(SubscriberNotFound):
            await a.registration.register(
                RegistrationRequest(
                    velaux.id,
                    "Dupont",
                    "Marie",
                    "m@example.fr",
                    DEMO_PASSWORD,
                    DEMO_PASSWORD,
                    f"99900{number:02d}",
                    "ZZ99999",
                )
            )
    with pytest.raises(TooManyAttempts) as throttled:
        await register_demo(a)
    assert throttled.value.minutes == 10
    await register_demo(b)  # the other kiosk is not held


async def test_wrong_codes_per_kiosk(
    two_kiosks: tuple[KioskServices, KioskServices], clock: MovableClock
) -> None:
    a, b = two_kiosks
    for _ in range(5):
        with pytest.raises(CodeInvalid):
            await a.redemption.redeem("AAAA-BBBB-CCCC")
    with pytest.raises(TooManyAttempts) as throttled:
        await a.redemption.redeem("AAAA-BBBB-CCCC")
    assert message(throttled.value) == "Trop de tentatives. Veuillez réessayer dans 10 minutes."
    with pytest.raises(CodeInvalid):
        await b.redemption.redeem("AAAA-BBBB-CCCC")
    clock.advance(timedelta(minutes=10, seconds=1))
    with pytest.raises(CodeInvalid):
        await a.redemption.redeem("AAAA-BBBB-CCCC")


async def test_failed_sign_ins_lock_the_account_on_every_kiosk(
    two_kiosks: tuple[KioskServices, KioskServices],
    smtp: SmtpSink,
    runtime: Runtime,
    clock: MovableClock,
) -> None:
    a, b = two_kiosks
    # Activated on the web: neither kiosk holds a device pass for the address.
    web = runtime.services.for_origin("web:198.51.100.1")
    await activate_demo(web, smtp, runtime.worker.deliver_all_due)
    for kiosk in (a, b, a, b):
        with pytest.raises(InvalidCredentials):
            await kiosk.sessions.sign_in("marie.dupont@example.fr", "Faux#Mot2Passe")
    with pytest.raises(TooManyAttempts):
        await a.sessions.sign_in("marie.dupont@example.fr", "Faux#Mot2Passe")
    with pytest.raises(TooManyAttempts) as throttled:
        await b.sessions.sign_in("marie.dupont@example.fr", DEMO_PASSWORD)
    assert message(throttled.value) == "Trop de tentatives. Veuillez réessayer dans 1 minute."
    waits = [throttled.value.minutes]
    for _ in range(5):  # each failure after the wait doubles it, up to 15 minutes
        clock.advance(timedelta(minutes=waits[-1], seconds=1))
        with pytest.raises(TooManyAttempts) as again:
            await a.sessions.sign_in("marie.dupont@example.fr", "Faux#Mot2Passe")
        waits.append(again.value.minutes)
    assert waits == [1, 2, 4, 8, 15, 15]
    clock.advance(timedelta(minutes=15, seconds=1))
    await b.sessions.sign_in("marie.dupont@example.fr", DEMO_PASSWORD)
    with pytest.raises(InvalidCredentials):  # a success starts the count again
        await a.sessions.sign_in("marie.dupont@example.fr", "Faux#Mot2Passe")


async def test_reset_mails_per_address_across_kiosks(
    two_kiosks: tuple[KioskServices, KioskServices],
    smtp: SmtpSink,
    runtime: Runtime,
    clock: MovableClock,
) -> None:
    a, b = two_kiosks
    await activate_demo(a, smtp, runtime.worker.deliver_all_due)
    await a.password_reset.request("marie.dupont@example.fr")
    await b.password_reset.request("marie.dupont@example.fr")  # < 60 s: same answer, no mail
    for kiosk in (b, a, b):
        clock.advance(timedelta(seconds=61))
        await kiosk.password_reset.request("marie.dupont@example.fr")
    await runtime.worker.deliver_all_due()
    subjects = [m["Subject"] for m in smtp.messages]
    assert subjects.count("Réinitialisation de votre mot de passe") == 3


async def test_activation_resend_spacing_and_hourly_cap(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    [velaux] = await services.communes.search("Velaux")
    receipt = await services.registration.register(
        RegistrationRequest(
            velaux.id,
            "Dupont",
            "Marie",
            "m@example.fr",
            DEMO_PASSWORD,
            DEMO_PASSWORD,
            "1234567",
            "A12B345678",
        )
    )
    for _ in range(4):
        assert await services.registration.resend_activation(receipt.token) == 60
        with pytest.raises(TooManyAttempts) as spaced:
            await services.registration.resend_activation(receipt.token)
        assert spaced.value.retry_after_seconds == 60
        clock.advance(timedelta(seconds=61))
    # Three e-mails an hour to the address, registration included; the rest answered alike.
    await runtime.worker.deliver_all_due()
    subjects = [m["Subject"] for m in smtp.messages]
    assert subjects.count("Activez votre espace client") == 3


async def test_wrong_agent_pins_earn_a_growing_wait(
    services: KioskServices, clock: MovableClock
) -> None:
    for _ in range(4):
        assert await services.agent.verify_pin("1111") is False
    with pytest.raises(TooManyAttempts) as locked:
        await services.agent.verify_pin("1111")
    assert locked.value.minutes == 1
    with pytest.raises(TooManyAttempts):  # even the right PIN waits
        await services.agent.verify_pin("0000")
    clock.advance(timedelta(minutes=1, seconds=1))
    with pytest.raises(TooManyAttempts) as doubled:
        await services.agent.verify_pin("1111")
    assert doubled.value.minutes == 2
    clock.advance(timedelta(minutes=2, seconds=1))
    assert await services.agent.verify_pin("0000") is True
