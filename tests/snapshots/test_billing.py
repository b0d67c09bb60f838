"""Snapshots of the dashboard's services at 80x24 (SPEC §9): invoices, one invoice, the
consumption chart, the meter reading asking to confirm, the dashboard with its alert."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable

from kiosk.app import KioskApp
from kiosk.runtime import Runtime
from screens.dashboard import DashboardScreen
from tests.support.billing import AFTER_THE_DEMO, LEAKING, signed_in_customer
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.mail import SmtpSink
from tests.support.ui import SnapCompare, fill, settle, shown

Steps = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture(autouse=True)
def after_the_demo(clock: MovableClock) -> None:
    clock.now = AFTER_THE_DEMO


def signed_in_then(runtime: Runtime, smtp: SmtpSink, steps: Steps, **customer: str) -> Steps:
    """Register the customer through the services, sign in on the kiosk, then ``steps``."""
    email = customer.get("email", DEMO_EMAIL)

    async def run_before(pilot: Pilot[None]) -> None:
        await signed_in_customer(runtime.services, smtp, runtime.worker.deliver_all_due, **customer)
        await pilot.press("f3")
        await fill(pilot, "#email", email)
        await fill(pilot, "#password", DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, DashboardScreen)
                and "Numéro de contrat" in shown(pilot.app, "#contract-summary")
            ),
        )
        await pilot.pause(0.1)
        await steps(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    return run_before


def snap(
    snap_compare: SnapCompare,
    make_runtime: Callable[..., Runtime],
    smtp: SmtpSink,
    steps: Steps,
    **customer: str,
) -> bool:
    runtime = make_runtime()
    app = KioskApp(runtime.services, runtime.settings)
    return snap_compare(app, run_before=signed_in_then(runtime, smtp, steps, **customer))


def test_invoices(
    snap_compare: SnapCompare, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("f7")
        await settle(
            pilot, lambda: pilot.app.screen.query_one("#invoices", DataTable).row_count == 6
        )

    assert snap(snap_compare, make_runtime, smtp, steps)


def test_invoice_detail(
    snap_compare: SnapCompare, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("f7")
        await settle(
            pilot, lambda: pilot.app.screen.query_one("#invoices", DataTable).row_count == 6
        )
        await pilot.press("enter")
        await settle(pilot, lambda: "171,29 €" in shown(pilot.app, "#invoice-detail"))

    assert snap(snap_compare, make_runtime, smtp, steps)


def test_consumption(
    snap_compare: SnapCompare, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("f9")
        await settle(pilot, lambda: "38 m³" in shown(pilot.app, "#consumption"))

    assert snap(snap_compare, make_runtime, smtp, steps)


def test_reading_asks_to_confirm(
    snap_compare: SnapCompare, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("f11")
        await settle(pilot, lambda: "486 m³" in shown(pilot.app, "#last-reading"))
        await pilot.press(*"600", "enter")
        await settle(
            pilot,
            lambda: pilot.app.screen.query_one("#confirm-reading", Button).has_class("-shown"),
        )

    assert snap(snap_compare, make_runtime, smtp, steps)


def test_dashboard_with_the_leak_alert(
    snap_compare: SnapCompare, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    async def steps(pilot: Pilot[None]) -> None:
        await settle(pilot, lambda: bool(pilot.app.screen.query("#leak-alert")))

    assert snap(
        snap_compare,
        make_runtime,
        smtp,
        steps,
        commune="marseille",
        first_name="Paul",
        last_name="Martin",
        **LEAKING,
    )
