"""The unit of work: one transaction, and the repositories that work in it.

Services write ``async with context.unit_of_work() as uow: ...; await uow.commit()`` and speak
only to ``uow.accounts``, ``uow.codes`` and the others (``uow.status`` only reads;
``uow.reference_data`` and ``uow.billing_data`` write the imports' batches); nothing is kept
without the commit.
"""

from __future__ import annotations

import functools
import weakref
from types import TracebackType

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from kiosk.domain.errors import ServiceUnavailable, WriteConflict
from kiosk.storage.engine import BULK_OPTION, READ_ONLY_OPTION, SCAN_OPTION
from kiosk.storage.faults import is_database_unreachable
from kiosk.storage.quick_reads import quick_reads_of
from kiosk.storage.repositories.accounts import AccountRepository
from kiosk.storage.repositories.base import Link, OneReadLink
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
"""What the wiring builds once per engine (:func:`kiosk.storage.engine.session_factory`): a
unit of work connects through its engine, and makes a session only when a repository needs
one (:class:`kiosk.storage.repositories.base.Link`)."""

_REPOSITORIES = (
    "accounts",
    "codes",
    "sessions",
    "throttles",
    "outbox",
    "subscribers",
    "communes",
    "drafts",
    "events",
    "heartbeats",
    "status",
    "reference_data",
    "billing_data",
    "invoices",
    "readings",
)
"""The repositories a unit of work hands out, each made on first use."""
_REPOSITORY_NAMES = frozenset(_REPOSITORIES)

_ENGINES: weakref.WeakKeyDictionary[SessionFactory, dict[tuple[bool, bool, bool], AsyncEngine]]
_ENGINES = weakref.WeakKeyDictionary()


def _engine(sessions: SessionFactory, read_only: bool, bulk: bool, scan: bool) -> AsyncEngine:
    """The factory's engine with a unit's execution options (made once per kind of unit)."""
    kinds = _ENGINES.setdefault(sessions, {})
    engine = kinds.get((read_only, bulk, scan))
    if engine is None:
        options = {READ_ONLY_OPTION: read_only, BULK_OPTION: bulk, SCAN_OPTION: scan}
        bound: AsyncEngine = sessions.kw["bind"]
        engine = kinds[read_only, bulk, scan] = bound.execution_options(
            **{option: True for option, wanted in options.items() if wanted}
        )
    return engine


class UnitOfWork:
    """One transaction: ``async with uow: ...; await uow.commit()``; rolled back otherwise.

    Every database access goes through one, so this is the one place where a database that
    cannot be reached becomes :class:`ServiceUnavailable`, and a unique key taken by another
    transaction at the same moment becomes :class:`WriteConflict`, whatever the engine.
    """

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        read_only: bool = False,
        bulk: bool = False,
        scan: bool = False,
        one_read: bool = False,
    ) -> None:
        self._sessions = sessions
        self._link: Link | OneReadLink | None = None
        self.one_read = one_read
        """A unit that reads one Core ``SELECT`` and nothing else (read-only): it connects only
        if the embedded database's quick reads cannot answer (:class:`OneReadLink`)."""
        self.read_only = read_only or one_read
        """A read-only unit never writes: on SQLite it does not take the write lock."""
        self.bulk = bulk
        """A bulk unit writes one batch of an import (``reference_data``, ``billing_data``), its
        references checked beforehand: on SQLite they are not checked again row by row."""
        self.scan = scan
        """A scanning unit reads or deletes through whole tables (counts, purges): on SQLite
        its statements run in the driver's thread, where the others run on the event loop
        (:mod:`kiosk.storage.sqlite_driver`)."""

    async def __aenter__(self) -> UnitOfWork:
        if self.one_read:
            self._link = OneReadLink(self._connect, quick_reads_of(self._sessions.kw["bind"]))
        else:
            self._link = Link(await self._connect())
        # Made again on first use, on this unit's connection.
        for name in self.__dict__.keys() & _REPOSITORY_NAMES:
            del self.__dict__[name]
        return self

    async def _connect(self) -> AsyncConnection:
        return await _connect(
            _engine(self._sessions, self.read_only, self.bulk, self.scan or self.bulk)
        )

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._link is not None, "the unit of work was not entered"
        link, self._link = self._link, None
        try:
            await link.close()
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

    @functools.cached_property
    def accounts(self) -> AccountRepository:
        return AccountRepository(self._entered())

    @functools.cached_property
    def codes(self) -> CodeRepository:
        return CodeRepository(self._entered())

    @functools.cached_property
    def sessions(self) -> SessionRepository:
        return SessionRepository(self._entered())

    @functools.cached_property
    def throttles(self) -> ThrottleRepository:
        return ThrottleRepository(self._entered(), read_only=self.read_only)

    @functools.cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self._entered())

    @functools.cached_property
    def subscribers(self) -> SubscriberRepository:
        return SubscriberRepository(self._entered())

    @functools.cached_property
    def communes(self) -> CommuneRepository:
        return CommuneRepository(self._entered())

    @functools.cached_property
    def drafts(self) -> DraftRepository:
        return DraftRepository(self._entered())

    @functools.cached_property
    def events(self) -> AuthEventRepository:
        return AuthEventRepository(self._entered())

    @functools.cached_property
    def heartbeats(self) -> HeartbeatRepository:
        return HeartbeatRepository(self._entered())

    @functools.cached_property
    def status(self) -> StatusQueries:
        return StatusQueries(self._entered())

    @functools.cached_property
    def reference_data(self) -> ReferenceDataRepository:
        return ReferenceDataRepository(self._entered())

    @functools.cached_property
    def billing_data(self) -> BillingDataRepository:
        return BillingDataRepository(self._entered())

    @functools.cached_property
    def invoices(self) -> InvoiceRepository:
        return InvoiceRepository(self._entered())

    @functools.cached_property
    def readings(self) -> ReadingRepository:
        return ReadingRepository(self._entered())

    def _entered(self) -> Link | OneReadLink:
        assert self._link is not None, "use the unit of work inside 'async with'"
        return self._link

    async def commit(self) -> None:
        link = self._entered()
        if link.made is not None:
            await link.made.commit()
        # What a Core statement began since the session's commit, or without a session.
        if link.connection.in_transaction():
            await link.connection.commit()

    async def ping(self) -> None:
        """One cheap round trip to the database."""
        await self._entered().connection.run_sync(_select_one)


async def _connect(engine: AsyncEngine) -> AsyncConnection:
    """A connection of the pool, for a unit of work; a database that cannot be reached is
    :class:`ServiceUnavailable`."""
    try:
        return await engine.connect()
    except Exception as error:
        if is_database_unreachable(error):
            raise ServiceUnavailable() from error
        raise


def _select_one(connection: Connection) -> None:
    connection.execute(text("SELECT 1"))
