"""The idle dialog: ``Êtes-vous toujours là ?`` with a countdown before the kiosk resets."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Button, Static

from kiosk.domain.catalogue import text
from screens.base import KioskModal

_TICK_TOLERANCE = 0.05
"""Seconds a timer's tick may come early (or the screen be built late) without the countdown
showing a second too many."""


class IdleScreen(KioskModal[bool]):
    """Dismissed with True at any key (the customer is here), False when the countdown ends."""

    def __init__(
        self, countdown_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._deadline_seconds = countdown_seconds
        self._clock = clock
        """Seconds, for the countdown (monotonic): a tick late on a busy kiosk still reads
        the time that is left, not one second less per tick."""
        self._ends_at = clock() + countdown_seconds
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="idle-dialog"):
            yield Static(
                text("idle_question", self.language),
                classes="dialog-title",
                id="idle-question",
                markup=False,
            )
            yield Static(self._countdown_text(), id="idle-countdown", markup=False)
            yield Button(
                text("button_still_here", self.language), id="still-here", variant="primary"
            )

    def _remaining(self) -> int:
        # Whole seconds, rounded up; a tick that comes a few milliseconds early still reads
        # the second it stands for, not the one before.
        return max(0, math.ceil(self._ends_at - self._clock() - _TICK_TOLERANCE))

    def _countdown_text(self) -> str:
        return text("idle_countdown", self.language, seconds=self._remaining())

    def on_mount(self) -> None:
        self.query_one("#still-here", Button).focus()
        self._ends_at = self._clock() + self._deadline_seconds
        step = min(1.0, self._deadline_seconds)
        self._timer = self.set_interval(step, self._tick)
        self.set_timer(self._deadline_seconds, self._time_is_up)

    def _tick(self) -> None:
        self.query_one("#idle-countdown", Static).update(self._countdown_text())

    def _time_is_up(self) -> None:
        if self.is_current:
            self.dismiss(False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if self.is_current:
            self.dismiss(True)

    @on(Button.Pressed, "#still-here")
    def _still_here(self) -> None:
        if self.is_current:
            self.dismiss(True)
