"""The one room where the kiosk touches Textual's private names.

Textual offers no public way to catch an error raised by a key binding's action (the app's own
message loop stops at it) or to tell which message pump raised an error; the kiosk must do
both to apologise instead of printing a traceback. Tests and benchmarks also read a few private
attributes. Every such name is used here and nowhere else: ``tests/unit/test_textual_internals.py``
checks that each still exists in the installed Textual (it fails the day one is renamed) and
that no other module of the repository uses one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual._context import active_message_pump
from textual.app import App
from textual.message import Message
from textual.notifications import Notification
from textual.screen import Screen
from textual.widgets import Input

PRIVATE_NAMES: dict[str, tuple[str, ...]] = {
    "textual._context": ("active_message_pump",),
    "textual._compositor": ("CompositorUpdate",),
    "textual.keys": ("_character_to_key",),
    "textual.app.App": ("_dispatch_message", "_handle_exception", "_display"),
    "textual.app.App()": ("_notifications", "_driver"),
    "textual.screen.Screen": ("_on_timer_update",),
    "textual.widgets.Input": ("_watch_value",),
}
"""Every private name used below, by owner (``()``: an attribute of an instance)."""


class GuardedApp(App[None]):
    """An App whose unexpected errors reach two hooks instead of printing a traceback."""

    def message_failed(self, error: Exception) -> None:
        """A message of the app's own loop (a key binding's action, a handler) raised ``error``;
        it was caught and the loop goes on."""
        raise NotImplementedError

    def pump_failed(self, error: Exception, *, app_loop_stopped: bool) -> None:
        """A message pump (a screen, a widget, the app itself) stopped at ``error``.

        Args:
            error: what was raised.
            app_loop_stopped: the pump is the app's own, which Textual does not restart:
                the app can only leave (:meth:`leave_after_error`).
        """
        raise NotImplementedError

    async def _dispatch_message(self, message: Message) -> None:
        # Key bindings of every screen run their actions here, on the app's own message loop,
        # which Textual stops at the first error: catch it, so that the kiosk can apologise.
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            self.message_failed(error)

    def _handle_exception(self, error: Exception) -> None:
        # Textual's default prints a traceback with local variables and exits.
        try:
            failed = active_message_pump.get()
        except LookupError:
            failed = None
        self.pump_failed(error, app_loop_stopped=failed is self)

    def leave_after_error(self, message: str) -> None:
        """Leave with return code 1 and ``message`` on the terminal, without a traceback."""
        self.exit(return_code=1)
        self.panic(message)  # stops the message loop now (exit's message would never be read)


def notifications(app: App[Any]) -> list[Notification]:
    """The notifications on screen (for tests)."""
    return list(app._notifications)


# -- for bench/typing_latency.py: where a key's journey can be timed ---------------------------


def key_for_character(character: str) -> str:
    """Textual's key name for a printable character (``!`` -> ``exclamation_mark``)."""
    from textual.keys import _character_to_key

    return _character_to_key(character)


def key_event(key: str) -> events.Key:
    """The event of one key: a character (``é``, ``@``) or a key name (``enter``, ``f5``)."""
    if len(key) == 1:
        return events.Key(key if key.isalnum() else key_for_character(key), key)
    return events.Key(key, None)


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
