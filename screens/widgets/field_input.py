"""An Input for form fields that refuses a paste it would otherwise silently alter."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import Input

from kiosk.rules import has_forbidden_characters


class FieldInput(Input):
    """A one-line text field.

    Textual's Input keeps only the first line of a pasted text; SPEC §3 wants the value never
    silently altered, so a paste holding a line break or another forbidden character is refused
    as a whole and the screen is told, to show the rule under the field.
    """

    @dataclass
    class PasteRefused(Message):
        """A paste was refused; the value is unchanged."""

        field: FieldInput

        @property
        def control(self) -> FieldInput:
            """The field, so that ``@on(FieldInput.PasteRefused, "#id")`` can select it."""
            return self.field

    def on_paste(self, event: events.Paste) -> None:
        if has_forbidden_characters(event.text):
            event.stop()
            event.prevent_default()  # Input's own handler would keep the first line
            self.post_message(self.PasteRefused(self))
