"""What every kiosk screen shares: Escape goes back, and a failed worker reaches the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from kiosk.catalogue import text
from kiosk.errors import ServiceUnavailable

ResultType = TypeVar("ResultType")


@dataclass
class UnexpectedError(Message):
    """A worker of a screen failed with an error no screen expects; the app apologises."""

    error: BaseException


@dataclass
class DatabaseAway(Message):
    """A worker of a screen found the database unreachable; the app waits for it to return."""


@dataclass
class SessionEnded(Message):
    """A service said the signed-in session is over (15 minutes, reset, sign-out elsewhere)."""


def report_failure(node: MessagePump, event: Worker.StateChanged) -> None:
    """Forward a failed worker's error to the app (``Worker.StateChanged`` does not bubble)."""
    error = event.worker.error
    if event.state is WorkerState.ERROR and error is not None:
        if isinstance(error, ServiceUnavailable):
            node.post_message(DatabaseAway())
        else:
            node.post_message(UnexpectedError(error))


class KioskScreen(Screen[None]):
    """A full screen of the kiosk."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", text("key_back"), key_display="Échap"),
    ]

    def action_back(self) -> None:
        """Go back one screen."""
        self.dismiss()

    def database_back(self) -> None:
        """The database answers again after an outage: reload what the screen shows from it.

        Forms keep what was typed; a submit that failed is not repeated (the customer presses
        it again).
        """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)


class KioskModal(ModalScreen[ResultType]):
    """A dialog over a kiosk screen."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)
