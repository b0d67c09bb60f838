"""Snapshots of the high-contrast theme (SPEC §12), at 80x24: the measure of every text's
contrast is ``tests/ui/test_contrast.py``; these show what it looks like."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kiosk.app import KioskApp
from tests.support.demo import DEMO_EMAIL
from tests.support.ui import SnapCompare, fill, settle, to_code_after_registration, to_identity

Kiosk = Callable[..., KioskApp]


def test_contrast_welcome(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    assert snap_compare(kiosk(theme="contrast"), run_before=settle)


def test_contrast_identity_with_errors_and_checklist(
    snap_compare: SnapCompare, kiosk: Kiosk
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await to_identity(pilot)
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", "eau1!")
        pilot.app.screen.query_one("#next").focus()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(kiosk(theme="contrast"), run_before=run_before)


def test_contrast_code_after_registration(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    assert snap_compare(kiosk(theme="contrast"), run_before=to_code_after_registration)


def test_contrast_switched_by_ctrl_t(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3", "ctrl+t")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)
