"""The behaviour every form shares: Enter moves on, errors under fields, a busy submit."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widgets import Input, Static

from kiosk.catalogue import text
from screens.base import KioskScreen
from screens.widgets import FieldInput, PasswordChecklist


class FormScreen(KioskScreen):
    """A screen whose inputs, in ``FIELDS`` order, end with a submit.

    Enter in a field moves to the next one; in the last it submits, as the form's button does.
    A submit while another is in flight does nothing.
    """

    FIELDS: ClassVar[tuple[str, ...]] = ()
    """The ids of the inputs, in the order Tab and Enter follow."""

    busy: reactive[bool] = reactive(False)
    """True while a submit waits for its service."""

    def __init__(self) -> None:
        super().__init__()
        self._values_in_error: dict[str, str] = {}
        """Value of each field when its error was shown: the error goes when the value changes."""

    def on_mount(self) -> None:
        self.focus_first_field()
        for checklist in self.query("#password-rules").results(PasswordChecklist):
            checklist.follow(
                self.query_one("#password", Input), self.query_one("#password-confirm", Input)
            )

    def focus_first_field(self) -> None:
        if self.FIELDS:
            self.query_one(f"#{self.FIELDS[0]}", Input).focus()

    @staticmethod
    def compose_status() -> ComposeResult:
        """The busy line and ``#form-error``, to place at the bottom of the form."""
        yield Static(text("busy"), id="busy", markup=False)
        yield Static("", id="form-error", markup=False)

    @on(Input.Submitted)
    def _enter_in_field(self, event: Input.Submitted) -> None:
        """Enter in a field: the next field, or the submit after the last one."""
        field_id = event.input.id
        if field_id not in self.FIELDS:
            return
        event.stop()
        position = self.FIELDS.index(field_id)
        if position + 1 < len(self.FIELDS):
            self.set_focus(self.query_one(f"#{self.FIELDS[position + 1]}", Input))
        else:
            self.submit()

    def submit(self) -> None:
        """Check the form and send it, unless a submit is already in flight."""
        if self.busy:
            return
        self.clear_errors()
        self.on_submit()

    def on_submit(self) -> None:
        """Check the fields and start the worker; a screen overrides this."""

    def watch_busy(self, busy: bool) -> None:
        self.set_class(busy, "-busy")

    def field_error(self, field_id: str, message: str) -> None:
        """Show ``message`` under the field ``field_id``."""
        line = self.query_one(f"#{field_id}-error", Static)
        line.update(message)
        line.add_class("-shown")
        self._values_in_error[field_id] = self.value(field_id)

    def form_error(self, message: str) -> None:
        """Show ``message`` in ``#form-error`` at the bottom of the form."""
        line = self.query_one("#form-error", Static)
        line.update(message)
        line.add_class("-shown")
        line.scroll_visible(animate=False)

    def clear_errors(self) -> None:
        for line in self.query(".field-error, #form-error").results(Static):
            line.update("")
            line.remove_class("-shown")

    def first_error_field(self) -> str | None:
        """The id of the first field showing an error, to put the focus there."""
        for field_id in self.FIELDS:
            if self.query_one(f"#{field_id}-error").has_class("-shown"):
                return field_id
        return None

    def focus_first_error(self) -> None:
        field_id = self.first_error_field()
        if field_id is not None:
            self.query_one(f"#{field_id}", Input).focus()

    def check_new_password(self) -> bool:
        """Check ``#password`` and ``#password-confirm`` against ``#password-rules``.

        The message goes under the confirmation when only the confirmation differs.
        """
        password, confirmation = self.value("password"), self.value("password-confirm")
        checklist = self.query_one("#password-rules", PasswordChecklist)
        empty = [field for field in ("password", "password-confirm") if not self.value(field)]
        for field in empty:
            self.field_error(field, text("required"))
        if empty:
            return False
        if checklist.check(password, confirmation):
            return True
        if checklist.check(password, password):  # every rule but the confirmation holds
            checklist.check(password, confirmation)
            self.field_error("password-confirm", text("password_checklist"))
        else:
            self.field_error("password", text("password_checklist"))
        return False

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value

    @on(Input.Changed)
    def _clear_field_error(self, event: Input.Changed) -> None:
        field_id = event.input.id
        if field_id in self.FIELDS and self._values_in_error.get(field_id) != event.value:
            self._values_in_error.pop(field_id, None)
            line = self.query_one(f"#{field_id}-error", Static)
            if line.has_class("-shown"):
                line.update("")
                line.remove_class("-shown")

    @on(FieldInput.PasteRefused)
    def _paste_refused(self, event: FieldInput.PasteRefused) -> None:
        if event.field.id in self.FIELDS:
            self.field_error(event.field.id, text("forbidden_characters"))
