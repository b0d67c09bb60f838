"""The invoice help dialog: where the contract and meter numbers are printed."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from kiosk.domain.catalogue import text
from screens.base import KioskModal
from screens.widgets.invoice_help import InvoiceHelp


class InvoiceHelpScreen(KioskModal[None]):
    """The drawing of an invoice; Escape or Enter closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", text("button_close"), key_display="Échap"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="invoice-dialog"):
            yield Static(text("invoice_title", self.language), classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-body"):
                yield InvoiceHelp(id="invoice-drawing")
                yield Static(text("invoice_caption", self.language), classes="intro", markup=False)
            yield Button(text("button_close", self.language), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
