"""Engine factory: SQLite with WAL, foreign keys and a busy timeout; PostgreSQL with a pool."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY_OPTION = "kiosk_read_only"
"""Execution option of a connection whose transaction only reads."""
BULK_OPTION = "kiosk_bulk"
"""Execution option of a connection whose transaction writes imported rows in bulk, their
references checked beforehand: on SQLite it checks no foreign key row by row."""
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
            connect_args={
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                "async_creator_fn": _one_hop_connection,
            },
        )
        _configure_sqlite(engine)
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
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted content is overwritten (an erased e-mail body held a code), whatever the
        # SQLite build's default.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: two kiosks never both read-then-write
        # and then fail to upgrade ("database is locked"); the busy timeout queues them.
        # A unit of work that only reads says so and opens no transaction: each statement
        # reads a snapshot of its own, without the lock, and two round trips to the driver's
        # thread are saved (no BEGIN, and the ROLLBACK at the end has nothing to do).
        options = connection.get_execution_options()
        if options.get(READ_ONLY_OPTION):
            return
        if options.get(BULK_OPTION):
            # A pragma that takes effect only outside a transaction: before the BEGIN.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.info[_REFERENCES_UNCHECKED] = True
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        # The next unit of work on this connection checks its references again.
        if record.info.pop(_REFERENCES_UNCHECKED, False):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


# -- SQLite: one trip to the connection's thread per statement -----------------------------


class _OneHopCursor:
    """What SQLAlchemy's aiosqlite adapter asks of a cursor, with ``execute`` running the
    statement, reading its rows and closing the sqlite3 cursor in one trip to the
    connection's thread: aiosqlite's cursor takes four (cursor, execute, fetchall, close),
    each a queue hop and a future. The errors are sqlite3's, raised as before."""

    arraysize = 1

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> _OneHopCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._rows = []

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> _OneHopCursor:
        await self._trip(partial(_run, sql, parameters, many=False))
        return self

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> _OneHopCursor:
        await self._trip(partial(_run, sql, rows, many=True))
        return self

    async def _trip(self, run: Any) -> None:
        connection = self._connection
        outcome = await connection._execute(run, connection._conn)  # type: ignore[no-untyped-call]
        self.description, self._rows, self.rowcount, self.lastrowid = outcome

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = size or self.arraysize
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def close(self) -> None:
        self._rows = []


def _run(
    sql: str, parameters: Any, connection: sqlite3.Connection, *, many: bool
) -> tuple[Any, list[Any], int, int | None]:
    """In the connection's thread: the statement, its rows, and the cursor closed."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class _OneHopConnection(aiosqlite.Connection):
    """aiosqlite's connection (its thread, its queue, commit and rollback) whose cursors
    make one trip per statement, and whose closing cannot wait forever.

    When a statement is cancelled (a worker of a closing app, say), SQLAlchemy invalidates
    the connection: ``terminate()`` starts a graceful ``close()`` under ``asyncio.shield`` and,
    if its own wait is cancelled too, force-closes with ``stop()``. The stop's sentinel ends
    the connection's thread; aiosqlite's ``close()`` then calls ``stop()`` a second time in a
    ``finally`` and awaits a future that no thread will ever resolve, absorbing the one
    cancellation an event loop's shutdown sends it: the loop never closes (the test suite's
    hang of issue 24). Here ``stop()`` stops the thread once and every later call returns
    that first stop's future, which the thread resolves on its way out.
    """

    _stop_asked = False
    _stopping: asyncio.Future[Any] | None = None

    def cursor(self) -> _OneHopCursor:  # type: ignore[override]
        return _OneHopCursor(self)

    def stop(self) -> asyncio.Future[Any] | None:
        if not self._stop_asked:
            self._stop_asked = True
            self._stopping = super().stop()
        return self._stopping

    async def close(self) -> None:
        if not self._stop_asked:
            await super().close()
        elif self._stopping is not None:
            # Stopped already (SQLAlchemy's force close): the thread closes the connection.
            await self._stopping


def _one_hop_connection(database: str, *, iter_chunk_size: int = 64, **kwargs: Any) -> Any:
    """What ``aiosqlite.connect`` builds (SQLAlchemy awaits it), with one-hop cursors."""
    connection = _OneHopConnection(partial(sqlite3.connect, database, **kwargs), iter_chunk_size)
    connection._thread.daemon = True  # as SQLAlchemy's dialect does for aiosqlite's own
    return connection
