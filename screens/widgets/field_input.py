"""An Input for form fields: it takes no more than its rule allows, and refuses a paste whole."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import Input

from kiosk.domain.catalogue import text
from kiosk.domain.rules import has_forbidden_characters
from screens.language import language_of
from screens.widgets.limits import Limit


class FieldInput(Input):
    """A one-line text field with its :class:`Limit`.

    Typing stops at the limit. Textual's Input keeps only the first line of a pasted text;
    SPEC §3 wants the value never silently altered, so a paste holding a line break or another
    forbidden character, or one that would make the value longer than the limit, is refused as
    a whole and the screen is told, to show why under the field.
    """

    @dataclass
    class PasteRefused(Message):
        """A paste was refused; the value is unchanged."""

        field: FieldInput
        reason: str
        """What the customer is told (a catalogue message, never the text pasted)."""

        @property
        def control(self) -> FieldInput:
            """The field, so that ``@on(FieldInput.PasteRefused, "#id")`` can select it."""
            return self.field

    def __init__(
        self,
        limit: Limit,
        *,
        value: str = "",
        placeholder: str = "",
        password: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            value,
            placeholder,
            password=password,
            max_length=limit.max_length,
            restrict=limit.restrict,
            id=id,
            classes=classes,
        )
        self.limit = limit
        """The most this field takes."""

    def on_paste(self, event: events.Paste) -> None:
        if has_forbidden_characters(event.text):
            self._refuse(event, text("forbidden_characters", language_of(self)))
        elif not self._takes(event.text):
            self._refuse(event, self.limit.refusal(language_of(self)))

    def _takes(self, pasted: str) -> bool:
        """Whether the value with ``pasted`` in place of the selection keeps to the limit."""
        if len(self.value) + len(pasted) > self.limit.max_length + len(self.selected_text):
            return False  # checked first: a 100 KB paste is refused without more work
        start, end = sorted(self.selection)
        value = f"{self.value[:start]}{pasted}{self.value[end:]}"
        return self.limit.restrict is None or re.fullmatch(self.limit.restrict, value) is not None

    def _refuse(self, event: events.Paste, reason: str) -> None:
        event.stop()
        event.prevent_default()  # Input's own handler would keep the first line
        self.post_message(self.PasteRefused(self, reason))
