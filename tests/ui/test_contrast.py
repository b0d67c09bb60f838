"""The high-contrast theme (SPEC §12): every text drawn at least 7:1 on its background, each
screen rendered and every character's colours measured (WCAG 2's formula); Ctrl+T switches at
any time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.widgets import Button

from kiosk.app import KioskApp
from kiosk.services import KioskServices
from screens.code import CodeScreen
from screens.contract import ContractScreen
from screens.dashboard import DashboardScreen
from screens.idle import IdleScreen
from screens.login import LoginScreen
from tests.support.contrast import below, drawn_pairs
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, activate_demo
from tests.support.mail import SmtpSink
from tests.support.ui import (
    NEVER_IDLE,
    SIZE,
    fall_idle,
    fill,
    identity_screen,
    settle,
    shown,
    submit_identity,
    wait_for,
)

AAA = 7.0
"""SPEC §12: at least 7:1 (WCAG 2's level AAA for text)."""


async def test_every_text_of_a_registration_is_at_least_seven_to_one(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app(theme="contrast")
    low: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert app.theme == "contrast"
        low["welcome"] = below(app.screen, AAA)
        await pilot.press("f2", *"aubagne", "enter")  # an operator not served: a warning
        await settle(pilot, lambda: app.screen.query_one("#operator-contact").has_class("-shown"))
        low["commune, not served"] = below(app.screen, AAA)
        await pilot.press("escape")
        await identity_screen(pilot)
        app.screen.query_one("#next", Button).focus()
        await pilot.press("enter")  # every field says it is mandatory
        await fill(pilot, "#password", "abc1")  # ticks and crosses
        await settle(pilot)
        low["identity, errors"] = below(app.screen, AAA)
        await submit_identity(pilot)
        await settle(pilot, lambda: isinstance(app.screen, ContractScreen))
        await fill(pilot, "#contract", "7654321")
        await fill(pilot, "#meter", "A12B345678")
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen.query_one("#form-error").has_class("-shown"))
        low["contract, refused"] = below(app.screen, AAA)
        await fill(pilot, "#contract", "1234567")
        await pilot.press("enter", "enter")
        await settle(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert app.screen.query("Toast")  # the notification of SPEC §2.4 is measured too
        low["code, with its notification"] = below(app.screen, AAA)
    assert {screen: problems for screen, problems in low.items() if problems} == {}


async def test_sign_in_dashboard_and_idle_question_are_at_least_seven_to_one(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    await activate_demo(services, smtp, deliver)
    app = make_app(theme="contrast", idle_seconds=NEVER_IDLE, idle_countdown_seconds=30)
    low: dict[str, list[str]] = {}
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f3")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", "Mauvais-1!")
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen.query_one("#form-error").has_class("-shown"))
        low["login, refused"] = below(app.screen, AAA)
        await fill(pilot, "#password", DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await settle(pilot, lambda: "1234567" in shown(app, "#contract-summary"))
        low["dashboard"] = below(app.screen, AAA)
        fall_idle(app)
        await wait_for(pilot, lambda: isinstance(app.screen, IdleScreen))
        await settle(pilot)
        low["idle question"] = below(app.screen, AAA)
    assert {screen: problems for screen, problems in low.items() if problems} == {}


async def test_the_measure_finds_the_usual_theme_below_seven_to_one(
    make_app: Callable[..., KioskApp],
) -> None:
    # The measure itself: the usual theme's banner (light blue-grey on blue) is under 7:1.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "kiosk"
        assert any("Espace Client" in problem for problem in below(app.screen, AAA))
        assert len(drawn_pairs(app.screen)) >= 4


async def test_ctrl_t_switches_the_theme_anywhere(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "a", "ctrl+t")
        assert app.theme == "contrast"
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#email").value == "a"  # type: ignore[attr-defined]
        await pilot.press("ctrl+t")
        assert app.theme == "kiosk"
