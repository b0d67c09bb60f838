"""The next customer at the kiosk finds nothing of the previous one's registration."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from kiosk.app import KioskApp
from screens.contract import ContractScreen
from screens.welcome import WelcomeScreen
from tests.support.demo import DEMO_CONTRACT, DEMO_METER
from tests.support.ui import SIZE, fill, identity_screen, submit_identity, wait_for


async def test_escaping_back_to_welcome_leaves_nothing_for_the_next_customer(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        await submit_identity(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await fill(pilot, "#contract", DEMO_CONTRACT)
        await fill(pilot, "#meter", DEMO_METER)
        for _ in range(3):  # the first customer walks away with Escape
            await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))

        await identity_screen(pilot)  # the next customer, same commune
        for field in ("#last-name", "#first-name", "#email", "#password", "#password-confirm"):
            assert app.screen.query_one(field, Input).value == ""
        await submit_identity(
            pilot,
            last_name="Martin",
            first_name="Paul",
            email="paul.martin@example.fr",
            password="Autre#Source-88",
        )
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        assert app.screen.query_one("#contract", Input).value == ""
        assert app.screen.query_one("#meter", Input).value == ""
