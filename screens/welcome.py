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
        Binding("f9", "switch_language", text("key_language"), key_display="F9"),
        Binding("down", "app.focus_next", show=False),
        Binding("up", "app.focus_previous", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """The customer chose a flow."""

        flow: Flow

    @dataclass
    class SwitchLanguage(Message):
        """The customer asked for the other language (SPEC §11)."""

    def compose(self) -> ComposeResult:
        yield StepHeader(text("welcome_heading", self.language), step=1)
        with Vertical(id="welcome-menu"):
            yield Static(
                text("accessibility_hint", self.language), id="accessibility-hint", markup=False
            )
            yield Static(text("welcome_intro", self.language), classes="intro", markup=False)
            for button_id, key in _LABELS.items():
                yield Button(
                    text(key, self.language),
                    id=button_id,
                    variant="primary" if button_id == "create" else "default",
                )
        yield Footer(compact=True)  # five keys: at 80 columns the last one must not be cut

    def language_changed(self) -> None:
        """Every text of the screen again, in place (nothing is mounted: no stall)."""
        language = self.language
        self.query_one(StepHeader).show(text("welcome_heading", language))
        self.query_one("#accessibility-hint", Static).update(text("accessibility_hint", language))
        self.query_one(".intro", Static).update(text("welcome_intro", language))
        for button_id, key in _LABELS.items():
            self.query_one(f"#{button_id}", Button).label = text(key, language)

    def on_mount(self) -> None:
        self.query_one("#create", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back"  # Escape does nothing on Welcome

    def action_choose(self, flow: str) -> None:
        """F2 to F5 (``flow`` is a :class:`Flow`'s value)."""
        self.post_message(self.Chosen(Flow(flow)))

    def action_switch_language(self) -> None:
        """F9 and ``#language``: English on a French screen, French on an English one."""
        self.post_message(self.SwitchLanguage())

    @on(Button.Pressed, "#language")
    def _language(self) -> None:
        self.action_switch_language()

    @on(Button.Pressed, "#create, #login, #forgot, #enter-code")
    def _button(self, event: Button.Pressed) -> None:
        self.action_choose(_FLOW_OF_BUTTON[event.button.id or ""])


_LABELS = {
    "create": "button_create",
    "login": "button_login",
    "forgot": "button_forgot",
    "enter-code": "button_enter_code",
    "language": "button_language",
}
"""Each button's catalogue key, in the order of the menu."""

_FLOW_OF_BUTTON = {
    "create": Flow.CREATE,
    "login": Flow.LOGIN,
    "forgot": Flow.FORGOT,
    "enter-code": Flow.CODE,
}
