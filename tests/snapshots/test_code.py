"""Snapshots of the Code screen, at 80x24."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.runtime import Runtime
from tests.support.clock import MovableClock
from tests.support.mail import SmtpSink, read_code
from tests.support.ui import SnapCompare, fill, settle, shown, to_code_after_registration

Kiosk = Callable[..., KioskApp]


def test_code_after_registration(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    assert snap_compare(kiosk(), run_before=to_code_after_registration)


def test_code_throttled(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f5")
        for _ in range(6):
            await fill(pilot, "#code", "ABCD-EFGH-JKMN")
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
        await fill(pilot, "#code", read_code(activation))
        await pilot.press("enter")
        await settle(pilot, lambda: shown(pilot.app, "#form-error") != "")

    assert snap_compare(KioskApp(runtime.services, runtime.settings), run_before=run_before)
