"""Attendance: the idle question, the session's 15 minutes, the reset, the garbage of quiet times.

A shared terminal forgets its customer: after ``idle_seconds`` without a key it asks whether
anyone is there, then goes back to a pristine Welcome; a signed-in session ends after
``session_minutes``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from time import monotonic
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel
from textual.timer import Timer

from kiosk.app.warmup import warm_up
from kiosk.domain.errors import ServiceUnavailable
from kiosk.services import SignedIn
from screens.apology import ApologyScreen
from screens.idle import IdleScreen
from screens.welcome import WelcomeScreen

if TYPE_CHECKING:
    from kiosk.app.kiosk_app import KioskApp

IDLE_LONGEST_SECONDS = 600.0
"""SPEC §12: the idle delay doubles at each answer, up to 10 minutes."""
GC_QUIET_SECONDS = 3.0
"""A full garbage collection runs once no key has come for this long."""
GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD = 700, 10
"""Python's defaults for the two young generations."""
GC_NO_AUTOMATIC_FULL = 1_000_000_000
"""The old generation is never collected automatically: :meth:`Attendance.check_idle` does it."""


class Attendance:
    """Who is at the kiosk: the last key, the signed-in session, and the way back to Welcome."""

    def __init__(self, app: KioskApp, *, manage_garbage: bool) -> None:
        self.app = app
        self.session: SignedIn | None = None
        """The signed-in customer's session, if any."""
        self._session_timer: Timer | None = None
        self.last_key = monotonic()
        """When the last key (or mouse button) came."""
        self.idle_seconds = app.settings.idle_seconds
        """The quiet time before the idle question: doubled at each answer, for this customer."""
        self._manage_garbage = manage_garbage
        self._garbage_collected = True
        self.warmed_up = False
        """The warm-up has run (imports, prepared statements, garbage settled)."""

    def start(self) -> None:
        """Look at the clock a few times per idle period."""
        self.app.set_interval(min(1.0, self.app.settings.idle_seconds / 4), self.check_idle)

    def saw_key(self) -> None:
        """A key or a mouse button: someone is there."""
        self.last_key = monotonic()
        self._garbage_collected = False

    # -- the warm-up -------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load what later screens need (:mod:`kiosk.app.warmup`), prepare the statements of a
        registration's submit, then settle the garbage (in a worker)."""
        self.app.run_worker(self._warm_up(), name="warm_up", group="warm-up", exit_on_error=False)

    async def _warm_up(self) -> None:
        await asyncio.to_thread(warm_up)
        # Database away: the first submit prepares it; the outage is the screens' business.
        with contextlib.suppress(ServiceUnavailable):
            await self.app.services.registration.prepare()
        self._settle_garbage()
        self.warmed_up = True

    def _settle_garbage(self) -> None:
        """Freeze what start-up made and leave full collections to quiet moments.

        A full collection walks every object (about 100,000 once the services are loaded) and
        stalls the screen for tens of milliseconds. The objects of start-up live as long as
        the kiosk: frozen, they are never walked again; and the full collections are made by
        :meth:`check_idle` when no key has come for a few seconds.
        """
        if not self._manage_garbage:
            return
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD, GC_NO_AUTOMATIC_FULL)
        self._garbage_collected = True

    # -- idle --------------------------------------------------------------------------------

    def check_idle(self) -> None:
        """The clock's look: a full collection in a quiet moment, the idle question after
        ``idle_seconds``."""
        try:
            self._check_quiet()
        except Exception as error:  # a timer's error would otherwise stop the app itself
            self.app.recovery.unexpected(error)

    def _check_quiet(self) -> None:
        app = self.app
        quiet = monotonic() - self.last_key
        if self._manage_garbage and not self._garbage_collected and quiet >= GC_QUIET_SECONDS:
            gc.collect()  # the full collection, while nobody is typing
            self._garbage_collected = True
        if quiet < self.idle_seconds:
            return
        if isinstance(app.screen, IdleScreen | ApologyScreen):
            return
        if self._pristine():
            # Nobody to ask: an untouched Welcome has nothing to reset but the clipboard and
            # the language.
            app.copy_to_clipboard("")
            app.forget_language()
            self.last_key = monotonic()
            return
        app.push_screen(IdleScreen(app.settings.idle_countdown_seconds), self._idle_answered)

    def _pristine(self) -> bool:
        """Welcome alone on the stack (above Textual's base screen), nobody signed in."""
        app = self.app
        return (
            isinstance(app.screen, WelcomeScreen)
            and len(app.screen_stack) <= 2
            and self.session is None
        )

    def _idle_answered(self, still_here: bool | None) -> None:
        self.last_key = monotonic()
        if still_here:
            longest = max(IDLE_LONGEST_SECONDS, self.app.settings.idle_seconds)
            self.idle_seconds = min(2 * self.idle_seconds, longest)
        else:
            self.app.call_later(self.reset_kiosk)

    def answer_idle_question(self) -> None:
        """A key that acts anywhere (F1, Ctrl+T) answers the idle question too."""
        screen = self.app.screen
        if isinstance(screen, IdleScreen) and screen.is_current:
            screen.dismiss(True)

    async def reset_kiosk(self) -> None:
        """Back to a pristine Welcome: screens closed, fields gone, clipboard and session ended."""
        app = self.app
        app.backend.forget_waiting()
        self.idle_seconds = app.settings.idle_seconds
        app.copy_to_clipboard("")
        self.end_session()
        await app.navigation.back_to_welcome()
        app.forget_language()

    # -- sessions ----------------------------------------------------------------------------

    def start_session(self, session: SignedIn) -> None:
        self.end_session()
        self.session = session
        self._session_timer = self.app.set_timer(
            self.app.settings.session_minutes * 60, self._session_timed_out
        )

    def end_session(self) -> None:
        """Forget the session here and end it in the database (in a worker)."""
        if self._session_timer is not None:
            self._session_timer.stop()
            self._session_timer = None
        session, self.session = self.session, None
        if session is not None:
            self.app.run_worker(
                self.app.services.sessions.sign_out(session.token),
                group="sign-out",
                exit_on_error=False,
            )

    async def _session_timed_out(self) -> None:
        try:
            if self.session is not None:
                await self.session_over()
        except Exception as error:  # a timer's error would otherwise stop the app itself
            self.app.recovery.unexpected(error)

    async def session_over(self) -> None:
        """The session's time is up, or a screen found it ended: back to Welcome, told why."""
        await self.leave("session_expired", severity="warning")

    async def leave(self, farewell: str, *, severity: SeverityLevel = "information") -> None:
        """End the session, back to Welcome, ``farewell`` told in the customer's language."""
        app = self.app
        language = app.language  # the last words in the customer's language
        self.end_session()
        await app.navigation.back_to_welcome()
        app.forget_language()
        app.notices.tell(farewell, severity=severity, language=language)
