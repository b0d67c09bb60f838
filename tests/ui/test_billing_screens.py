"""The dashboard's services at the kiosk, keyboard only (SPEC §9): F7, F9, F11, the alert."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from textual.widgets import Button, DataTable

from kiosk.app import KioskApp
from kiosk.runtime import Runtime
from kiosk.services import KioskServices
from screens.consumption import ConsumptionScreen
from screens.dashboard import DashboardScreen
from screens.invoice_detail import InvoiceDetailScreen
from screens.invoices import InvoicesScreen
from screens.reading import ReadingScreen
from screens.welcome import WelcomeScreen
from screens.widgets.bar_chart import bar, bar_chart
from tests.support.billing import AFTER_THE_DEMO, LEAKING, pdf_text, signed_in_customer
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.mail import SmtpSink
from tests.support.ui import NEVER_IDLE, SIZE, fall_idle, fill, notified, shown, wait_for

Deliver = Callable[[], Awaitable[Any]]


async def sign_in(pilot: Any, email: str = DEMO_EMAIL) -> None:
    app = pilot.app
    await pilot.press("f3")
    await fill(pilot, "#email", email)
    await fill(pilot, "#password", DEMO_PASSWORD)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
    await wait_for(pilot, lambda: "Numéro de contrat" in shown(app, "#contract-summary"))
    await pilot.pause(0.1)


@pytest.fixture
async def customer(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, clock: MovableClock
) -> None:
    clock.now = AFTER_THE_DEMO
    await signed_in_customer(services, smtp, deliver)


@pytest.mark.usefixtures("customer")
async def test_invoices_then_one_by_email(
    make_app: Callable[..., KioskApp], smtp: SmtpSink, deliver: Deliver
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot)
        await pilot.pause(0.2)
        assert not app.screen.query("#leak-alert")  # no banner for a usual consumption
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, InvoicesScreen))
        table = app.screen.query_one("#invoices", DataTable)
        await wait_for(pilot, lambda: table.row_count == 6)
        assert table.get_row_at(0)[0] == "F202607-000006"
        assert table.get_row_at(0)[3] == "171,29 €"
        assert table.get_row_at(0)[4] == "À payer · 14/08/2026"
        assert [table.get_row_at(row)[0] for row in range(6)] == sorted(
            (table.get_row_at(row)[0] for row in range(6)), reverse=True
        )
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InvoiceDetailScreen))
        await wait_for(pilot, lambda: "144,56 €" in shown(app, "#invoice-detail"))
        assert "F202601-000005" in shown(app, "#invoice-detail")
        assert app.focused is app.screen.query_one("#send-invoice", Button)
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#invoice-sent") != "")
        assert "F202601-000005" in shown(app, "#invoice-sent")
        assert DEMO_EMAIL not in shown(app, "#invoice-sent")  # masked on a shared screen
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
    await deliver()
    [*_, mail] = await smtp.wait_for(3)
    [attachment] = list(mail.iter_attachments())
    assert "144,56 €" in pdf_text(attachment.get_content())


@pytest.mark.usefixtures("customer")
async def test_consumption_chart_of_three_years(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, ConsumptionScreen))
        await wait_for(pilot, lambda: "m³" in shown(app, "#consumption"))
        lines = shown(app, "#consumption").splitlines()
        assert len(lines) == 6
        assert lines[0].startswith("07/2023–12/2023") and lines[0].endswith("32 m³")
        assert lines[-1].startswith("01/2026–06/2026") and lines[-1].endswith("38 m³")
        assert all(len(line) <= 72 for line in lines)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))


@pytest.mark.usefixtures("customer")
async def test_reading_refused_confirmed_and_exported(
    make_app: Callable[..., KioskApp], runtime: Runtime
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await sign_in(pilot)
        await pilot.press("f11")
        await wait_for(pilot, lambda: isinstance(app.screen, ReadingScreen))
        await wait_for(pilot, lambda: "486 m³" in shown(app, "#last-reading"))
        await pilot.press(*"480", "enter")
        await wait_for(pilot, lambda: shown(app, "#index-error") != "")
        assert "486 m³" in shown(app, "#index-error")
        await pilot.press("backspace", "backspace", "backspace", *"600", "enter")
        confirm = app.screen.query_one("#confirm-reading", Button)
        await wait_for(pilot, lambda: confirm.has_class("-shown"))
        assert "double" in shown(app, "#form-error")
        assert app.focused is confirm
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert notified(app, "Votre index de 600 m³ a bien été enregistré le 03/12/2026.")
    output = io.StringIO()
    await runtime.billing_imports.export_readings(date(2026, 12, 1), output)
    assert output.getvalue().splitlines()[1:] == ["1234567,A12B345678,2026-12-03,600,autoreleve"]


async def test_the_leak_alert_for_an_unusual_period(
    make_app: Callable[..., KioskApp], services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    await signed_in_customer(
        services,
        smtp,
        deliver,
        commune="marseille",
        first_name="Paul",
        last_name="Martin",
        **LEAKING,
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, LEAKING["email"])
        await wait_for(pilot, lambda: bool(app.screen.query("#leak-alert")))
        assert "Votre consommation est inhabituellement élevée." in shown(app, "#leak-alert")


def test_bars_are_drawn_to_an_eighth() -> None:
    assert bar(8, 8, 4) == "████"
    assert bar(1, 8, 4) == "▌"
    assert bar(0, 8, 4) == ""
    chart = bar_chart([("a", 10), ("bb", 5)], "m³", 21).splitlines()
    assert chart == ["a   ██████████  10 m³", "bb  █████        5 m³"]


@pytest.mark.usefixtures("customer")
async def test_the_idle_reset_closes_an_open_invoice(make_app: Callable[..., KioskApp]) -> None:
    """A shared terminal: the next customer never finds the last one's invoice on screen."""
    app = make_app(idle_seconds=NEVER_IDLE, idle_countdown_seconds=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, InvoicesScreen))
        await wait_for(pilot, lambda: app.screen.query_one("#invoices", DataTable).row_count == 6)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InvoiceDetailScreen))
        fall_idle(app)
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        assert app.attendance.session is None
        assert not any(isinstance(screen, InvoiceDetailScreen) for screen in app.screen_stack)
