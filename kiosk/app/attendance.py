"""Attendance: the idle question, the session's 15 minutes, the reset, the apology after a bug.

A shared terminal forgets its customer: after ``idle_seconds`` without a key it asks whether
anyone is there, then goes back to a pristine Welcome; a signed-in session ends after
``session_minutes``; an unexpected error ends everything too, behind a plain apology.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from time import monotonic
from typing import Any

from textual import events, on, work
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from kiosk.app.typeahead import TypeAhead
from kiosk.app.warmup import warm_up
from kiosk.domain.catalogue import text
from kiosk.domain.errors import ServiceUnavailable
from kiosk.services import SignedIn
from screens.apology import ApologyScreen
from screens.base import SessionEnded, UnexpectedError
from screens.idle import IdleScreen
from screens.welcome import WelcomeScreen

log = logging.getLogger("kiosk")

IDLE_LONGEST_SECONDS = 600.0
"""SPEC §12: the idle delay doubles at each answer, up to 10 minutes."""
GC_QUIET_SECONDS = 3.0
"""A full garbage collection runs once no key has come for this long."""
GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD = 700, 10
"""Python's defaults for the two young generations."""
GC_NO_AUTOMATIC_FULL = 1_000_000_000
"""The old generation is never collected automatically: :meth:`Attendance._check_idle` does it."""


