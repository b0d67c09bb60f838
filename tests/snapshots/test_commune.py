"""Snapshots of the Commune screen, at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kiosk.app import KioskApp
from tests.support.ui import SnapCompare, settle, shown

Kiosk = Callable[..., KioskApp]


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
