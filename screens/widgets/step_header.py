"""The banner of every screen: the kiosk's name, then ``Étape N sur 4`` and the screen's title."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.domain.catalogue import text
from screens.language import language_of


class StepHeader(Vertical):
    """Where the customer is: the step (when the screen is one of the four) and the title."""

    DEFAULT_CSS = """
    StepHeader {
        height: auto;
        dock: top;
    }
    StepHeader > .banner {
        width: 100%;
        background: $primary;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    StepHeader > .step {
        width: 100%;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    StepHeader > .step .step-number {
        text-style: bold;
    }
    """

    def __init__(self, title: str, step: int | None = None) -> None:
        super().__init__()
        self.title = title
        """The screen's title."""
        self.step = step
        """1 to 4 for the screens of the registration, else None."""

    def compose(self) -> ComposeResult:
        yield Static(text("app_title", language_of(self)), classes="banner", markup=False)
        yield Static(self._line(), classes="step", markup=False)

    def _line(self) -> str:
        if self.step is None:
            return self.title
        return f"{text('step', language_of(self), number=self.step)} · {self.title}"

    def show(self, title: str) -> None:
        """Show ``title``, and the banner and step again in the screen's language."""
        self.title = title
        # One line each, as wide as the screen: no new layout (the screen's own is enough).
        self.query_one(".banner", Static).update(text("app_title", language_of(self)), layout=False)
        self.query_one(".step", Static).update(self._line(), layout=False)
