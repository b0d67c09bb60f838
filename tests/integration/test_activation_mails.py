"""Activation e-mails to one address (SPEC §5): at most 3 an hour, registrations and resends
together, whoever asks; the one who asks is answered as always (no enumeration)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from kiosk.runtime import Runtime
from kiosk.services import KioskServices
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, register_demo
from tests.support.mail import SmtpSink, plain_text

ACTIVATION_SUBJECT = "Activez votre espace client"
SPACED = timedelta(seconds=61)


async def e_mails_to(runtime: Runtime, smtp: SmtpSink, address: str) -> list[str]:
    """The subjects of every e-mail the address has received so far."""
    await runtime.worker.deliver_all_due()
    return [
        message["Subject"]
        for (_sender, recipients), message in zip(smtp.envelopes, smtp.messages, strict=True)
        if address in recipients
    ]


async def test_resends_share_the_addresses_three_an_hour_with_the_registration(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    receipt = await register_demo(services)
    answers = []
    for _ in range(4):
        clock.advance(SPACED)
        answers.append(await services.registration.resend_activation(receipt.token))
    assert answers == [60.0] * 4  # the fourth is answered like the others...
    received = await e_mails_to(runtime, smtp, DEMO_EMAIL)
    assert received == [ACTIVATION_SUBJECT] * 3  # ...but sends nothing

    clock.advance(timedelta(hours=1))
    await services.registration.resend_activation(receipt.token)
    assert len(await e_mails_to(runtime, smtp, DEMO_EMAIL)) == 4


async def test_a_new_registration_brings_no_new_allowance(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    """Registering again (from another kiosk) used to bring five resends more each time."""
    kiosk_a, kiosk_b = services.for_origin("kiosk-a"), services.for_origin("kiosk-b")
    first = await register_demo(kiosk_a)
    clock.advance(SPACED)
    await kiosk_a.registration.resend_activation(first.token)
    clock.advance(SPACED)
    second = await register_demo(kiosk_b)  # replaces the pending account: a fresh receipt
    for _ in range(3):
        clock.advance(SPACED)
        assert await kiosk_b.registration.resend_activation(second.token) == 60.0
    assert len(await e_mails_to(runtime, smtp, DEMO_EMAIL)) == 3


async def test_the_e_mail_states_the_configured_validity(
    make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    runtime = make_runtime(activation_ttl_hours=1.5)
    try:
        await register_demo(runtime.services)
        await runtime.worker.deliver_all_due()
        [message] = smtp.messages
        body = plain_text(message)
    finally:
        await runtime.engine.dispose()
    assert "valable que 1,5 heures" in body
    assert "48" not in body and "2 heures" not in body
