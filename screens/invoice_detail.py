"""Invoice detail: one invoice, and ``#send-invoice`` to receive its PDF by e-mail."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, SessionExpired
from kiosk.services.billing_results import InvoiceDocument
from screens.base import KioskScreen, SessionEnded
from screens.widgets.error_line import ErrorLine
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


def detail_lines(document: InvoiceDocument) -> str:
    """One ``label : value`` per line, labels aligned."""
    lines = document.lines()
    width = max(len(label) for label, _ in lines)
    return "\n".join(f"{label:<{width}} : {value}" for label, value in lines)


class InvoiceDetailScreen(KioskScreen):
    """``#invoice-detail`` and ``#send-invoice`` "Recevoir par e-mail"; Escape goes back."""

    def __init__(self, services: KioskServices, session_token: str, number: str) -> None:
        super().__init__()
        self.services = services
        self.session_token = session_token
        self.number = number
        self._busy = False

    def compose(self) -> ComposeResult:
        yield StepHeader(text("invoice_number_title", self.language, number=self.number))
        with VerticalScroll(classes="form"):
            yield Static(text("busy", self.language), id="invoice-detail", markup=False)
            with Horizontal(classes="actions"):
                yield Button(
                    text("button_send_invoice", self.language), id="send-invoice", variant="primary"
                )
            yield Static("", id="invoice-sent", markup=False)
            yield ErrorLine(id="form-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#send-invoice", Button).focus()
        self._load()

    def database_back(self) -> None:
        self._load()

    def _load(self) -> None:
        self.call_service(
            partial(self.services.billing.invoice, self.session_token, self.number),
            lambda document: self.query_one("#invoice-detail", Static).update(
                detail_lines(document)
            ),
            refused=self._refused,
        )

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, SessionExpired):
            self.post_message(SessionEnded())
            return True
        return False

    def set_busy(self, busy: bool) -> None:
        self._busy = busy

    @on(Button.Pressed, "#send-invoice")
    def _send(self) -> None:
        if self._busy:  # one e-mail per press, not one per key repeat
            return
        self.call_service(
            partial(self.services.billing.send_invoice, self.session_token, self.number),
            self._sent,
            refused=self._refused,
            group="send",
        )

    def _sent(self, masked_email: str) -> None:
        message = text("invoice_sent", self.language, number=self.number, email=masked_email)
        self.query_one("#invoice-sent", Static).update(message)
        self.notify(message)
