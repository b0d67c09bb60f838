"""Kiosk mode: customers cannot leave; an agent leaves with F12 and the PIN."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from kiosk.app import KioskApp
from kiosk.app.textual_internals import notifications
from kiosk.config import DEMO_AGENT_PIN
from kiosk.domain.catalogue import text
from screens.agent import AgentPinScreen
from screens.commune import CommuneScreen
from screens.welcome import WelcomeScreen
from tests.support.ui import SIZE, fill, shown, wait_for


async def test_quit_keys_and_palette_do_nothing(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+q", "ctrl+c", "ctrl+p")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, WelcomeScreen)
        assert notifications(app) == []  # not even Textual's "press ctrl+q to quit"


async def test_escape_goes_back_but_not_from_welcome(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("f2")
        assert isinstance(app.screen, CommuneScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
        assert len(app.screen_stack) == 2  # Textual's blank base screen, then Welcome


async def test_dev_mode_allows_ctrl_q(make_app: Callable[..., KioskApp]) -> None:
    app = make_app(dev=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_f12_and_the_agent_pin(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        assert isinstance(app.screen, AgentPinScreen)
        await fill(pilot, "#agent-pin", "9999")
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#agent-pin-error") != "")
        assert shown(app, "#agent-pin-error") == text("agent_pin_wrong")
        assert app.screen.query_one("#agent-pin", Input).value == ""
        await pilot.press("escape")
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("f12")
        await fill(pilot, "#agent-pin", DEMO_AGENT_PIN)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.return_code == 0)


async def test_a_tiny_terminal_does_not_crash(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=(30, 8)) as pilot:
        for key in ("f2", "escape", "f3", "escape", "f4", "escape", "f5", "escape", "f12"):
            await pilot.press(key)
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
    assert app.recovery.unexpected_errors == []
