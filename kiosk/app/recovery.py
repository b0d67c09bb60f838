"""Recovery: an unexpected error ends everything behind a plain apology (SPEC §12), never a
traceback; the app's own background workers are logged, never shown."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from kiosk.domain.catalogue import text
from screens.apology import ApologyScreen

if TYPE_CHECKING:
    from kiosk.app.kiosk_app import KioskApp

log = logging.getLogger("kiosk")


class Recovery:
    """What the kiosk does after a bug: the session ended, back to Welcome, an apology."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self.recovering = False
        """True while the kiosk goes back to Welcome after an unexpected error."""
        self.unexpected_errors: list[BaseException] = []
        """Errors that led to the apology screen (tests check that it stays empty)."""

    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (mailer, sign-out) are logged, never shown."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            log.error(
                "background task %s failed",
                event.worker.name,
                exc_info=(type(error), error, error.__traceback__),
            )

    def pump_failed(self, error: Exception, *, app_loop_stopped: bool) -> None:
        """A message pump stopped at ``error`` (see :meth:`GuardedApp.pump_failed`)."""
        if app_loop_stopped or self.recovering:
            # The app's own message loop stops after this error: leave without a traceback.
            self._log_error(error)
            self.unexpected_errors.append(error)
            self.app.leave_after_error(text("apology"))
            return
        self.unexpected(error)

    def unexpected(self, error: BaseException) -> None:
        """Log ``error`` and apologise (once the current message is handled)."""
        self._log_error(error)
        self.unexpected_errors.append(error)
        self.app.call_later(self._apologise)

    @staticmethod
    def _log_error(error: BaseException) -> None:
        log.error(
            "unexpected error: %s",
            type(error).__name__,
            exc_info=(type(error), error, error.__traceback__),
        )

    async def _apologise(self) -> None:
        if self.recovering:
            return
        self.recovering = True
        app = self.app
        try:
            app.copy_to_clipboard("")
            app.attendance.end_session()
            await app.navigation.back_to_welcome(fresh=True)
            # In the customer's language; French again for the next one once it closes.
            await app.push_screen(ApologyScreen(), lambda _closed: app.forget_language())
        finally:
            self.recovering = False
