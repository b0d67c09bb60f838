"""Snapshots of every screen and dialog in English (F9 on Welcome first), at 80x24.

The same journeys as the French snapshots of this folder; the SVGs are under
``__snapshots__/test_english/``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.runtime import Runtime
from screens.apology import ApologyScreen
from screens.change_password import ChangePasswordScreen
from screens.dashboard import DashboardScreen
from screens.idle import IdleScreen
from screens.reset import ResetScreen
from screens.unavailable import UnavailableScreen
from screens.welcome import WelcomeScreen
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_METER
from tests.support.mail import SmtpSink, read_code
from tests.support.ui import (
    SnapCompare,
    fill,
    hold_the_idle_countdown,
    settle,
    shown,
    to_code_after_registration,
    to_contract,
    to_identity,
)

Kiosk = Callable[..., KioskApp]
Journey = Callable[[Pilot[None]], Awaitable[None]]


def in_english(journey: Journey) -> Journey:
    """F9 on Welcome, as a customer does, then ``journey``."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot, lambda: isinstance(pilot.app.screen, WelcomeScreen))
        await pilot.press("f9")
        await settle(pilot, lambda: getattr(pilot.app, "language", "") == "en")
        await journey(pilot)

    return run_before


async def welcome(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def commune_chosen(pilot: Pilot[None]) -> None:
    await pilot.press("f2", *"eguil", "enter")
    await settle(pilot, lambda: shown(pilot.app, "#operator") != "")


async def commune_operator_not_served(pilot: Pilot[None]) -> None:
    await pilot.press("f2", *"aubagne", "enter")
    await settle(pilot, lambda: shown(pilot.app, "#operator-contact") != "")


async def identity_checklist_partly_satisfied(pilot: Pilot[None]) -> None:
    await to_identity(pilot)
    await fill(pilot, "#last-name", "Dupont")
    await fill(pilot, "#first-name", "Marie")
    await fill(pilot, "#email", DEMO_EMAIL)
    await fill(pilot, "#password", "eau1!")
    await settle(pilot)


async def identity_required_fields(pilot: Pilot[None]) -> None:
    await to_identity(pilot)
    pilot.app.screen.query_one("#next").focus()
    await pilot.press("enter")
    await settle(pilot)


async def contract_subscriber_not_found(pilot: Pilot[None]) -> None:
    await to_contract(pilot)
    await fill(pilot, "#contract", "7654321")
    await fill(pilot, "#meter", DEMO_METER)
    await pilot.press("enter")
    await settle(pilot, lambda: shown(pilot.app, "#form-error") != "")


async def invoice_help(pilot: Pilot[None]) -> None:
    await to_contract(pilot)
    pilot.app.screen.query_one("#invoice-help").focus()
    await pilot.press("enter")
    await settle(pilot)


async def code_throttled(pilot: Pilot[None]) -> None:
    await pilot.press("f5")
    for _ in range(6):
        await fill(pilot, "#code", "ABCD-EFGH-JKMN")
        await pilot.press("enter")
        await settle(pilot, lambda: shown(pilot.app, "#code-error") != "")
    await settle(pilot, lambda: "Too many" in shown(pilot.app, "#code-error"))


async def forgot(pilot: Pilot[None]) -> None:
    await pilot.press("f4")
    await settle(pilot)


async def login_error(pilot: Pilot[None]) -> None:
    await pilot.press("f3")
    await fill(pilot, "#email", DEMO_EMAIL)
    await fill(pilot, "#password", "Wrong-pass-1!")
    await pilot.press("enter")
    await settle(pilot, lambda: shown(pilot.app, "#form-error") != "")


async def reset(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, KioskApp)
    await app.push_screen(ResetScreen(app.services, "grant"))
    await fill(pilot, "#password", "Cascade-2025!")
    await fill(pilot, "#password-confirm", "Cascade")
    await settle(pilot)


async def idle_question(pilot: Pilot[None]) -> None:
    await pilot.press("f3")
    question = IdleScreen(30)
    await pilot.app.push_screen(question)
    hold_the_idle_countdown(question)
    await settle(pilot)


async def apology(pilot: Pilot[None]) -> None:
    await pilot.app.push_screen(ApologyScreen())
    await settle(pilot)


async def service_unavailable(pilot: Pilot[None]) -> None:
    await pilot.press("f3")
    await fill(pilot, "#email", DEMO_EMAIL)
    assert isinstance(pilot.app, KioskApp)
    await pilot.app.push_screen(UnavailableScreen(pilot.app.services))
    await settle(pilot)


async def agent_pin(pilot: Pilot[None]) -> None:
    await pilot.press("f12")
    await settle(pilot)


JOURNEYS: dict[str, Journey] = {
    "welcome": welcome,
    "commune_chosen": commune_chosen,
    "commune_operator_not_served": commune_operator_not_served,
    "identity_empty": to_identity,
    "identity_checklist_partly_satisfied": identity_checklist_partly_satisfied,
    "identity_required_fields": identity_required_fields,
    "contract_subscriber_not_found": contract_subscriber_not_found,
    "invoice_help": invoice_help,
    "code_after_registration": to_code_after_registration,
    "code_throttled": code_throttled,
    "forgot": forgot,
    "login_error": login_error,
    "reset": reset,
    "idle_question": idle_question,
    "apology": apology,
    "service_unavailable": service_unavailable,
    "agent_pin": agent_pin,
}
"""The screens that need no e-mail, by the name of their French snapshot."""


@pytest.mark.parametrize("journey", list(JOURNEYS), ids=list(JOURNEYS))
def test_screen_in_english(
    journey: str,
    snap_compare: SnapCompare,
    kiosk: Kiosk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(UnavailableScreen, "RETRY_SECONDS", 3600)  # no retry during the shot
    assert snap_compare(kiosk(), run_before=in_english(JOURNEYS[journey]))


async def activate(pilot: Pilot[None], runtime: Runtime, smtp: SmtpSink) -> None:
    """Registration, then the e-mail's code typed: the Dashboard."""
    await to_code_after_registration(pilot)
    await runtime.worker.deliver_all_due()
    [activation] = await smtp.wait_for(1)
    await fill(pilot, "#code", read_code(activation))
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen))
    await settle(pilot, lambda: "Velaux" in shown(pilot.app, "#contract-summary"))
    pilot.app.clear_notifications()
    await settle(pilot)


