"""Register the demo subscriber with the keyboard, then activate with the e-mailed code."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from kiosk.app import KioskApp
from kiosk.catalogue import text
from screens.code import CodeScreen
from screens.commune import CommuneScreen
from screens.contract import ContractScreen
from screens.dashboard import DashboardScreen
from screens.identity import IdentityScreen
from tests.conftest import SmtpSink, read_code
from tests.ui.conftest import (
    DEMO_CONTRACT,
    DEMO_EMAIL,
    DEMO_METER,
    DEMO_PASSWORD,
    SIZE,
    fill,
    shown,
    wait_for,
)


async def test_register_and_activate_with_the_keyboard(
    make_app: Callable[..., KioskApp],
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        assert app.focused is not None and app.focused.id == "commune"
        await pilot.press(*"velaux")
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#operator") != "")
        assert app.focused is not None and app.focused.id == "continue"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, IdentityScreen))
        assert app.focused is not None and app.focused.id == "last-name"
        await fill(pilot, "#last-name", "Dupont")
        await pilot.press("enter")
        assert app.focused.id == "first-name"
        await fill(pilot, "#first-name", "Marie")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", DEMO_PASSWORD)
        await fill(pilot, "#password-confirm", DEMO_PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await fill(pilot, "#contract", DEMO_CONTRACT)
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "meter"
        await fill(pilot, "#meter", DEMO_METER)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert any(n.message == text("registered") for n in app._notifications)

        await deliver()
        [activation] = await smtp.wait_for(1)
        await fill(pilot, "#code", read_code(activation))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await wait_for(pilot, lambda: DEMO_CONTRACT in shown(app, "#contract-summary"))
        summary = shown(app, "#contract-summary")
        assert "Velaux" in summary and DEMO_METER in summary
        assert any(n.message == text("welcome_body") for n in app._notifications)
    assert app.unexpected_errors == []
