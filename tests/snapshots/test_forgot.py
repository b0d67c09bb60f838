"""Snapshots of the Forgot screen, at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kiosk.app import KioskApp
from tests.support.ui import SnapCompare, settle


def test_forgot(snap_compare: SnapCompare, kiosk: Callable[..., KioskApp]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f4")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)
