"""The unit of work: one transaction, and the repositories that work in it.

Services write ``async with context.unit_of_work() as uow: ...; await uow.commit()`` and speak
only to ``uow.accounts``, ``uow.codes`` and the others (``uow.status`` only reads;
``uow.reference_data`` and ``uow.billing_data`` write the imports' batches); nothing is kept
without the commit.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kiosk.domain.errors import ServiceUnavailable, WriteConflict
from kiosk.storage.engine import BULK_OPTION, READ_ONLY_OPTION, SCAN_OPTION
from kiosk.storage.faults import is_database_unreachable
from kiosk.storage.repositories.accounts import AccountRepository
from kiosk.storage.repositories.billing import InvoiceRepository, ReadingRepository
from kiosk.storage.repositories.billing_data import BillingDataRepository
from kiosk.storage.repositories.codes import CodeRepository
from kiosk.storage.repositories.communes import CommuneRepository
from kiosk.storage.repositories.drafts import DraftRepository
from kiosk.storage.repositories.events import AuthEventRepository
from kiosk.storage.repositories.heartbeats import HeartbeatRepository
from kiosk.storage.repositories.outbox import OutboxRepository
from kiosk.storage.repositories.reference_data import ReferenceDataRepository
from kiosk.storage.repositories.sessions import SessionRepository
from kiosk.storage.repositories.status import StatusQueries
from kiosk.storage.repositories.subscribers import SubscriberRepository
from kiosk.storage.repositories.throttles import ThrottleRepository

SessionFactory = async_sessionmaker[AsyncSession]
"""What the wiring builds once per engine (:func:`kiosk.storage.engine.session_factory`)."""


class UnitOfWork:
    """One transaction: ``async with uow: ...; await uow.commit()``; rolled back otherwise.

    Every database access goes through one, so this is the one place where a database that
    cannot be reached becomes :class:`ServiceUnavailable`, and a unique key taken by another
    transaction at the same moment becomes :class:`WriteConflict`, whatever the engine.
    """

    accounts: AccountRepository
    codes: CodeRepository
    sessions: SessionRepository
    throttles: ThrottleRepository
    outbox: OutboxRepository
    subscribers: SubscriberRepository
    communes: CommuneRepository
    drafts: DraftRepository
    events: AuthEventRepository
    heartbeats: HeartbeatRepository
    status: StatusQueries
    reference_data: ReferenceDataRepository
    billing_data: BillingDataRepository
    invoices: InvoiceRepository
    readings: ReadingRepository

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        read_only: bool = False,
        bulk: bool = False,
        scan: bool = False,
    ) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self.read_only = read_only
        """A read-only unit never writes: on SQLite it does not take the write lock."""
        self.bulk = bulk
        """A bulk unit writes one batch of an import (``reference_data``, ``billing_data``), its
        references checked beforehand: on SQLite they are not checked again row by row."""
        self.scan = scan
        """A scanning unit reads or deletes through whole tables (counts, purges): on SQLite
        its statements run in the driver's thread, where the others run on the event loop
        (:mod:`kiosk.storage.sqlite_driver`)."""

    async def __aenter__(self) -> UnitOfWork:
        session = self._session = self._sessions()
        options = {
            option: True
            for option, wanted in (
                (READ_ONLY_OPTION, self.read_only),
                (BULK_OPTION, self.bulk),
                (SCAN_OPTION, self.scan or self.bulk),
            )
            if wanted
        }
        if options:
            try:
                await session.connection(execution_options=options)
            except BaseException as error:
                await self.__aexit__(type(error), error, error.__traceback__)
                raise
        self.accounts = AccountRepository(session)
        self.codes = CodeRepository(session)
        self.sessions = SessionRepository(session)
        self.throttles = ThrottleRepository(session, read_only=self.read_only)
        self.outbox = OutboxRepository(session)
        self.subscribers = SubscriberRepository(session)
        self.communes = CommuneRepository(session)
        self.drafts = DraftRepository(session)
        self.events = AuthEventRepository(session)
        self.heartbeats = HeartbeatRepository(session)
        self.status = StatusQueries(session)
        self.reference_data = ReferenceDataRepository(session)
        self.billing_data = BillingDataRepository(session)
        self.invoices = InvoiceRepository(session)
        self.readings = ReadingRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._session is not None, "the unit of work was not entered"
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
        if isinstance(exc, IntegrityError):
            raise WriteConflict() from exc

    async def commit(self) -> None:
        assert self._session is not None, "use the unit of work inside 'async with'"
        await self._session.commit()

    async def ping(self) -> None:
        """One cheap round trip to the database."""
        assert self._session is not None, "use the unit of work inside 'async with'"
        await self._session.execute(text("SELECT 1"))
