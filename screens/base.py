"""What every kiosk screen shares: Escape goes back, and one way to call a service.

:meth:`ServiceCalls.call_service` is the only way a screen or a dialog calls a service: in a
worker, with the screen busy meanwhile; an outage covers the screen until the database answers
(what was typed stays); a refusal becomes its French message; anything else is a bug, for the
app's apology screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import ClassVar, TypeVar

from textual import events
from textual.binding import ActiveBinding, Binding, BindingType
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, ServiceUnavailable
from kiosk.domain.refusals import describe
from screens.language import language_of, relabel_footer, translated_bindings

ResultType = TypeVar("ResultType")
Answer = TypeVar("Answer")


@dataclass
class UnexpectedError(Message):
    """A worker of a screen failed with an error no screen expects; the app apologises."""

    error: BaseException


@dataclass
class DatabaseAway(Message):
    """A service found the database unreachable; the app waits for it to return."""


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


class ServiceCalls:
    """The service calls of a screen or a dialog (mixed into :class:`Screen` subclasses)."""

    def call_service(
        self,
        call: Callable[[], Awaitable[Answer]],
        then: Callable[[Answer], object],
        *,
        refused: Callable[[DomainError], bool] | None = None,
        group: str = "service",
    ) -> None:
        """Await ``call()`` in a worker, then give its answer to ``then``.

        A later call of the same group cancels an earlier one still running (or not started:
        then ``call`` is never called).

        Args:
            call: the service's method with its arguments (``functools.partial``).
            then: what to do with the answer.
            refused: handles a refusal itself and returns True, or returns False to let it
                be shown by :meth:`show_refusal` (the default for every refusal).
            group: the calls that replace one another.
        """
        assert isinstance(self, Screen)
        self.set_busy(True)  # at once: a second press before the worker starts does nothing
        # A callable, not a coroutine: a call replaced before it starts is never created.
        serve: Callable[[], Coroutine[None, None, None]] = partial(self._serve, call, then, refused)
        self.run_worker(
            serve,  # type: ignore[arg-type]  # mypy solves run_worker's result type as Never
            group=group,
            exclusive=True,
            exit_on_error=False,
        )

    async def _serve(
        self,
        call: Callable[[], Awaitable[Answer]],
        then: Callable[[Answer], object],
        refused: Callable[[DomainError], bool] | None,
    ) -> None:
        assert isinstance(self, Screen)
        try:
            answer = await call()
        # An outage before any refusal: ServiceUnavailable is still a DomainError here.
        except ServiceUnavailable:
            self.post_message(DatabaseAway())  # the app covers the screen until it is back
            return
        except DomainError as error:
            if refused is None or not refused(error):
                self.show_refusal(describe(error, language_of(self)))
            return
        finally:
            self.set_busy(False)
        then(answer)

    def set_busy(self, busy: bool) -> None:
        """A call starts (True) or ends (False); screens with a busy state show it."""

    def show_refusal(self, message: str) -> None:
        """Show a refusal's message; a screen without ``#form-error`` overrides this."""
        from screens.widgets.error_line import ErrorLine

        assert isinstance(self, Screen)
        self.query_one("#form-error", ErrorLine).show(message)


BREATH_SECONDS = 0.001
"""Long enough for the event loop to go round once and read the terminal (a zero sleep would
run the next step before the keys read meanwhile)."""


class OpensQuickly:
    """A screen opens in steps of less than a frame (16 ms), so that keys are read in between.

    When a screen opens, Textual lays it out, paints it whole, then lays it out again for its
    own first ``Resize``, in one go during which the kiosk reads no key (more than a frame on
    a form: ``bench/responsiveness.py`` measures it). Here:

    - the layouts of ``ScreenResume`` and ``Resize`` run inside :meth:`App.batch_update`, so
      that Textual paints afterwards, in a message of the screen's queue (a ``Callback``),
      rather than within them;
    - after each of those three messages, the screen gives the event loop a millisecond:
      what the terminal sent meanwhile is read before the next step;
    - Textual restyles every widget of a screen each time it is pushed (``refresh_styles``),
      right after styling them all while composing it. Nothing can have changed in between
      for a screen just composed, so its first resume does not restyle; later resumes (after
      a screen above it closes) keep Textual's choice;
    - no automatic focus by Textual (below).
    """

    AUTO_FOCUS: ClassVar[str | None] = ""
    """No focus by Textual: each screen focuses its own first widget when mounted. Textual's
    default focuses the form's scrolling container first, which then loses the focus to the
    first field: two restyles of the whole form."""

    _resumed = False

    breathing = False
    """True while the screen lets the event loop go round between two steps of its opening:
    its queue may be empty, yet what the last step set going is not done."""

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler (the subclass's handlers come first).
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    async def on_event(self, event: events.Event) -> None:
        assert isinstance(self, Screen)
        if isinstance(event, events.ScreenResume | events.Resize):
            with self.app.batch_update():  # the layout now, the paint in a message of its own
                await Screen.on_event(self, event)
        else:
            await Screen.on_event(self, event)
        if isinstance(event, events.ScreenResume | events.Resize | events.Callback):
            self.breathing = True
            try:
                await asyncio.sleep(BREATH_SECONDS)
            finally:
                self.breathing = False


class KioskScreen(OpensQuickly, ServiceCalls, Screen[None]):
    """A full screen of the kiosk."""

    @property
    def language(self) -> str:
        """The language of the screen's texts: the one chosen at the terminal."""
        return language_of(self)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's, with the Footer's texts in the screen's language."""
        return translated_bindings(super().active_bindings, self.language)

    def language_changed(self) -> None:
        """The customer switched the language (on Welcome): a screen that can be open then
        writes its texts again (the app relabels the Footer a frame later)."""

    def relabel_footer(self) -> None:
        """The Footer's labels in the screen's language."""
        relabel_footer(self)

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


class KioskModal(OpensQuickly, ServiceCalls, ModalScreen[ResultType]):
    """A dialog over a kiosk screen."""

    @property
    def language(self) -> str:
        """The language of the dialog's texts: the one chosen at the terminal."""
        return language_of(self)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's, with the Footer's texts in the dialog's language."""
        return translated_bindings(super().active_bindings, self.language)

    def language_changed(self) -> None:
        """The customer switched the language (see KioskScreen's)."""

    def relabel_footer(self) -> None:
        """The Footer's labels in the dialog's language."""
        relabel_footer(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)
