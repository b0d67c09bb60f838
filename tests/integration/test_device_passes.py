"""Device passes (OWASP's device cookies): strangers' wrong passwords on an address do not hold
its owner where the owner signed in or reset the password before; the pass's own failures
hold it; refusals while an address waits count against the client that keeps asking."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.domain.errors import AccountLocked, InvalidCredentials, TooManyAttempts
from kiosk.domain.refusals import describe
from kiosk.runtime import Runtime
from kiosk.services import KioskServices
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, activate_demo
from tests.support.mail import SmtpSink, read_code

WRONG = "Faux#Mot2Passe"
NEW_PASSWORD = "Nouveau*Mot2Passe"


async def lock_address(stranger: KioskServices) -> None:
    """Five wrong passwords from ``stranger``: the address waits for untrusted clients."""
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await stranger.sessions.sign_in(DEMO_EMAIL, WRONG)
    with pytest.raises(AccountLocked):
        await stranger.sessions.sign_in(DEMO_EMAIL, WRONG)


async def test_a_kiosk_where_the_owner_reset_the_password_is_not_held_by_a_stranger(
    make_runtime: Callable[..., Runtime], runtime: Runtime, smtp: SmtpSink
) -> None:
    owner_kiosk = make_runtime(kiosk_id="agence-aix-1").services
    stranger = runtime.services.for_origin("web:203.0.113.7")
    await activate_demo(stranger, smtp, runtime.worker.deliver_all_due)  # no pass anywhere
    await lock_address(stranger)
    with pytest.raises(AccountLocked):  # the owner, before the reset: held as before
        await owner_kiosk.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)

    await owner_kiosk.password_reset.request(DEMO_EMAIL)
    await runtime.worker.deliver_all_due()
    code = read_code((await smtp.wait_for(3))[2])
    device_pass = await owner_kiosk.password_reset.reset_with_code(code, NEW_PASSWORD, NEW_PASSWORD)
    assert device_pass  # what a browser keeps in a cookie

    await lock_address(stranger)  # the stranger again, four failures and one more
    # A kiosk with no pass for the address is an untrusted client: held.
    with pytest.raises(AccountLocked):
        await make_runtime(kiosk_id="agence-aix-2").services.sessions.sign_in(
            DEMO_EMAIL, NEW_PASSWORD
        )
    signed_in = await owner_kiosk.sessions.sign_in(DEMO_EMAIL, NEW_PASSWORD)
    assert signed_in.first_name == "Marie"


async def test_a_browser_that_signed_in_before_is_not_held_and_its_own_failures_hold_it(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    browser = services.for_origin("web:198.51.100.9")
    stranger = services.for_origin("web:203.0.113.7")
    device_pass = (await browser.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)).device_pass
    await lock_address(stranger)
    # The owner's browser presents its pass: signed in, whatever the stranger did.
    renewed = await browser.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD, device_pass=device_pass)
    # The pass's own failures count against it alone, and lock it like an address.
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await browser.sessions.sign_in(DEMO_EMAIL, WRONG, device_pass=renewed.device_pass)
    with pytest.raises(AccountLocked):
        await browser.sessions.sign_in(DEMO_EMAIL, WRONG, device_pass=renewed.device_pass)
    with pytest.raises(AccountLocked):
        await browser.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD, device_pass=renewed.device_pass)
    # Another pass of the owner's (another browser) was not touched by those failures.
    await browser.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD, device_pass=device_pass)


async def test_a_forged_pass_or_another_address_s_pass_is_an_untrusted_client(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    browser = services.for_origin("web:198.51.100.9")
    stranger = services.for_origin("web:203.0.113.7")
    other = await browser.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    await lock_address(stranger)
    forged = "bm9uY2UtY2hvc2VuLWJ5LXRoZW0.Zm9yZ2VkLW1hYy1vZi10aGVpcnM"
    for bad in (forged, "abc.def", other.device_pass + "x", ""):
        with pytest.raises(AccountLocked):
            await browser.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD, device_pass=bad)


async def test_refusals_while_an_address_waits_count_against_the_client(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    stranger = services.for_origin("web:203.0.113.7")
    await lock_address(stranger)  # five failures of the twenty a client may make
    for _ in range(15):  # asking whether the address still waits is no longer free
        with pytest.raises(AccountLocked):
            await stranger.sessions.sign_in(DEMO_EMAIL, WRONG)
    with pytest.raises(TooManyAttempts) as held:
        await stranger.sessions.sign_in("quelquun@example.fr", "Motdepasse1!")
    assert not isinstance(held.value, AccountLocked)
    assert describe(held.value) == "Trop de tentatives. Veuillez réessayer dans 10 minutes."
    # Another client, another address: not held.
    with pytest.raises(InvalidCredentials):
        await services.for_origin("web:198.51.100.9").sessions.sign_in(
            "quelquun@example.fr", "Motdepasse1!"
        )
