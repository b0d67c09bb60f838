"""The agent's way out (F12): the agent PIN, checked by the service in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from kiosk.catalogue import text
from kiosk.errors import DomainError
from screens.base import KioskModal
from screens.feedback import describe
from screens.widgets import FieldInput, SecretInput

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
            yield Static(text("agent_title"), classes="dialog-title", markup=False)
            yield Label(text("label_agent_pin"), classes="field-label")
            yield SecretInput(id="agent-pin")
            yield Static("", id="agent-pin-error", classes="field-error", markup=False)
            with Horizontal(classes="actions"):
                yield Button(text("button_validate"), id="agent-validate", variant="primary")
                yield Button(text("button_cancel"), id="agent-cancel")

    def on_mount(self) -> None:
        self.query_one("#agent-pin", Input).focus()

    @on(Input.Submitted, "#agent-pin")
    @on(Button.Pressed, "#agent-validate")
    def _validate(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._verify(self.query_one("#agent-pin", Input).value)

    @work(exclusive=True, exit_on_error=False)
    async def _verify(self, pin: str) -> None:
        try:
            ok = await self.services.agent.verify_pin(pin)
        except DomainError as error:
            self._refuse(describe(error))
            return
        finally:
            self._busy = False
        if ok:
            self.dismiss(True)
        else:
            self._refuse(text("agent_pin_wrong"))

    def _refuse(self, message: str) -> None:
        pin = self.query_one("#agent-pin", Input)
        pin.value = ""
        pin.focus()
        error = self.query_one("#agent-pin-error", Static)
        error.update(message)
        error.add_class("-shown")

    @on(FieldInput.PasteRefused, "#agent-pin")
    def _paste_refused(self) -> None:
        error = self.query_one("#agent-pin-error", Static)
        error.update(text("forbidden_characters"))
        error.add_class("-shown")

    @on(Button.Pressed, "#agent-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
