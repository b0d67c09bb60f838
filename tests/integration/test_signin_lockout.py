"""Failed sign-ins (SPEC §5): 20 per kiosk per 10 minutes whatever the addresses, and a
per-account wait that a stranger cannot hold against the owner, who resets the password."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.domain.errors import InvalidCredentials, TooManyAttempts
from kiosk.domain.refusals import describe
from kiosk.runtime import Runtime
from kiosk.services import KioskServices
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, activate_demo
from tests.support.mail import SmtpSink, read_code

WRONG = "Faux#Mot2Passe"
NEW_PASSWORD = "Nouveau*Mot2Passe"
WAY_OUT = "« Mot de passe oublié ? »"
TOO_MANY = "Trop de tentatives. Veuillez réessayer dans"


async def test_one_kiosk_spraying_many_addresses_is_stopped_after_twenty(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    kiosk_a, kiosk_b = services.for_origin("kiosk-a"), services.for_origin("kiosk-b")
    for number in range(20):  # one try per address: no account's own limit is reached
        with pytest.raises(InvalidCredentials):
            await kiosk_a.sessions.sign_in(f"client{number}@example.fr", "Motdepasse1!")
    with pytest.raises(TooManyAttempts) as held:
        await kiosk_a.sessions.sign_in("client99@example.fr", "Motdepasse1!")
    assert describe(held.value) == "Trop de tentatives. Veuillez réessayer dans 10 minutes."
    # Held whatever the address and the password: a right one is no oracle for the sprayer.
    with pytest.raises(TooManyAttempts):
        await kiosk_a.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    # The other kiosk, and the accounts themselves, are not held.
    await kiosk_b.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    clock.advance(timedelta(minutes=10, seconds=1))
    await kiosk_a.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)


async def test_the_kiosk_limit_counts_failures_only_within_ten_minutes(
    services: KioskServices, clock: MovableClock
) -> None:
    kiosk_a = services.for_origin("kiosk-a")
    for number in range(19):
        with pytest.raises(InvalidCredentials):
            await kiosk_a.sessions.sign_in(f"client{number}@example.fr", "Motdepasse1!")
    clock.advance(timedelta(minutes=10, seconds=1))
    for number in range(19):  # the first nineteen are out of the window
        with pytest.raises(InvalidCredentials):
            await kiosk_a.sessions.sign_in(f"autre{number}@example.fr", "Motdepasse1!")


async def test_a_locked_customer_is_shown_the_way_out_and_a_reset_lifts_the_wait(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    stranger, owner = services.for_origin("kiosk-a"), services.for_origin("kiosk-b")
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await stranger.sessions.sign_in(DEMO_EMAIL, WRONG)
    with pytest.raises(TooManyAttempts):
        await stranger.sessions.sign_in(DEMO_EMAIL, WRONG)
    # The owner, elsewhere, with the right password: the wait, and how not to wait.
    with pytest.raises(TooManyAttempts) as locked:
        await owner.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    message = describe(locked.value)
    assert message.startswith("Trop de tentatives. Veuillez réessayer dans 1 minute.")
    assert WAY_OUT in message

    await owner.password_reset.request(DEMO_EMAIL)
    await runtime.worker.deliver_all_due()
    reset_code = read_code((await smtp.wait_for(3))[2])
    await owner.password_reset.reset_with_code(reset_code, NEW_PASSWORD, NEW_PASSWORD)

    # No wait left for the owner, at once; the stranger's streak starts again from nothing.
    await owner.sessions.sign_in(DEMO_EMAIL, NEW_PASSWORD)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await stranger.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)


async def test_the_kiosk_limit_says_nothing_of_a_reset(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    """A reset lifts an account's wait, not a kiosk's: the kiosk's refusal does not offer it."""
    kiosk_a = services.for_origin("kiosk-a")
    for number in range(20):
        with pytest.raises(InvalidCredentials):
            await kiosk_a.sessions.sign_in(f"client{number}@example.fr", "Motdepasse1!")
    with pytest.raises(TooManyAttempts) as held:
        await kiosk_a.sessions.sign_in(DEMO_EMAIL, WRONG)
    assert TOO_MANY in describe(held.value) and WAY_OUT not in describe(held.value)


async def test_wrong_current_passwords_count_for_the_kiosk_too(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    """An open session is no way round the kiosk's limit."""
    token = await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    kiosk_a = services.for_origin("kiosk-a")
    for number in range(16):
        with pytest.raises(InvalidCredentials):
            await kiosk_a.sessions.sign_in(f"client{number}@example.fr", "Motdepasse1!")
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await kiosk_a.sessions.change_password(token, WRONG, NEW_PASSWORD, NEW_PASSWORD)
    with pytest.raises(TooManyAttempts):
        await kiosk_a.sessions.sign_in("client99@example.fr", "Motdepasse1!")
