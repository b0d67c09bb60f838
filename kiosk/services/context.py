"""What every service needs: a unit of work, the settings, the clock, the hasher, the origin."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.errors import ServiceUnavailable
from kiosk.hashing import PasswordHashing
from kiosk.rules import mask_email
from kiosk.storage.engine import READ_ONLY_OPTION
from kiosk.storage.faults import is_database_unreachable
from kiosk.storage.models import AuthEvent

auth_log = logging.getLogger("kiosk.auth")


class UnitOfWork:
    """One transaction: ``async with uow: ...; await uow.commit()``; rolled back otherwise.

    Every database access of a service goes through one, so this is where a database that
    cannot be reached becomes :class:`ServiceUnavailable`, whatever the engine.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, read_only: bool = False
    ) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self.read_only = read_only
        """A read-only unit never writes: on SQLite it does not take the write lock."""

    @property
    def session(self) -> AsyncSession:
        assert self._session is not None, "use the unit of work inside 'async with'"
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        if self.read_only:
            try:
                await self._session.connection(execution_options={READ_ONLY_OPTION: True})
            except BaseException as error:
                await self.__aexit__(type(error), error, error.__traceback__)
                raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._session is not None
        session, self._session = self._session, None
        try:
            # close() rolls back what was not committed and detaches the objects read,
            # which keep their loaded values for the caller.
            await session.close()
        except Exception as closing:
            if exc is None:
                if is_database_unreachable(closing):
                    raise ServiceUnavailable() from closing
                raise
            # The error of the work itself is the one to report.
        if exc is not None and is_database_unreachable(exc):
            raise ServiceUnavailable() from exc

    async def commit(self) -> None:
        await self.session.commit()


@dataclass
class ServiceContext:
    """Shared by the services of one process."""

    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    clock: Clock
    hashing: PasswordHashing
    origin: str = ""
    """Where the requests come from: the key of the per-terminal throttles and the place
    written in the auth log. Empty means this kiosk (``settings.kiosk_id``)."""

    def __post_init__(self) -> None:
        self.origin = self.origin or self.settings.kiosk_id

    def for_origin(self, origin: str) -> ServiceContext:
        """The same context for requests coming from ``origin`` (shares the hasher and pool)."""
        return replace(self, origin=origin)

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        return UnitOfWork(self.sessions, read_only=read_only)

    def now(self) -> datetime:
        return self.clock()

    def record_event(
        self, uow: UnitOfWork, event: str, email: str = "", account_id: int | None = None
    ) -> None:
        """Add an auth event to the transaction and write it to the log (e-mail masked)."""
        masked = mask_email(email) if email else ""
        uow.session.add(
            AuthEvent(
                at=self.now(),
                kiosk_id=self.origin,
                event=event,
                email_masked=masked,
                account_id=account_id,
            )
        )
        auth_log.info("event=%s kiosk=%s email=%s", event, self.origin, masked or "-")
