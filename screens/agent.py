"""The agent's way out (F12): the agent PIN, checked by the service in a worker."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from kiosk.domain.catalogue import text
from screens.base import KioskModal
from screens.widgets import limits
from screens.widgets.error_line import ErrorLine
from screens.widgets.field_input import FieldInput
from screens.widgets.secret_input import SecretInput

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class AgentPinScreen(KioskModal[bool]):
    """Dismissed with True when the PIN is right (the app then exits), False on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", text("button_cancel"), key_display="Échap"),
    ]

    def __init__(self, services: KioskServices) -> None:
        super().__init__()
        self.services = services
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="agent-dialog"):
            yield Static(text("agent_title", self.language), classes="dialog-title", markup=False)
            yield Label(text("label_agent_pin", self.language), classes="field-label")
            yield SecretInput(limits.AGENT_PIN, id="agent-pin")
            yield ErrorLine(id="agent-pin-error", classes="field-error")
            with Horizontal(classes="actions"):
                yield Button(
                    text("button_validate", self.language), id="agent-validate", variant="primary"
                )
                yield Button(text("button_cancel", self.language), id="agent-cancel")

    def on_mount(self) -> None:
        self.query_one("#agent-pin", Input).focus()

    @on(Input.Submitted, "#agent-pin")
    @on(Button.Pressed, "#agent-validate")
    def _validate(self) -> None:
        if self._busy:
            return
        pin = self.query_one("#agent-pin", Input).value
        self.call_service(partial(self.services.agent.verify_pin, pin), self._verified)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy

    def _verified(self, pin_is_right: bool) -> None:
        if pin_is_right:
            self.dismiss(True)
        else:
            self.show_refusal(text("agent_pin_wrong", self.language))

    def show_refusal(self, message: str) -> None:
        """A wrong PIN, or the wait after too many: the field is emptied for the next try."""
        pin = self.query_one("#agent-pin", Input)
        pin.value = ""
        pin.focus()
        self.query_one("#agent-pin-error", ErrorLine).show(message)

    @on(FieldInput.PasteRefused, "#agent-pin")
    def _paste_refused(self, event: FieldInput.PasteRefused) -> None:
        self.query_one("#agent-pin-error", ErrorLine).show(event.reason)

    @on(Button.Pressed, "#agent-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
