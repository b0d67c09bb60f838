"""One row of a form: its label, its input, a hint, and the error line under it."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from screens.widgets.error_line import ErrorLine


class FormField(Horizontal):
    """A labelled field; its error line has the id ``<input id>-error``."""

    def __init__(self, label: str, field: Input, hint: str = "") -> None:
        super().__init__(classes="field")
        self._label = label
        self._field = field
        self._hint = hint

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="field-label")
        with Vertical(classes="field-body"):
            yield self._field
            if self._hint:
                yield Static(self._hint, classes="field-hint", markup=False)
            yield ErrorLine(id=f"{self._field.id}-error", classes="field-error")

    # A class rather than :focus-within, which Textual does not re-apply to the label.
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.add_class("-focused")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.remove_class("-focused")
