"""The account's language (SPEC §11): kept at registration and at each sign-in, through the
services; every e-mail of the account is written in it and its links carry it."""

from __future__ import annotations

from datetime import timedelta

from kiosk.services import KioskServices, RegistrationRequest
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, Deliver, register_demo
from tests.support.mail import SmtpSink, plain_text, read_code

BOTH_ENGINES = True


async def test_every_mail_follows_the_language_of_the_last_sign_in(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    await register_demo(services, language="en")
    await deliver()
    [activation] = await smtp.wait_for(1)
    assert activation["Subject"] == "Activate your customer space"
    assert "&lang=en" in plain_text(activation)
    await services.redemption.redeem(read_code(activation))
    await deliver()
    assert (await smtp.wait_for(2))[1]["Subject"] == "Your customer space is activated"

    # Signed in in French: the account's e-mails are French again, their links plain.
    await services.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD, "fr")
    await services.password_reset.request(DEMO_EMAIL)
    await deliver()
    french = (await smtp.wait_for(3))[2]
    assert french["Subject"] == "Réinitialisation de votre mot de passe"
    assert "lang=" not in plain_text(french)

    # A sign-in without a language (a caller that has none) leaves it as it is.
    await services.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD, "en")
    session = await services.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    await services.sessions.change_password(
        session.token, DEMO_PASSWORD, "Cascade-2025!", "Cascade-2025!"
    )
    await deliver()
    updated = (await smtp.wait_for(4))[3]
    assert updated["Subject"] == "Your password has been updated"
    assert plain_text(updated).startswith("Hello Marie,")


async def test_a_language_nobody_speaks_is_kept_as_french(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    await register_demo(services, language="de")
    await deliver()
    [activation] = await smtp.wait_for(1)
    assert activation["Subject"] == "Activez votre espace client"


async def test_the_address_in_use_warning_is_in_the_owners_language(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, clock: MovableClock
) -> None:
    await register_demo(services, language="en")
    await deliver()
    [activation] = await smtp.wait_for(1)
    await services.redemption.redeem(read_code(activation))
    clock.advance(timedelta(seconds=61))  # registration e-mails to one address: 60 s apart
    [ciotat] = await services.communes.search("La Ciotat")
    # Someone else, at a French kiosk, types the owner's address.
    await services.registration.register(
        RegistrationRequest(
            ciotat.id,
            "Ndiaye",
            "Aminata",
            DEMO_EMAIL,
            DEMO_PASSWORD,
            DEMO_PASSWORD,
            "2345678",
            "P10E556677",
            language="fr",
        )
    )
    await deliver()
    warning = (await smtp.wait_for(3))[2]
    assert warning["Subject"] == "Attempt to open a customer space with your address"
