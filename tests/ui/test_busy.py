"""The busy line while a submit waits for its service, on that line alone."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input, Static

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.services import KioskServices
from screens.forgot import ForgotScreen
from tests.support.demo import DEMO_EMAIL
from tests.support.ui import SIZE, fill, wait_for


async def test_the_busy_line_shows_while_the_service_answers(
    make_app: Callable[..., KioskApp], services: KioskServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = asyncio.Event()
    request = services.password_reset.request

    async def held(*args: Any, **kwargs: Any) -> Any:
        await answer.wait()
        return await request(*args, **kwargs)

    monkeypatch.setattr(services.password_reset, "request", held)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, ForgotScreen))
        screen = app.screen
        busy = screen.query_one("#busy", Static)
        assert not busy.display
        await fill(pilot, "#email", DEMO_EMAIL)
        await pilot.press("enter")
        await wait_for(pilot, lambda: busy.display)
        assert str(busy.render()) == text("busy")
        # The class is on the line, not on the screen: a class on the screen restyles every
        # widget of the form, twice per submit.
        assert not screen.has_class("-busy")
        answer.set()
        # Until the Code screen that follows has its field: leaving while it mounts would
        # shut the app down under it.
        await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "code")
        assert not busy.display
    assert app.recovery.unexpected_errors == []
