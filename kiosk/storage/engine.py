"""Engine factory: SQLite with WAL, foreign keys and a busy timeout; PostgreSQL with a pool."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from kiosk.storage.quick_reads import open_quick_reads, share_quick_reads
from kiosk.storage.sqlite_adapter import kiosk_aiosqlite
from kiosk.storage.sqlite_driver import (
    SQLITE_BUSY_TIMEOUT_MS,
    OneTripConnection,
    one_trip_connection,
)

READ_ONLY_OPTION = "kiosk_read_only"
"""Execution option of a connection whose transaction only reads."""
BULK_OPTION = "kiosk_bulk"
"""Execution option of a connection whose transaction writes imported rows in bulk, their
references checked beforehand: on SQLite it checks no foreign key row by row."""
UNIT_OPTION = "kiosk_unit_of_work"
"""Execution option of the connections of the units of work (:func:`session_factory`)."""
SCAN_OPTION = "kiosk_scan"
"""Execution option of a connection whose transaction reads or deletes through whole tables
(counts, purges, the imports' lookups): on SQLite its statements run in the driver's thread,
never on the event loop."""
_REFERENCES_UNCHECKED = "kiosk_references_unchecked"
"""Set in a SQLite connection's info while its foreign keys are off, until it is returned."""


def create_engine(url: str, *, pool_size: int = 5) -> AsyncEngine:
    """Build the async engine for ``url``; nothing is connected yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # A plain path gets its folder; a URI (``file:...?uri=true``, read-only say) names a
        # file that exists, and read as a path it would make a "file:" folder where we stand.
        if parsed.database and parsed.database != ":memory:" and not parsed.query.get("uri"):
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url,
            module=kiosk_aiosqlite(),
            connect_args={
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                "async_creator_fn": one_trip_connection,
            },
        )
        _configure_sqlite(engine)
        open_quick_reads(engine)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted content is overwritten (an erased e-mail body held a code), whatever the
        # SQLite build's default.
        cursor.execute("PRAGMA secure_delete=ON")
        # Last: the set-up above waited for locks with the connection's timeout. From now on
        # SQLite never sleeps on a lock (a statement may run on the event loop); the driver's
        # thread waits for it instead (kiosk.storage.sqlite_driver).
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: two kiosks never both read-then-write
        # and then fail to upgrade ("database is locked"); the busy timeout queues them.
        # A unit of work that only reads says so and opens no transaction: each statement
        # reads a snapshot of its own, without the lock, and two round trips to the driver's
        # thread are saved (no BEGIN, and the ROLLBACK at the end has nothing to do).
        options = connection.get_execution_options()
        # The statements of a unit of work run on the event loop when they need not wait;
        # the rest (migrations, the billing extracts' imports, whole-table units) in the
        # driver's thread (kiosk.storage.sqlite_driver).
        _driver(connection.connection).on_loop = bool(
            options.get(UNIT_OPTION)
            and not options.get(BULK_OPTION)
            and not options.get(SCAN_OPTION)
        )
        if options.get(READ_ONLY_OPTION):
            return
        if options.get(BULK_OPTION):
            # A pragma that takes effect only outside a transaction: before the BEGIN.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.info[_REFERENCES_UNCHECKED] = True
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is None:  # invalidated
            return
        _driver(record).on_loop = False
        # The next unit of work on this connection checks its references again.
        if record.info.pop(_REFERENCES_UNCHECKED, False):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The sessions of the units of work (their connections say so: ``UNIT_OPTION``)."""
    units = engine.execution_options(**{UNIT_OPTION: True})
    share_quick_reads(engine, units)
    return async_sessionmaker(units, expire_on_commit=False)


def _driver(pooled: Any) -> OneTripConnection:
    """The aiosqlite connection of a pool entry or of a connection checked out."""
    driver: OneTripConnection = pooled.driver_connection
    return driver
