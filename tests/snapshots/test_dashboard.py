"""Snapshots of the Dashboard, at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.runtime import Runtime
from tests.support.mail import SmtpSink, read_code
from tests.support.ui import SnapCompare, fill, settle, shown, to_code_after_registration


def test_dashboard(
    snap_compare: SnapCompare, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    runtime = make_runtime()

    async def run_before(pilot: Pilot[None]) -> None:
        await to_code_after_registration(pilot)
        await runtime.worker.deliver_all_due()
        [activation] = await smtp.wait_for(1)
        await fill(pilot, "#code", read_code(activation))
        await pilot.press("enter")
        await settle(pilot, lambda: "Velaux" in shown(pilot.app, "#contract-summary"))
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(KioskApp(runtime.services, runtime.settings), run_before=run_before)
