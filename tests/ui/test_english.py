"""SPEC §11 at the kiosk: F9 on Welcome switches every open screen, the customer registers in
English with the keyboard only, the e-mail is English and its link opens an English page;
the next customer finds French."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.widgets import Button

from kiosk.app import KioskApp
from kiosk.app.textual_internals import notifications
from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from kiosk.services import KioskServices
from screens.code import CodeScreen
from screens.commune import CommuneScreen
from screens.contract import ContractScreen
from screens.dashboard import DashboardScreen
from screens.identity import IdentityScreen
from screens.idle import IdleScreen
from screens.login import LoginScreen
from screens.welcome import WelcomeScreen
from tests.support.demo import (
    DEMO_CONTRACT,
    DEMO_EMAIL,
    DEMO_METER,
    DEMO_PASSWORD,
    activate_demo,
)
from tests.support.mail import SmtpSink, plain_text, read_code
from tests.support.ui import NEVER_IDLE, SIZE, fall_idle, notified, shown, svg_text, typed, wait_for
from tests.support.web import client_for, link_path, parse
from web.app import create_app


def screen_text(app: KioskApp) -> str:
    """Every character on the terminal, Footer and notifications included."""
    return svg_text(app.export_screenshot())


async def test_f9_switches_welcome_its_footer_and_the_notification_at_once(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        app.notices.tell("signed_out")  # what the previous customer was told
        await pilot.pause()
        assert "Créer mon espace client" in screen_text(app)
        assert str(app.screen.query_one("#language", Button).label) == "English"

        await pilot.press("f9")
        await wait_for(pilot, lambda: "F2 Create" in screen_text(app))
        shot = screen_text(app)
        assert "Create my customer space" in shot
        assert "Welcome to your Customer Space" in shot
        assert "Step 1 of 4" in shot
        assert "F9 Français" in shot
        assert "You are signed out. See you soon!" in shot
        assert "Créer" not in shot and "Étape" not in shot
        assert app.title == "Customer Space · Online Agency"

        # The button goes back, from the keyboard as well.
        app.screen.query_one("#language", Button).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "F2 Créer" in screen_text(app))
        assert "Bienvenue sur votre Espace Client" in screen_text(app)
        assert notified(app, text("signed_out"))


async def test_an_english_registration_with_the_keyboard_gets_an_english_mail_and_page(
    make_app: Callable[..., KioskApp],
    runtime: Runtime,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("f9", "f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        assert "Choose your town" in screen_text(app)
        await pilot.press(*"velaux", "enter")
        await wait_for(pilot, lambda: shown(app, "#operator") != "")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, IdentityScreen))
        assert "For security reasons, your password must contain:" in screen_text(app)
        assert "✗ A number" in screen_text(app)
        for value in ("Dupont", "Marie", DEMO_EMAIL, DEMO_PASSWORD, DEMO_PASSWORD):
            await pilot.press(*typed(value), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        assert "Where do I find these numbers?" in screen_text(app)
        await pilot.press(*typed(DEMO_CONTRACT), "enter", *typed(DEMO_METER), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert notified(app, text("registered", "en"))
        assert "Enter your code" in screen_text(app)

        await deliver()
        [activation] = await smtp.wait_for(1)
        assert activation["Subject"] == "Activate your customer space"
        body = plain_text(activation)
        assert body.startswith("Hello Marie,")
        assert "To activate it, enter this code at the kiosk:" in body
        assert "Bonjour" not in body and "Attention" not in body
        html_part = activation.get_body(preferencelist=("html",))
        assert html_part is not None and '<html lang="en">' in html_part.get_content()

        # The e-mail's link opens the web companion in English.
        path = link_path(activation)
        assert path.endswith("&lang=en")
        async with client_for(create_app(runtime.services, runtime.settings)) as browser:
            landing = await browser.get(path)
            page = await browser.get(landing.headers["location"])
        assert '<html lang="en">' in page.text
        assert "Activate my customer space" in parse(page.text).text
        assert "Activer" not in page.text

        await pilot.press(*typed(read_code(activation)), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await wait_for(pilot, lambda: "Contract number" in shown(app, "#contract-summary"))
        assert "Your account has been confirmed." in screen_text(app)

        # Signing out brings French back for the next customer; the farewell is in English.
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await wait_for(pilot, lambda: "F2 Créer" in screen_text(app))
        assert app.language == "fr"
        assert [n.message for n in notifications(app)] == ["You are signed out. See you soon!"]

    await deliver()
    [_activation, confirmed] = await smtp.wait_for(2)
    assert confirmed["Subject"] == "Your customer space is activated"


async def test_the_idle_reset_brings_french_back(make_app: Callable[..., KioskApp]) -> None:
    app = make_app(idle_seconds=NEVER_IDLE, idle_countdown_seconds=1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("f9", "f3")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert "Sign in with the e-mail address" in screen_text(app)
        fall_idle(app)
        await wait_for(pilot, lambda: isinstance(app.screen, IdleScreen))
        await wait_for(pilot, lambda: "Are you still there?" in screen_text(app))
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await wait_for(pilot, lambda: app.language == "fr")
        assert "Créer mon espace client" in screen_text(app)


async def test_an_untouched_english_welcome_goes_back_to_french(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app(idle_seconds=NEVER_IDLE)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.language == "en")
        fall_idle(app)  # a delay of half a second raced the check of English (soak, load 3)
        await wait_for(pilot, lambda: app.language == "fr")
        assert "Créer mon espace client" in screen_text(app)


async def test_a_sign_in_in_english_at_the_kiosk_makes_the_account_english(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    await activate_demo(services, smtp, deliver)  # registered in French: two French e-mails
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("f9", "f3")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press(*typed(DEMO_EMAIL), "enter", *typed(DEMO_PASSWORD), "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
    await services.password_reset.request(DEMO_EMAIL)
    await deliver()
    reset = (await smtp.wait_for(3))[2]
    assert reset["Subject"] == "Resetting your password"
