"""Invoices: the contract's invoices, newest first (F7); Enter on a row opens it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from kiosk.domain.billing_rules import french_date
from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, SessionExpired
from kiosk.services.billing_results import InvoiceLine
from screens.base import KioskScreen, SessionEnded
from screens.widgets.error_line import ErrorLine
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


def table_row(invoice: InvoiceLine) -> tuple[str, str, str, str, str]:
    """Number, period (months), m³, amount incl. tax, status and due date: 76 columns."""
    period = f"{invoice.period_start.strftime('%m/%Y')}–{invoice.period_end.strftime('%m/%Y')}"
    status = f"{invoice.status_label} · {french_date(invoice.due_on)}"
    return invoice.number, period, str(invoice.volume_m3), invoice.amount_text, status


class InvoicesScreen(KioskScreen):
    """``#invoices``, a table of the contract's invoices; Enter opens ``#invoice-detail``."""

    @dataclass
    class Opened(Message):
        """The customer chose an invoice to read (and perhaps receive by e-mail)."""

        number: str

    def __init__(self, services: KioskServices, session_token: str) -> None:
        super().__init__()
        self.services = services
        self.session_token = session_token

    def compose(self) -> ComposeResult:
        yield StepHeader(text("invoices_title", self.language))
        with VerticalScroll(classes="form"):
            yield Static(text("invoices_intro", self.language), classes="intro", markup=False)
            table: DataTable[str] = DataTable(id="invoices", cursor_type="row", zebra_stripes=True)
            table.add_columns(
                text("invoice_column_number", self.language),
                text("invoice_column_period", self.language),
                text("invoice_column_volume", self.language),
                text("invoice_column_amount", self.language),
                text("invoice_column_status", self.language),
            )
            yield table
            yield Static(
                text("invoices_open_hint", self.language), id="invoices-hint", markup=False
            )
            yield ErrorLine(id="form-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#invoices", DataTable).focus()
        self._load()

    def database_back(self) -> None:
        self._load()

    def _load(self) -> None:
        self.call_service(
            partial(self.services.billing.invoices, self.session_token),
            self._show,
            refused=self._refused,
        )

    def _show(self, invoices: list[InvoiceLine]) -> None:
        table = self.query_one("#invoices", DataTable)
        table.clear()
        for invoice in invoices:
            table.add_row(*table_row(invoice), key=invoice.number)
        if not invoices:
            self.query_one("#invoices-hint", Static).update(text("invoices_empty", self.language))

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, SessionExpired):
            self.post_message(SessionEnded())
            return True
        return False

    @on(DataTable.RowSelected, "#invoices")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(self.Opened(event.row_key.value))
