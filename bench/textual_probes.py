"""The benchmarks' room for Textual's private names: where a key's journey can be timed.

Instrumentation only, never shipped: a key handed to the app as the terminal's input thread
hands it (the key's event is the tests' own, :func:`tests.support.keys.key_event`), the moment
an Input's value changes, and the frames that paint. As for the product's room
(``kiosk/app/textual_internals.py``), ``tests/unit/test_textual_internals.py`` checks that
every name of :data:`PRIVATE_NAMES` still exists and that no other module uses one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The tests' key events, the same for the benchmarks (the repository is on the path now).
from tests.support.keys import key_event  # noqa: E402

__all__ = ["key_event", "send_from_terminal", "time_frames", "time_value_changes"]

PRIVATE_NAMES: dict[str, tuple[str, ...]] = {
    "textual._compositor": ("CompositorUpdate",),
    "textual.app.App": ("_display",),
    "textual.app.App()": ("_driver",),
    "textual.screen.Screen": ("_on_timer_update",),
    "textual.widgets.Input": ("_watch_value",),
}
"""Every private name used below, by owner (``()``: an attribute of an instance)."""


def send_from_terminal(app: App[Any], message: Message) -> None:
    """Hand ``message`` to the app as the terminal's input thread does."""
    driver = app._driver
    assert driver is not None, "the app is not running"
    driver.send_message(message)


def time_value_changes(on_change: Callable[[Input], None]) -> None:
    """Call ``on_change`` whenever an Input's value changes, before its watchers run."""
    watch_value: Callable[[Input, str], None] = Input._watch_value

    def timed(self: Input, value: str) -> None:
        on_change(self)
        watch_value(self, value)

    setattr(Input, "_watch_value", timed)  # noqa: B010


def time_frames(on_frame: Callable[[float, float], None], clock: Callable[[], float]) -> None:
    """Call ``on_frame(started, ended)`` after each frame that painted something.

    The terminal sequence, which the headless driver skips, is built to count its cost.
    """
    from textual._compositor import CompositorUpdate

    on_timer_update: Callable[[Screen[Any]], None] = Screen._on_timer_update
    display: Callable[[App[Any], Screen[Any], Any], None] = App._display
    drawn: list[bool] = []

    def timed_on_timer_update(self: Screen[Any]) -> None:
        started = clock()
        drawn.clear()
        on_timer_update(self)
        if drawn:
            on_frame(started, clock())

    def timed_display(self: App[Any], screen: Screen[Any], renderable: Any) -> None:
        display(self, screen, renderable)
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self.console)
            drawn.append(True)

    setattr(Screen, "_on_timer_update", timed_on_timer_update)  # noqa: B010
    setattr(App, "_display", timed_display)  # noqa: B010
