"""The behaviour every form shares: one submit, Enter moves on, errors under fields, busy.

A form lists its inputs in ``FIELDS`` and names its button in ``SUBMIT``: Enter in a field
moves to the next one, Enter in the last one and the button both call :meth:`on_submit`
(never twice at once). Problems found before or by a service are shown under their field
by :meth:`show_problems`; an error line goes as soon as its field changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError
from kiosk.domain.refusals import describe
from screens.base import KioskScreen
from screens.widgets.error_line import ErrorLine
from screens.widgets.field_input import FieldInput


def field_id(field: str) -> str:
    """The id of the input of a service field (``password_confirm`` -> ``password-confirm``)."""
    return field.replace("_", "-")


class FormScreen(KioskScreen):
    """A screen whose inputs, in ``FIELDS`` order, end with the ``SUBMIT`` button."""

    FIELDS: ClassVar[tuple[str, ...]] = ()
    """The ids of the inputs, in the order Tab and Enter follow."""
    SUBMIT: ClassVar[str] = ""
    """The id of the button that submits the form."""

    busy: reactive[bool] = reactive(False)
    """True while a submit waits for its service."""

    def __init__(self) -> None:
        super().__init__()
        self._left_for_a_screen = False
        """A full screen (not a dialog) opened over this one."""
        self._values_in_error: dict[str, str] = {}
        """Value of each field when its error was shown: the error goes when the value changes
        (a value the screen itself empties fires ``Input.Changed`` after the error is shown)."""

    def on_mount(self) -> None:
        self.focus_first_field()

    def focus_first_field(self) -> None:
        if self.FIELDS:
            self.query_one(f"#{self.FIELDS[0]}", Input).focus()

    def on_screen_suspend(self) -> None:
        self._left_for_a_screen = not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back with Escape from the next screen: typing starts again in the first field (SPEC
        §2); back from a dialog (invoice help, database away), the focus stays where it was."""
        if self._left_for_a_screen:
            self._left_for_a_screen = False
            self.focus_first_field()

    def compose_status(self) -> ComposeResult:
        """The busy line and ``#form-error``, to place at the bottom of the form."""
        yield Static(text("busy", self.language), id="busy", markup=False)
        yield ErrorLine(id="form-error")

    # -- submitting ----------------------------------------------------------------------------

    @on(Input.Submitted)
    def _enter_in_field(self, event: Input.Submitted) -> None:
        """Enter in a field: the next field, or the submit after the last one."""
        field = event.input.id
        if field not in self.FIELDS:
            return
        event.stop()
        position = self.FIELDS.index(field)
        if position + 1 < len(self.FIELDS):
            self.set_focus(self.query_one(f"#{self.FIELDS[position + 1]}", Input))
        else:
            self.submit()

    @on(Button.Pressed)
    def _button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.SUBMIT:
            event.stop()
            self.submit()

    def submit(self) -> None:
        """Check the form and send it, unless a submit is already in flight."""
        if self.busy:
            return
        self.clear_errors()
        self.on_submit()

    def on_submit(self) -> None:
        """Check the fields and call the service; a screen overrides this."""

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

    def watch_busy(self, busy: bool) -> None:
        # On the busy line alone: a class on the screen would restyle every widget of the
        # form (8 ms on the Contract screen), twice per submit.
        self.query_one("#busy").set_class(busy, "-shown")

    # -- problems ----------------------------------------------------------------------------

    def value(self, field: str) -> str:
        """The value of the input ``#field``."""
        return self.query_one(f"#{field}", Input).value

    def show_problems(self, problems: Mapping[str, DomainError]) -> bool:
        """Show each problem under its field (by service field name) and focus the first.

        Returns:
            True when there was a problem to show.
        """
        for field, problem in problems.items():
            self.field_error(field_id(field), describe(problem, self.language))
        self.focus_first_error()
        return bool(problems)

    def field_error(self, field: str, message: str) -> None:
        """Show ``message`` under the input ``#field``."""
        self.query_one(f"#{field}-error", ErrorLine).show(message)
        self._values_in_error[field] = self.value(field)

    def form_error(self, message: str) -> None:
        """Show ``message`` in ``#form-error`` at the bottom of the form."""
        line = self.query_one("#form-error", ErrorLine)
        line.show(message)
        line.scroll_visible(animate=False)

    def show_refusal(self, message: str) -> None:
        self.form_error(message)

    def clear_errors(self) -> None:
        for line in self.query(".field-error, #form-error").results(ErrorLine):
            line.clear()

    def first_error_field(self) -> str | None:
        """The id of the first field showing an error, to put the focus there."""
        for field in self.FIELDS:
            if self.query_one(f"#{field}-error", ErrorLine).shown:
                return field
        return None

    def focus_first_error(self) -> None:
        field = self.first_error_field()
        if field is not None:
            self.query_one(f"#{field}", Input).focus()

    @on(Input.Changed)
    def _clear_field_error(self, event: Input.Changed) -> None:
        """A field's error goes once the customer changes the field."""
        field = event.input.id
        if field in self.FIELDS and self._values_in_error.get(field) != event.value:
            self._values_in_error.pop(field, None)
            self.query_one(f"#{field}-error", ErrorLine).clear()

    @on(FieldInput.PasteRefused)
    def _paste_refused(self, event: FieldInput.PasteRefused) -> None:
        if event.field.id in self.FIELDS:
            self.field_error(event.field.id, event.reason)
