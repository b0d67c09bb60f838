"""The line that says what is wrong: under a field, at the bottom of a form, in a dialog."""

from __future__ import annotations

from screens.widgets.live_text import LiveText


class ErrorLine(LiveText):
    """Hidden while empty; :meth:`show` fills it and adds the class ``-shown``."""

    def __init__(self, *, id: str, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)

    @property
    def shown(self) -> bool:
        """Whether a message is shown."""
        return self.has_class("-shown")

    def show(self, message: str) -> None:
        """Show ``message`` (never a value the customer typed)."""
        self.update(message)
        self.add_class("-shown")

    def clear(self) -> None:
        """Hide the line and forget its message."""
        if self.shown:
            self.update("")
            self.remove_class("-shown")
