"""Welcome (step 1): the home page and the entry to every flow."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Footer, Static

from kiosk.domain.catalogue import text
from screens.base import KioskScreen
from screens.widgets.step_header import StepHeader


class Flow(StrEnum):
    """What the customer came for."""

    CREATE = "create"
    LOGIN = "login"
    FORGOT = "forgot"
    CODE = "code"


class WelcomeScreen(KioskScreen):
    """Four buttons, four function keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "choose('create')", text("key_create"), key_display="F2"),
        Binding("f3", "choose('login')", text("key_login"), key_display="F3"),
        Binding("f4", "choose('forgot')", text("key_forgot"), key_display="F4"),
        Binding("f5", "choose('code')", text("key_code"), key_display="F5"),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """The customer chose a flow."""

        flow: Flow

    def compose(self) -> ComposeResult:
        yield StepHeader(text("welcome_heading"), step=1)
        with Vertical(id="welcome-menu"):
            yield Static(text("welcome_intro"), classes="intro", markup=False)
            yield Button(text("button_create"), id="create", variant="primary")
            yield Button(text("button_login"), id="login")
            yield Button(text("button_forgot"), id="forgot")
            yield Button(text("button_enter_code"), id="enter-code")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#create", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back"  # Escape does nothing on Welcome

    def action_choose(self, flow: str) -> None:
        """F2 to F5 (``flow`` is a :class:`Flow`'s value)."""
        self.post_message(self.Chosen(Flow(flow)))

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        self.action_choose(_FLOW_OF_BUTTON[event.button.id or ""])


_FLOW_OF_BUTTON = {
    "create": Flow.CREATE,
    "login": Flow.LOGIN,
    "forgot": Flow.FORGOT,
    "enter-code": Flow.CODE,
}
