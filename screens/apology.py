"""The apology shown after an unexpected error: no detail, then back to Welcome."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Static

from kiosk.domain.catalogue import text
from screens.base import KioskModal

APOLOGY_SECONDS = 10.0
"""How long the apology stays before the kiosk is back on Welcome by itself."""


class ApologyScreen(KioskModal[None]):
    """A plain apology over a fresh Welcome screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", text("button_home"), key_display="Échap"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="apology-dialog"):
            yield Static(text("apology", self.language), id="apology", markup=False)
            yield Button(text("button_home", self.language), id="home", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#home", Button).focus()
        self.set_timer(APOLOGY_SECONDS, self.action_close)

    @on(Button.Pressed, "#home")
    def action_close(self) -> None:
        if self.is_current:
            self.dismiss(None)
