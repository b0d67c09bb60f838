"""Type-ahead at 80x24: whole bursts of keys, posted to the app without a pause, land field by
field in order on every form, and the keys typed while a screen opens reach its first field.

Each burst is posted straight to the app's queue (as the terminal's input thread does when a
scanner or a fast agent types), then the test waits for the result, never between keys.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.css.query import NoMatches
from textual.widgets import Input, OptionList

from kiosk.app import KioskApp
from kiosk.config import DEMO_AGENT_PIN
from kiosk.services import KioskServices
from screens.agent import AgentPinScreen
from screens.change_password import ChangePasswordScreen
from screens.code import CodeScreen
from screens.commune import CommuneScreen
from screens.contract import ContractScreen
from screens.dashboard import DashboardScreen
from screens.forgot import ForgotScreen
from screens.identity import IdentityScreen
from screens.login import LoginScreen
from screens.reset import ResetScreen
from tests.support.demo import (
    DEMO_CONTRACT,
    DEMO_EMAIL,
    DEMO_METER,
    DEMO_PASSWORD,
    activate_demo,
)
from tests.support.mail import SmtpSink
from tests.support.ui import SMALL, burst, fill, typed, wait_for

NEW_PASSWORD = "Nouveau-Mot-2!"


def values(app: KioskApp, *field_ids: str, screen: Any = None) -> list[str]:
    """The values of these fields of the screen (none while it is still being composed)."""
    on = screen or app.screen
    try:
        return [on.query_one(f"#{field_id}", Input).value for field_id in field_ids]
    except NoMatches:
        return []


async def on_continue(pilot: Any) -> None:
    """Welcome -> Velaux chosen (the operator needs a service call): focus on #continue."""
    app = pilot.app
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
    await pilot.press(*"velaux", "enter")
    await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "continue")


async def test_commune_to_identity_to_contract_in_one_burst(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await on_continue(pilot)
        burst(
            app,
            "enter",  # #continue: the Identity screen opens, no service call
            *typed(f"Dupont\nMarie\n{DEMO_EMAIL}\n{DEMO_PASSWORD}\n{DEMO_PASSWORD}\n"),
            *typed(f"{DEMO_CONTRACT}\n{DEMO_METER}"),  # the Contract screen opens meanwhile
        )
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ContractScreen) and values(app, "meter") == [DEMO_METER],
        )
        identity = app.screen_stack[-2]
        assert isinstance(identity, IdentityScreen)
        fields = ("last-name", "first-name", "email", "password", "password-confirm")
        assert values(app, *fields, screen=identity) == [
            "Dupont",
            "Marie",
            DEMO_EMAIL,
            DEMO_PASSWORD,
            DEMO_PASSWORD,
        ]
        assert values(app, "contract", "meter") == [DEMO_CONTRACT, DEMO_METER]
        assert app.focused is not None and app.focused.id == "meter"
    assert app.recovery.unexpected_errors == []


async def test_escape_back_to_a_form_types_into_its_first_field(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await on_continue(pilot)
        burst(app, "enter", *typed(f"Dupont\nMarie\n{DEMO_EMAIL}\n{DEMO_PASSWORD}\n"))
        # Back from Contract at once; the first field's text is selected when it takes the
        # focus (as after a slow Escape), so the name typed replaces it.
        burst(app, *typed(f"{DEMO_PASSWORD}\n"), "escape", *"Durand")
        await wait_for(pilot, lambda: values(app, "last-name") == ["Durand"])
        assert isinstance(app.screen, IdentityScreen)
        assert app.focused is not None and app.focused.id == "last-name"


@pytest.mark.parametrize(
    ("key", "screen", "field_id", "text"),
    [
        ("f2", CommuneScreen, "commune", "velaux"),
        ("f3", LoginScreen, "email", DEMO_EMAIL),
        ("f4", ForgotScreen, "email", DEMO_EMAIL),
        ("f5", CodeScreen, "code", "ABCD-EFGH-JKMN"),
        ("f12", AgentPinScreen, "agent-pin", DEMO_AGENT_PIN),
    ],
)
async def test_keys_typed_while_a_screen_opens_reach_its_first_field(
    make_app: Callable[..., KioskApp], key: str, screen: type, field_id: str, text: str
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        burst(app, key, *text)
        await wait_for(pilot, lambda: isinstance(app.screen, screen))
        await wait_for(pilot, lambda: values(app, field_id) == [text])
        if isinstance(app.screen, CommuneScreen):
            # Let the search end: a query cut off by the end of the test leaves SQLAlchemy
            # closing its connection while the test's event loop closes.
            options = app.screen.query_one("#commune-list", OptionList)
            await wait_for(pilot, lambda: options.option_count == 1)


async def test_login_and_forgot_in_one_burst_each(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        burst(app, "f3", *typed(f"{DEMO_EMAIL}\nMauvais-1"))
        await wait_for(pilot, lambda: values(app, "password") == ["Mauvais-1"])
        assert values(app, "email") == [DEMO_EMAIL]
        burst(app, "escape", "f4", *DEMO_EMAIL)
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ForgotScreen) and values(app, "email") == [DEMO_EMAIL],
        )


async def test_code_contract_and_reset_in_one_burst_each(
    make_app: Callable[..., KioskApp], services: KioskServices
) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await app.push_screen(ResetScreen(services, "ABCD-EFGH-JKMN"))
        burst(app, *typed(f"{NEW_PASSWORD}\n{NEW_PASSWORD}"))
        await wait_for(pilot, lambda: values(app, "password-confirm") == [NEW_PASSWORD])
        assert values(app, "password") == [NEW_PASSWORD]
        await on_continue_from(app, pilot)
        burst(app, *typed(f"{DEMO_CONTRACT}\n{DEMO_METER}"))
        await wait_for(pilot, lambda: values(app, "meter") == [DEMO_METER])
        assert values(app, "contract") == [DEMO_CONTRACT]


async def on_continue_from(app: KioskApp, pilot: Any) -> None:
    """From any screen to the Contract screen, the Identity screen filled at once."""
    await app.attendance.reset_kiosk()
    await on_continue(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, IdentityScreen))
    for field_id, value in (
        ("last-name", "Dupont"),
        ("first-name", "Marie"),
        ("email", DEMO_EMAIL),
        ("password", DEMO_PASSWORD),
        ("password-confirm", DEMO_PASSWORD),
    ):
        await fill(pilot, f"#{field_id}", value)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))


async def test_f6_then_the_change_of_password_in_one_burst(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    await activate_demo(services, smtp, deliver)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        burst(app, "f3", *typed(f"{DEMO_EMAIL}\n{DEMO_PASSWORD}\n"))  # the sign-in: a service
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        burst(app, "f6", *typed(f"{DEMO_PASSWORD}\n{NEW_PASSWORD}\n{NEW_PASSWORD}"))
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, ChangePasswordScreen)
                and values(app, "password-confirm") == [NEW_PASSWORD]
            ),
        )
        assert values(app, "current-password", "password") == [DEMO_PASSWORD, NEW_PASSWORD]


async def test_typing_stops_at_the_fields_maximum(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await on_continue(pilot)
        burst(app, "enter", *("a" * 70), "enter", *("b" * 61))
        await wait_for(pilot, lambda: values(app, "first-name") == ["b" * 60])
        assert values(app, "last-name") == ["a" * 60]
