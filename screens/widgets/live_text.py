"""A line whose new text is announced: errors, the operator found, the contract summary."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.visual import VisualType
from textual.widgets import Static


class LiveText(Static):
    """A Static that posts :class:`LiveText.Changed` to the app each time it is given a text to
    show, so that the kiosk can say it (SPEC §12) without knowing the screen that shows it."""

    @dataclass
    class Changed(Message):
        """The line shows a new text (never posted for an emptied line)."""

        line: LiveText
        text: str

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        if isinstance(content, str) and content:
            # Straight to the app, in the order things happen on screen: an error shown
            # before the focus moves is said before the field the focus lands on (bubbling
            # through the containers would take a message queue each).
            self.app.post_message(self.Changed(self, content))
