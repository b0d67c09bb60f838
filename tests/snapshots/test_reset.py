"""Snapshots of the Reset screen, at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kiosk.app import KioskApp
from screens.reset import ResetScreen
from tests.support.ui import SnapCompare, fill, settle


def test_reset(snap_compare: SnapCompare, kiosk: Callable[..., KioskApp]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, KioskApp)
        await app.push_screen(ResetScreen(app.services, "ABCD-EFGH-JKMN"))
        await fill(pilot, "#password", "Cascade-2025!")
        await fill(pilot, "#password-confirm", "Cascade")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


def test_reset_names_the_account(snap_compare: SnapCompare, kiosk: Callable[..., KioskApp]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, KioskApp)
        await app.push_screen(ResetScreen(app.services, "grant", "m***@example.fr"))
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)
