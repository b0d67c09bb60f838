"""Unexpected errors: a plain apology, nothing sensitive on screen or in the log, then Welcome."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.services import CommuneChoice, KioskServices
from screens.apology import ApologyScreen
from screens.welcome import WelcomeScreen
from tests.support.ui import SIZE, shown, wait_for


async def test_a_failing_service_shows_the_apology_then_welcome(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    monkeypatch: pytest.MonkeyPatch,
    log_file: Path,
) -> None:
    async def broken_search(query: str, limit: int = 50) -> list[CommuneChoice]:
        contract = "LOCAL-9876543"  # in a local variable and in the message: shown nowhere
        raise RuntimeError(f"database went away while checking {contract}")

    monkeypatch.setattr(services.communes, "search", broken_search)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ApologyScreen))
        assert shown(app, "#apology") == text("apology")
        assert "LOCAL-9876543" not in app.export_screenshot()
        stack = [type(screen) for screen in app.screen_stack[1:]]
        assert stack == [WelcomeScreen, ApologyScreen]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        await pilot.press("f3")  # the kiosk works again
        assert app.screen.query("#login-submit")
    assert len(app.recovery.unexpected_errors) == 1
    logged = log_file.read_text()
    assert "RuntimeError" in logged and "broken_search" in logged
    assert "LOCAL-9876543" not in logged


async def test_a_failing_key_handler_shows_the_apology(
    make_app: Callable[..., KioskApp],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: WelcomeScreen, flow: str) -> None:
        raise ValueError("bug")

    monkeypatch.setattr(WelcomeScreen, "action_choose", broken)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ApologyScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        assert app.is_running


async def test_an_error_that_stops_the_apps_own_loop_leaves_quietly(
    make_app: Callable[..., KioskApp], log_file: Path
) -> None:
    app = make_app()
    error = RuntimeError("while checking LOCAL-9876543")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.pump_failed(error, app_loop_stopped=True)  # what Textual calls in that case
    assert app.return_code == 1
    assert app.recovery.unexpected_errors == [error]
    logged = log_file.read_text()
    assert "RuntimeError" in logged and "LOCAL-9876543" not in logged
