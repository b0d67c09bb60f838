"""The banner of every screen: the kiosk's name, then ``Étape N sur 4`` and the screen's title."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.domain.catalogue import text


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
        yield Static(text("app_title"), classes="banner", markup=False)
        line = self.title
        if self.step is not None:
            line = f"{text('step', number=self.step)} · {self.title}"
        yield Static(line, classes="step", markup=False)
