"""The one room where the kiosk touches Textual's private names.

Textual offers no public way to catch an error raised by a key binding's action (the app's own
message loop stops at it) or to tell which message pump raised an error; the kiosk must do
both to apologise instead of printing a traceback; and it reads the notifications on screen.
Every such name of the product is used here and nowhere else (the benchmarks' probes have a
room of their own, ``bench/textual_probes.py``, and the tests' key events theirs,
``tests/support/keys.py``): ``tests/unit/test_textual_internals.py`` checks that each still
exists in the installed Textual (it fails the day one is renamed) and that no other module of
the repository uses one.
"""

from __future__ import annotations

from typing import Any

from textual._context import active_message_pump
from textual.app import App
from textual.message import Message
from textual.notifications import Notification

PRIVATE_NAMES: dict[str, tuple[str, ...]] = {
    "textual._context": ("active_message_pump",),
    "textual.app.App": ("_dispatch_message", "_handle_exception"),
    "textual.app.App()": ("_notifications",),
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
    """The notifications on screen."""
    return list(app._notifications)
