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

ResultType = TypeVar("ResultType")


@dataclass
class UnexpectedError(Message):
    """A worker of a screen failed with an error no screen expects; the app apologises."""

    error: BaseException


@dataclass
class SessionEnded(Message):
    """A service said the signed-in session is over (15 minutes, reset, sign-out elsewhere)."""


def report_failure(node: MessagePump, event: Worker.StateChanged) -> None:
    """Forward a failed worker's error to the app (``Worker.StateChanged`` does not bubble)."""
    error = event.worker.error
    if event.state is WorkerState.ERROR and error is not None:
        node.post_message(UnexpectedError(error))


class KioskScreen(Screen[None]):
    """A full screen of the kiosk."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", text("key_back"), key_display="Échap"),
    ]

    def action_back(self) -> None:
        """Go back one screen."""
        self.dismiss()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)


class KioskModal(ModalScreen[ResultType]):
    """A dialog over a kiosk screen."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)
