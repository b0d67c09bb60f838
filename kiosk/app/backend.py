"""The services as the kiosk app sees them: opened after the first paint, waited for, away."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from screens.base import KioskScreen

if TYPE_CHECKING:
    from kiosk.app.kiosk_app import KioskApp
    from kiosk.services import KioskServices

log = logging.getLogger("kiosk")

Started = tuple["KioskServices", Sequence[Callable[[], Awaitable[None]]]]
"""What ``start`` gives: the services, and the background tasks that go with them."""


class Backend:
    """The services (opened after the first paint when asked), the app's background tasks, and
    the screen that covers the kiosk while the database is away."""

    def __init__(
        self,
        app: KioskApp,
        services: KioskServices | None,
        start: Callable[[], Awaitable[Started]] | None,
        background: Sequence[Callable[[], Awaitable[None]]],
    ) -> None:
        if services is None and start is None:
            raise ValueError("KioskApp needs services or a way to start them")
        self.app = app
        self._services = services
        self._start = start
        self._background = tuple(background)
        self._waiting: Callable[[], object] | None = None
        """What the customer asked for before the services were open (only the latest)."""

    @property
    def services(self) -> KioskServices:
        """The use cases; every screen that needs them comes after :meth:`when_ready`."""
        assert self._services is not None, "services used before they were opened"
        return self._services

    def open_after_paint(self) -> None:
        """Start the background tasks, and open the services if they are not open yet."""
        self._run_background(self._background)
        if self._services is None:
            self.app.call_after_refresh(self._open_in_worker)
        else:
            self.app.call_after_refresh(self.app.services_ready)

    def _run_background(self, factories: Sequence[Callable[[], Awaitable[None]]]) -> None:
        for factory in factories:
            self.app.run_worker(factory(), group="background", exit_on_error=False)

    def _open_in_worker(self) -> None:
        self.app.run_worker(self._open(), name="open_services", group="start", exit_on_error=False)

    async def _open(self) -> None:
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
        self.app.services_ready()
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            waiting()

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` now, or as soon as the services are open (a second after start);
        a later request replaces an earlier one that is still waiting."""
        if self._services is not None:
            callback()
        else:
            self._waiting = callback

    def forget_waiting(self) -> None:
        """The customer is gone: what they asked for does not open for the next one."""
        self._waiting = None

    # -- the database away -------------------------------------------------------------------

    def database_away(self) -> None:
        """Cover the current screen until the database answers; what was typed stays in it."""
        from screens.unavailable import UnavailableScreen

        app = self.app
        if app.recovery.recovering or any(
            isinstance(screen, UnavailableScreen) for screen in app.screen_stack
        ):
            return
        log.warning("database unreachable: waiting for it")
        app.push_screen(UnavailableScreen(self.services), self._database_back)

    def _database_back(self, _result: None = None) -> None:
        log.warning("database reachable again")
        if isinstance(self.app.screen, KioskScreen):
            self.app.screen.database_back()
