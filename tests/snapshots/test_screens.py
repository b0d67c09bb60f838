"""Every screen in its main states, at 80x24 (SVGs under __snapshots__)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.runtime import Runtime
from screens.apology import ApologyScreen
from screens.code import CodeScreen
from screens.contract import ContractScreen
from screens.identity import IdentityScreen
from screens.idle import IdleScreen
from screens.reset import ResetScreen
from screens.unavailable import UnavailableScreen
from tests.conftest import MovableClock, SmtpSink, read_code
from tests.snapshots.conftest import SnapCompare, settle, type_into
from tests.ui.conftest import DEMO_CONTRACT, DEMO_EMAIL, DEMO_METER, DEMO_PASSWORD, shown

Kiosk = Callable[..., KioskApp]


def test_welcome(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    assert snap_compare(kiosk(), run_before=settle)


def test_commune_chosen(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f2", *"eguil", "enter")
        await settle(pilot, lambda: shown(pilot.app, "#operator") != "")

    assert snap_compare(kiosk(), run_before=run_before)


def test_commune_operator_not_served(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f2", *"aubagne", "enter")
        await settle(pilot, lambda: shown(pilot.app, "#operator-contact") != "")

    assert snap_compare(kiosk(), run_before=run_before)


async def to_identity(pilot: Pilot[None]) -> None:
    await pilot.press("f2", *"velaux", "enter")
    await settle(pilot, lambda: getattr(pilot.app.focused, "id", None) == "continue")
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(pilot.app.screen, IdentityScreen))


def test_identity_empty(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    assert snap_compare(kiosk(), run_before=to_identity)


def test_identity_checklist_partly_satisfied(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_identity(pilot)
        await type_into(pilot, "#last-name", "Dupont")
        await type_into(pilot, "#first-name", "Marie")
        await type_into(pilot, "#email", DEMO_EMAIL)
        await type_into(pilot, "#password", "eau1!")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


def test_identity_required_fields(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_identity(pilot)
        pilot.app.screen.query_one("#next").focus()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


async def to_contract(pilot: Pilot[None]) -> None:
    await to_identity(pilot)
    await type_into(pilot, "#last-name", "Dupont")
    await type_into(pilot, "#first-name", "Marie")
    await type_into(pilot, "#email", DEMO_EMAIL)
    await type_into(pilot, "#password", DEMO_PASSWORD)
    await type_into(pilot, "#password-confirm", DEMO_PASSWORD)
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(pilot.app.screen, ContractScreen))


def test_contract_subscriber_not_found(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_contract(pilot)
        await type_into(pilot, "#contract", "7654321")
        await type_into(pilot, "#meter", DEMO_METER)
        await pilot.press("enter")
        await settle(pilot, lambda: shown(pilot.app, "#form-error") != "")

    assert snap_compare(kiosk(), run_before=run_before)


def test_invoice_help(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_contract(pilot)
        pilot.app.screen.query_one("#invoice-help").focus()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


async def to_code_after_registration(pilot: Pilot[None]) -> None:
    await to_contract(pilot)
    await type_into(pilot, "#contract", DEMO_CONTRACT)
    await type_into(pilot, "#meter", DEMO_METER)
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(pilot.app.screen, CodeScreen))
    pilot.app.clear_notifications()


def test_code_after_registration(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    assert snap_compare(kiosk(), run_before=to_code_after_registration)


def test_code_throttled(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f5")
        for _ in range(6):
            await type_into(pilot, "#code", "ABCD-EFGH-JKMN")
            await pilot.press("enter")
            await settle(pilot, lambda: shown(pilot.app, "#code-error") != "")
        await settle(pilot, lambda: "Trop" in shown(pilot.app, "#code-error"))

    assert snap_compare(kiosk(), run_before=run_before)


def test_code_expired(
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
        await type_into(pilot, "#code", read_code(activation))
        await pilot.press("enter")
        await settle(pilot, lambda: shown(pilot.app, "#form-error") != "")

    assert snap_compare(KioskApp(runtime.services, runtime.settings), run_before=run_before)


def test_reset(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, KioskApp)
        await app.push_screen(ResetScreen(app.services, "grant"))
        await type_into(pilot, "#password", "Cascade-2025!")
        await type_into(pilot, "#password-confirm", "Cascade")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


def test_login_error(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        await type_into(pilot, "#email", DEMO_EMAIL)
        await type_into(pilot, "#password", "Mauvais-1!")
        await pilot.press("enter")
        await settle(pilot, lambda: shown(pilot.app, "#form-error") != "")

    assert snap_compare(kiosk(), run_before=run_before)


def test_forgot(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f4")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


def test_dashboard(
    snap_compare: SnapCompare, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    runtime = make_runtime()

    async def run_before(pilot: Pilot[None]) -> None:
        await to_code_after_registration(pilot)
        await runtime.worker.deliver_all_due()
        [activation] = await smtp.wait_for(1)
        await type_into(pilot, "#code", read_code(activation))
        await pilot.press("enter")
        await settle(pilot, lambda: "Velaux" in shown(pilot.app, "#contract-summary"))
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(KioskApp(runtime.services, runtime.settings), run_before=run_before)


def test_idle_question(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        await pilot.app.push_screen(IdleScreen(30))
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


def test_apology(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.app.push_screen(ApologyScreen())
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


def test_service_unavailable(
    snap_compare: SnapCompare, kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(UnavailableScreen, "RETRY_SECONDS", 3600)  # no retry during the shot

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        await type_into(pilot, "#email", DEMO_EMAIL)
        assert isinstance(pilot.app, KioskApp)
        await pilot.app.push_screen(UnavailableScreen(pilot.app.services))
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


def test_agent_pin(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f12")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)