def test_dashboard_in_english(
    snap_compare: SnapCompare, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    runtime = make_runtime()

    async def run_before(pilot: Pilot[None]) -> None:
        await activate(pilot, runtime, smtp)

    app = KioskApp(runtime.services, runtime.settings)
    assert snap_compare(app, run_before=in_english(run_before))


def test_change_password_in_english(
    snap_compare: SnapCompare, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    runtime = make_runtime()

    async def run_before(pilot: Pilot[None]) -> None:
        await activate(pilot, runtime, smtp)
        await pilot.press("f6")
        await settle(pilot, lambda: isinstance(pilot.app.screen, ChangePasswordScreen))

    app = KioskApp(runtime.services, runtime.settings)
    assert snap_compare(app, run_before=in_english(run_before))


def test_code_expired_in_english(
    snap_compare: SnapCompare,
    make_runtime: Callable[..., Runtime],
    smtp: SmtpSink,
    clock: MovableClock,
) -> None:
    runtime = make_runtime()

    async def run_before(pilot: Pilot[None]) -> None:
        await to_code_after_registration(pilot)
        await runtime.worker.deliver_all_due()
        [activation] = await smtp.wait_for(1)
        clock.advance(timedelta(hours=49))
        await fill(pilot, "#code", read_code(activation))
        await pilot.press("enter")
        await settle(pilot, lambda: shown(pilot.app, "#form-error") != "")

    app = KioskApp(runtime.services, runtime.settings)
    assert snap_compare(app, run_before=in_english(run_before))
