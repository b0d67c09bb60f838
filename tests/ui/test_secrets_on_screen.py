"""Sentinel passwords and the real e-mailed codes, through every flow of the screens: never on
the exported screen (a masked field shows bullets only), never in the clipboard, and nothing of
them left anywhere in the kiosk after the idle reset."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from kiosk.app import KioskApp
from screens.code import CodeScreen
from screens.commune import CommuneScreen
from screens.contract import ContractScreen
from screens.dashboard import DashboardScreen
from screens.identity import IdentityScreen
from screens.idle import IdleScreen
from screens.login import LoginScreen
from screens.reset import ResetScreen
from screens.welcome import WelcomeScreen
from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_METER, demo_request
from tests.support.mail import SmtpSink, read_code
from tests.support.ui import NEVER_IDLE, SIZE, fall_idle, fill, svg_text, wait_for

PASSWORD = "Zq7Sentinelle!"
"""The customer's password: distinctive enough that any trace of it is found."""
NEW_PASSWORD = "Wk4Veilleuse?"
"""The password chosen after a reset."""


async def nothing_shows(pilot: Pilot[None], *secrets: str) -> str:
    """Check the exported screen and the clipboard; return the screen's text."""
    app = pilot.app
    for field in app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()
    svg = app.export_screenshot()
    seen = svg_text(svg)
    for secret in secrets:
        for trace in (secret, secret[2:-2]):  # whole, or any part a narrow field would show
            assert trace not in svg
            assert trace not in seen
            assert trace not in app.clipboard
    for field in app.screen.query(Input):
        if field.password and field.value:
            assert "•" * min(len(field.value), field.content_size.width - 1) in seen
    return seen


async def try_to_copy(pilot: Pilot[None], selector: str) -> None:
    """Select the whole field and press every copy and cut key."""
    pilot.app.screen.query_one(selector, Input).focus()
    await pilot.press("ctrl+shift+a", "ctrl+c", "ctrl+shift+a", "ctrl+x", "ctrl+insert")


async def test_registration_and_activation(
    make_app: Callable[..., KioskApp], smtp: SmtpSink, deliver: Callable[[], Awaitable[Any]]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        await pilot.press(*"velaux", "enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "continue")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, IdentityScreen))
        await fill(pilot, "#last-name", "Dupont")
        await fill(pilot, "#first-name", "Marie")
        await fill(pilot, "#email", DEMO_EMAIL)
        app.screen.query_one("#password").focus()
        await pilot.press(*PASSWORD)  # typed key by key
        await fill(pilot, "#password-confirm", PASSWORD)
        await try_to_copy(pilot, "#password")
        await try_to_copy(pilot, "#password-confirm")
        await nothing_shows(pilot, PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await fill(pilot, "#contract", DEMO_CONTRACT)
        await fill(pilot, "#meter", DEMO_METER)
        await nothing_shows(pilot, PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        await nothing_shows(pilot, PASSWORD)

        await deliver()
        [activation] = await smtp.wait_for(1)
        code = read_code(activation)
        await fill(pilot, "#code", code)
        await try_to_copy(pilot, "#code")
        await nothing_shows(pilot, PASSWORD, code, code.replace("-", ""))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await wait_for(pilot, lambda: "1234567" in svg_text(app.export_screenshot()))
        await nothing_shows(pilot, PASSWORD, code, code.replace("-", ""))
    assert app.recovery.unexpected_errors == []


async def test_reset_then_sign_in(
    make_app: Callable[..., KioskApp],
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        [velaux] = await app.services.communes.search("Velaux")
        await app.services.registration.register(
            demo_request(commune_id=velaux.id, password=PASSWORD, password_confirm=PASSWORD)
        )
        await deliver()
        [activation] = await smtp.wait_for(1)
        await app.services.redemption.redeem(read_code(activation))

        await pilot.press("f4")
        await fill(pilot, "#email", DEMO_EMAIL)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        await deliver()
        messages = await smtp.wait_for(3)
        code = read_code(messages[-1])
        await fill(pilot, "#code", code)
        await nothing_shows(pilot, PASSWORD, code)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResetScreen))
        await fill(pilot, "#password", NEW_PASSWORD)
        await fill(pilot, "#password-confirm", NEW_PASSWORD)
        await try_to_copy(pilot, "#password")
        await try_to_copy(pilot, "#password-confirm")
        await nothing_shows(pilot, PASSWORD, NEW_PASSWORD, code)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await nothing_shows(pilot, PASSWORD, NEW_PASSWORD, code)
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", NEW_PASSWORD)
        await try_to_copy(pilot, "#password")
        await nothing_shows(pilot, PASSWORD, NEW_PASSWORD, code)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await nothing_shows(pilot, PASSWORD, NEW_PASSWORD, code)
    assert app.recovery.unexpected_errors == []


async def test_nothing_is_left_after_the_idle_reset(make_app: Callable[..., KioskApp]) -> None:
    app = make_app(idle_seconds=NEVER_IDLE, idle_countdown_seconds=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", PASSWORD)
        app.copy_to_clipboard(PASSWORD)  # as if copied from elsewhere on the kiosk
        fall_idle(app)
        assert isinstance(app.screen, IdleScreen)
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        seen = await nothing_shows(pilot, PASSWORD, DEMO_EMAIL)
        assert "Bienvenue" in seen
        assert app.clipboard == ""
        for screen in app.screen_stack:
            for field in screen.query(Input):
                assert PASSWORD not in field.value and DEMO_EMAIL not in field.value
        await pilot.press("f3")  # a fresh sign-in form
        assert all(field.value == "" for field in app.screen.query(Input))
    assert app.recovery.unexpected_errors == []
