"""Forgotten password: neutral answer, the code from the e-mail, the new password, sign in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from kiosk.app import KioskApp
from kiosk.services import KioskServices
from screens.code import CodeScreen
from screens.dashboard import DashboardScreen
from screens.login import LoginScreen
from screens.reset import ResetScreen
from tests.support.demo import DEMO_EMAIL, activate_demo
from tests.support.mail import SmtpSink, read_code
from tests.support.ui import SIZE, fill, notified, shown, wait_for

NEUTRAL = (
    "Si votre compte existe, un e-mail vous a été adressé. "
    "Il contient toutes les informations nécessaires."
)
NEW_PASSWORD = "Cascade-2025!"


async def test_reset_then_sign_in_with_the_new_password(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    await activate_demo(services, smtp, deliver)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f4")
        await fill(pilot, "#email", DEMO_EMAIL)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert notified(app, NEUTRAL)
        await deliver()
        messages = await smtp.wait_for(3)
        await fill(pilot, "#code", read_code(messages[-1]))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResetScreen))
        assert shown(app, "#reset-account") == "Compte concerné : m***@example.fr"
        assert app.focused is not None and app.focused.id == "password"
        await fill(pilot, "#password", NEW_PASSWORD)
        await fill(pilot, "#password-confirm", NEW_PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert notified(app, "Votre mot de passe a été mis à jour.")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", NEW_PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await deliver()
        assert len(await smtp.wait_for(4)) == 4  # "password updated"


async def test_an_unknown_address_gets_the_same_answer(
    make_app: Callable[..., KioskApp], smtp: SmtpSink, deliver: Callable[[], Awaitable[Any]]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f4")
        await fill(pilot, "#email", "personne@example.fr")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert notified(app, NEUTRAL)
        await deliver()
        assert smtp.messages == []


async def test_a_bad_address_is_named(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await fill(pilot, "#email", "pas-une-adresse")
        await pilot.press("enter")
        assert shown(app, "#email-error") == (
            "Veuillez saisir une adresse e-mail valide (254 caractères au plus)."
        )