class Attendance(TypeAhead):
    """Who is at the kiosk: the last key, the signed-in session, and the way back to Welcome."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: SignedIn | None = None
        """The signed-in customer's session, if any."""
        self._session_timer: Timer | None = None
        self._last_key = monotonic()
        self.idle_seconds = self.settings.idle_seconds
        """The quiet time before the idle question: doubled at each answer, for this customer."""
        self._garbage_collected = True
        self.warmed_up = False
        """The warm-up has run (imports, prepared statements, garbage settled)."""
        self.unexpected_errors: list[BaseException] = []
        """Errors that led to the apology screen (tests check that it stays empty)."""

    def _start_attendance(self) -> None:
        """Look at the clock a few times per idle period."""
        self.set_interval(min(1.0, self.settings.idle_seconds / 4), self._check_idle)

    def _services_ready(self) -> None:
        super()._services_ready()
        self._warm_up()

    @work(group="warm-up", exit_on_error=False)
    async def _warm_up(self) -> None:
        """Load what later screens need (:mod:`kiosk.app.warmup`), prepare the statements of a
        registration's submit, then settle the garbage."""
        await asyncio.to_thread(warm_up)
        # Database away: the first submit prepares it; the outage is the screens' business.
        with contextlib.suppress(ServiceUnavailable):
            await self.services.registration.prepare()
        self._settle_garbage()
        self.warmed_up = True

    def _settle_garbage(self) -> None:
        """Freeze what start-up made and leave full collections to quiet moments.

        A full collection walks every object (about 100,000 once the services are loaded) and
        stalls the screen for 50 to 80 ms; two or three fell inside each registration. The
        objects of start-up live as long as the kiosk: frozen, they are never walked again;
        and the full collections are made by :meth:`_check_idle` when no key has come for a
        few seconds.
        """
        if not self._manage_garbage:
            return
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD, GC_NO_AUTOMATIC_FULL)
        self._garbage_collected = True

    # -- idle --------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_key = monotonic()
            self._garbage_collected = False
        await super().on_event(event)

    def _check_idle(self) -> None:
        try:
            self._check_quiet()
        except Exception as error:  # a timer's error would otherwise stop the app itself
            self._unexpected(error)

    def _check_quiet(self) -> None:
        quiet = monotonic() - self._last_key
        if self._manage_garbage and not self._garbage_collected and quiet >= GC_QUIET_SECONDS:
            gc.collect()  # the full collection, while nobody is typing
            self._garbage_collected = True
        if quiet < self.idle_seconds:
            return
        if isinstance(self.screen, IdleScreen | ApologyScreen):
            return
        if self._pristine():
            # Nobody to ask: an untouched Welcome has nothing to reset but the clipboard and
            # the language.
            self.copy_to_clipboard("")
            self._forget_language()
            self._last_key = monotonic()
            return
        self.push_screen(IdleScreen(self.settings.idle_countdown_seconds), self._idle_answered)

    def _pristine(self) -> bool:
        """Welcome alone on the stack (above Textual's base screen), nobody signed in."""
        return (
            isinstance(self.screen, WelcomeScreen)
            and len(self.screen_stack) <= 2
            and self.session is None
        )

    def _idle_answered(self, still_here: bool | None) -> None:
        self._last_key = monotonic()
        if still_here:
            longest = max(IDLE_LONGEST_SECONDS, self.settings.idle_seconds)
            self.idle_seconds = min(2 * self.idle_seconds, longest)
        else:
            self.call_later(self.reset_kiosk)

    async def reset_kiosk(self) -> None:
        """Back to a pristine Welcome: screens closed, fields gone, clipboard and session ended."""
        self._waiting_for_services = None
        self.idle_seconds = self.settings.idle_seconds
        self.copy_to_clipboard("")
        self._end_session()
        await self._back_to_welcome()
        self._forget_language()

    # -- sessions ----------------------------------------------------------------------------

    def _start_session(self, session: SignedIn) -> None:
        self._end_session()
        self.session = session
        self._session_timer = self.set_timer(
            self.settings.session_minutes * 60, self._session_timed_out
        )

    def _end_session(self) -> None:
        """Forget the session here and end it in the database (in a worker)."""
        if self._session_timer is not None:
            self._session_timer.stop()
            self._session_timer = None
        session, self.session = self.session, None
        if session is not None:
            self.run_worker(
                self.services.sessions.sign_out(session.token),
                group="sign-out",
                exit_on_error=False,
            )

    async def _session_timed_out(self) -> None:
        try:
            if self.session is not None:
                await self._session_over()
        except Exception as error:  # a timer's error would otherwise stop the app itself
            self._unexpected(error)

    async def _session_over(self) -> None:
        farewell = self.language  # the last words in the customer's language
        self._end_session()
        await self._back_to_welcome()
        self._forget_language()
        self._tell("session_expired", severity="warning", language=farewell)

    @on(SessionEnded)
    async def _session_ended(self) -> None:
        await self._session_over()

    # -- unexpected errors -------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (mailer, sign-out) are logged, never shown."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            log.error(
                "background task %s failed",
                event.worker.name,
                exc_info=(type(error), error, error.__traceback__),
            )

    @on(UnexpectedError)
    def _worker_failed(self, event: UnexpectedError) -> None:
        self._unexpected(event.error)

    def message_failed(self, error: Exception) -> None:
        self._unexpected(error)

    def pump_failed(self, error: Exception, *, app_loop_stopped: bool) -> None:
        if app_loop_stopped or self._recovering:
            # The app's own message loop stops after this error: leave without a traceback.
            self._log_error(error)
            self.unexpected_errors.append(error)
            self.leave_after_error(text("apology"))
            return
        self._unexpected(error)

    def _unexpected(self, error: BaseException) -> None:
        self._log_error(error)
        self.unexpected_errors.append(error)
        self.call_later(self._apologise)

    @staticmethod
    def _log_error(error: BaseException) -> None:
        log.error(
            "unexpected error: %s",
            type(error).__name__,
            exc_info=(type(error), error, error.__traceback__),
        )

    async def _apologise(self) -> None:
        if self._recovering:
            return
        self._recovering = True
        try:
            self.copy_to_clipboard("")
            self._end_session()
            await self._back_to_welcome(fresh=True)
            # In the customer's language; French again for the next one once it closes.
            await self.push_screen(ApologyScreen(), lambda _closed: self._forget_language())
        finally:
            self._recovering = False
