"""Snapshots of the Identity screen, at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kiosk.app import KioskApp
from tests.support.demo import DEMO_EMAIL
from tests.support.ui import SnapCompare, fill, settle, to_identity

Kiosk = Callable[..., KioskApp]


def test_identity_empty(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    assert snap_compare(kiosk(), run_before=to_identity)


def test_identity_checklist_partly_satisfied(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_identity(pilot)
        await fill(pilot, "#last-name", "Dupont")
        await fill(pilot, "#first-name", "Marie")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", "eau1!")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


def test_identity_required_fields(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_identity(pilot)
        pilot.app.screen.query_one("#next").focus()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)
