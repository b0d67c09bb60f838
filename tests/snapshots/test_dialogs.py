"""Snapshots of the dialogs: idle question, apology, database away, agent PIN, at 80x24."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from kiosk.app import KioskApp
from screens.apology import ApologyScreen
from screens.idle import IdleScreen
from screens.unavailable import UnavailableScreen
from tests.support.demo import DEMO_EMAIL
from tests.support.ui import SnapCompare, fill, hold_the_idle_countdown, settle

Kiosk = Callable[..., KioskApp]


def test_idle_question(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f3")
        question = IdleScreen(30)
        await pilot.app.push_screen(question)
        hold_the_idle_countdown(question)
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
        await fill(pilot, "#email", DEMO_EMAIL)
        assert isinstance(pilot.app, KioskApp)
        await pilot.app.push_screen(UnavailableScreen(pilot.app.services))
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)


def test_agent_pin(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f12")
        await settle(pilot)

    assert snap_compare(kiosk(), run_before=run_before)
