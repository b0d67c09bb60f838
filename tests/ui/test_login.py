"""Sign in: wrong password, the throttle after five, a space not yet activated."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.widgets import Input

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.services import KioskServices
from screens.forgot import ForgotScreen
from screens.login import LoginScreen
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, activate_demo, register_demo
from tests.support.mail import SmtpSink
from tests.support.ui import SIZE, fill, shown, wait_for


async def sign_in(pilot: Any, password: str) -> str:
    app = pilot.app
    await fill(pilot, "#email", DEMO_EMAIL)
    await fill(pilot, "#password", password)
    app.screen.query_one("#form-error").remove_class("-shown")
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.query_one("#form-error").has_class("-shown"))
    return shown(app, "#form-error")


async def test_wrong_passwords_then_the_throttle(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    await activate_demo(services, smtp, deliver)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        assert isinstance(app.screen, LoginScreen)
        for _ in range(4):
            assert await sign_in(pilot, "Mauvais-1!") == text("invalid_credentials")
            assert app.screen.query_one("#password", Input).value == ""
        # Locked: the wait, and the way out that a stranger's wrong passwords cannot block.
        locked = (
            "Trop de tentatives. Veuillez réessayer dans 1 minute. Pour ne pas attendre, "
            "choisissez un nouveau mot de passe avec « Mot de passe oublié ? »."
        )
        assert await sign_in(pilot, "Mauvais-1!") == locked
        assert await sign_in(pilot, DEMO_PASSWORD) == locked


async def test_a_pending_space_asks_for_the_code(
    make_app: Callable[..., KioskApp], services: KioskServices
) -> None:
    await register_demo(services)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        assert await sign_in(pilot, DEMO_PASSWORD) == text("account_not_activated")


async def test_forgot_button_and_tab_order(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        order = []
        for _ in range(4):
            assert app.focused is not None
            order.append(app.focused.id)
            await pilot.press("tab")
        assert order == ["email", "password", "login-submit", "forgot"]
        await pilot.press("shift+tab", "enter")
        assert isinstance(app.screen, ForgotScreen)
