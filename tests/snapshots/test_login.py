"""Snapshots of the Login screen, at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kiosk.app import KioskApp
from tests.support.demo import DEMO_EMAIL
from tests.support.ui import SnapCompare, fill, settle, shown


def test_login_error(snap_compare: SnapCompare, kiosk: Callable[..., KioskApp]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", "Mauvais-1!")
        await pilot.press("enter")
        await settle(pilot, lambda: shown(pilot.app, "#form-error") != "")

    assert snap_compare(kiosk(), run_before=run_before)
