"""What every part of the kiosk app stands on: the services, notifications, Welcome, outages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.notifications import SeverityLevel

from kiosk.app.textual_internals import GuardedApp, notifications
from kiosk.config import Settings
from kiosk.domain.catalogue import text
from kiosk.translations import SOURCE_LANGUAGE, supported
from screens.base import DatabaseAway, KioskModal, KioskScreen
from screens.welcome import WelcomeScreen

if TYPE_CHECKING:
    from kiosk.services import KioskServices

log = logging.getLogger("kiosk")

Started = tuple["KioskServices", Sequence[Callable[[], Awaitable[None]]]]
"""What ``start`` gives: the services, and the background tasks that go with them."""

Told = tuple[str, str, SeverityLevel, dict[str, object]]
"""A notification by catalogue keys: message, title, severity, values."""

NOTIFICATION_SECONDS = 10.0
"""How long a notification stays at the top right."""


class KioskCore(GuardedApp):
    """The services (opened after the first paint when asked), notifications and outages."""

    def __init__(
        self,
        services: KioskServices | None,
        settings: Settings,
        *,
        dev: bool = False,
        background: Sequence[Callable[[], Awaitable[None]]] = (),
        start: Callable[[], Awaitable[Started]] | None = None,
        manage_garbage: bool = False,
    ) -> None:
        """Build the kiosk.

        Args:
            services: the use cases; None when ``start`` opens them after the first paint.
            settings: the installation's settings.
            dev: ctrl+q quits (development only).
            background: coroutine factories run for the app's life (mail worker, purge).
            start: opens the database and the services once Welcome is on screen, so that
                the customer never waits for libraries only later screens use.
            manage_garbage: freeze start-up's objects and run full garbage collections only
                when nobody types (process-wide: the kiosk's own process only, not tests).
        """
        super().__init__()
        if services is None and start is None:
            raise ValueError("KioskApp needs services or a way to start them")
        self._services = services
        self._start = start
        self._waiting_for_services: Callable[[], object] | None = None
        """What the customer asked for before the services were open (only the latest)."""
        self.settings = settings
        self.dev = dev
        """Development mode: ctrl+q quits."""
        self._background = tuple(background)
        self._manage_garbage = manage_garbage
        self._recovering = False
        """True while the kiosk goes back to Welcome after an unexpected error."""
        self.language = SOURCE_LANGUAGE
        """The language of every screen (SPEC §11): switched on Welcome, French again for
        the next customer."""
        self._told: Told | None = None
        """The last notification, by catalogue key: told again in a new language."""

    # -- the services ------------------------------------------------------------------------

    @property
    def services(self) -> KioskServices:
        """The use cases; every screen that needs them comes after :meth:`_when_ready`."""
        assert self._services is not None, "services used before they were opened"
        return self._services

    def _open_services_after_paint(self) -> None:
        """Start the background tasks, and open the services if they are not open yet."""
        self._run_background(self._background)
        if self._services is None:
            self.call_after_refresh(self._open_services)
        else:
            self.call_after_refresh(self._services_ready)

    def _run_background(self, factories: Sequence[Callable[[], Awaitable[None]]]) -> None:
        for factory in factories:
            self.run_worker(factory(), group="background", exit_on_error=False)

    @work(group="start", exit_on_error=False)
    async def _open_services(self) -> None:
        """Open the database and the services (again every few seconds until it works)."""
        assert self._start is not None
        while True:
            try:
                self._services, background = await self._start()
                break
            except Exception:
                log.exception("the services could not be opened; trying again")
                await asyncio.sleep(3)
        self._run_background(background)
        self._services_ready()
        waiting, self._waiting_for_services = self._waiting_for_services, None
        if waiting is not None:
            waiting()

    def _services_ready(self) -> None:
        """The services are open and Welcome is painted: a quiet moment for start-up work."""

    def _when_ready(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` now, or as soon as the services are open (a second after start);
        a later request replaces an earlier one that is still waiting."""
        if self._services is not None:
            callback()
        else:
            self._waiting_for_services = callback

    # -- screens and notifications -----------------------------------------------------------

    async def _back_to_welcome(self, *, fresh: bool = False) -> None:
        """Close every screen above Welcome (the stack is: Textual's blank base, Welcome, ...).

        Args:
            fresh: replace Welcome too (after an error, its message loop may have stopped).
        """
        keep = 1 if fresh else 2
        while len(self.screen_stack) > keep:
            await self.pop_screen()
        if not isinstance(self.screen, WelcomeScreen):
            await self.push_screen(WelcomeScreen())

    def _tell(
        self,
        key: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        language: str | None = None,
        **values: object,
    ) -> None:
        """A notification at the top right, replacing those of the previous steps.

        Args:
            key: the catalogue key of the message (``values`` fill its placeholders).
            title: the catalogue key of its title, if any.
            language: the message's language when not the screens' (a farewell).
        """
        self._told = (key, title, severity, values)
        self._show_told(language or self.language)

    def _show_told(self, language: str) -> None:
        assert self._told is not None
        key, title, severity, values = self._told
        self.clear_notifications()
        self.notify(
            text(key, language, **values),
            title=text(title, language) if title else "",
            severity=severity,
            timeout=NOTIFICATION_SECONDS,
        )

    # -- the language ------------------------------------------------------------------------

    def switch_language(self, language: str) -> None:
        """Show every open screen, its Footer and the notification on screen in ``language``.

        In three steps, each painted before the next (a frame apart): the screens' texts, then
        their Footers, then the notification; done at once, their layout and paint held the
        loop for more than a frame.
        """
        language = supported(language)
        if language == self.language:
            return
        self.language = language
        self.title = text("app_title", language)
        screens = [
            screen for screen in self.screen_stack if isinstance(screen, KioskScreen | KioskModal)
        ]
        for screen in screens:
            screen.language_changed()
        told = self._told if notifications(self) else None
        self.call_after_refresh(self._relabel_footers, screens, language, told)

    def _relabel_footers(
        self, screens: list[KioskScreen | KioskModal[Any]], language: str, told: Told | None
    ) -> None:
        if language != self.language:
            return  # switched back meanwhile: that switch relabels them
        for screen in screens:
            screen.relabel_footer()
        if told is not None:
            self.call_after_refresh(self._retell, language, told)

    def _retell(self, language: str, told: Told) -> None:
        """The notification of the switch's moment again, unless another replaced it."""
        if language == self.language and self._told is told:
            self._show_told(language)

    def _forget_language(self) -> None:
        """French again for the next customer; what this one was told is not told again."""
        self._told = None
        self.switch_language(SOURCE_LANGUAGE)

    # -- the database away -------------------------------------------------------------------

    @on(DatabaseAway)
    def _database_away(self) -> None:
        """Cover the current screen until the database answers; what was typed stays in it."""
        from screens.unavailable import UnavailableScreen

        if self._recovering or any(
            isinstance(screen, UnavailableScreen) for screen in self.screen_stack
        ):
            return
        log.warning("database unreachable: waiting for it")
        self.push_screen(UnavailableScreen(self.services), self._database_back)

    def _database_back(self, _result: None = None) -> None:
        log.warning("database reachable again")
        if isinstance(self.screen, KioskScreen):
            self.screen.database_back()
