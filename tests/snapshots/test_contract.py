"""Snapshots of the Contract screen and its invoice help, at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kiosk.app import KioskApp
from tests.support.demo import DEMO_METER
from tests.support.ui import SnapCompare, fill, settle, shown, to_contract

Kiosk = Callable[..., KioskApp]


def test_contract_subscriber_not_found(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_contract(pilot)
        await fill(pilot, "#contract", "7654321")
        await fill(pilot, "#meter", DEMO_METER)
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
