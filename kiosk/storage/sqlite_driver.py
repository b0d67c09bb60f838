"""The embedded database's driver: aiosqlite's connection and thread, with a unit of work that
makes at most one trip to that thread.

A trip (a queue hop to the connection's thread and a future back) costs tens of microseconds
and more under load, where an indexed statement costs a few: a unit of work of three reads
spent nearly all its time travelling. So a statement runs where it is, on the event loop, when
it cannot wait: every connection's busy timeout is zero, so SQLite never sleeps there, and a
statement that finds the database locked goes to the thread, which waits for the lock there
as the busy timeout did (:func:`_waiting`). In WAL mode a read never waits for a writer, and a
unit of work that writes holds the write lock from its ``BEGIN IMMEDIATE``: its statements
cannot wait either. What may take time goes to the thread all the same:

- the ``COMMIT`` (a checkpoint may follow it, with its fsync): the one trip of a unit of work
  that writes;
- the ``BEGIN IMMEDIATE`` while another process holds the write lock (a second trip, spent
  waiting);
- every statement of a connection that is not a unit of work's (set-up, migrations, the
  billing extracts' imports) or that is a bulk or scanning unit's (the imports' batches, the
  counts and purges that read whole tables): ``on_loop`` is off, see ``engine``.

The errors are sqlite3's, raised as before, wherever the statement ran. SQLAlchemy's adapter
calls :meth:`OneTripConnection.run_here` and :meth:`OneTripConnection.rollback_here` without
an await, and awaits only what must go to the thread (:mod:`kiosk.storage.sqlite_adapter`).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from queue import SimpleQueue
from typing import Any

import aiosqlite
from aiosqlite.core import _connection_worker_thread

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a statement waits for the database's lock, in the connection's thread."""
_BUSY_WAITS_MS = (1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100)
"""SQLite's own busy handler's sleeps, the last one repeated until the timeout."""

Outcome = tuple[Any, list[Any], int, int | None]
"""A statement's description, rows, row count and last row id."""


class _CountingQueue(SimpleQueue[Any]):
    """The queue to a connection's thread, counting the trips of every connection."""

    trips = 0

    def put_nowait(self, item: Any) -> None:
        _CountingQueue.trips += 1
        super().put_nowait(item)


def trips_to_driver_threads() -> int:
    """How many trips to an embedded database's thread this process has made so far."""
    return _CountingQueue.trips


class OneTripCursor:
    """What SQLAlchemy's aiosqlite adapter asks of a cursor: ``execute`` runs the statement,
    reads its rows and closes the sqlite3 cursor at once, on the event loop or in one trip to
    the connection's thread (aiosqlite's cursor takes four trips: cursor, execute, fetchall,
    close)."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._rows = []

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> OneTripCursor:
        self.keep(await self._connection.run(partial(run_statement, sql, parameters, many=False)))
        return self

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> OneTripCursor:
        self.keep(await self._connection.run(partial(run_statement, sql, rows, many=True)))
        return self

    def keep(self, outcome: Outcome) -> None:
        """A statement's outcome, run here or in the thread."""
        self.description, self._rows, self.rowcount, self.lastrowid = outcome

    def take(self) -> list[Any]:
        """The rows kept, handed over (:mod:`kiosk.storage.sqlite_adapter`)."""
        rows, self._rows = self._rows, []
        return rows

    def forget(self) -> None:
        self._rows = []

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


class OneTripConnection(aiosqlite.Connection):
    """aiosqlite's connection (its thread, its queue) whose statements run on the event loop
    unless they would wait, or unless ``on_loop`` is off; and whose closing cannot wait
    forever.

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

    on_loop = False
    """Whether statements may run on the event loop: set by the engine while a unit of work
    holds the connection (not a bulk or scanning one), off otherwise."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _CountingQueue()
        self._thread = threading.Thread(
            target=_connection_worker_thread, args=(self._tx,), daemon=True
        )
        self._trips_under_way = 0
        """Trips queued and not finished in the thread (a cancelled trip's statement still
        runs there: nothing may use the connection here meanwhile)."""
        self._trips_counted = threading.Lock()

    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    async def run(self, work: Callable[[sqlite3.Connection], Outcome]) -> Outcome:
        """``work`` on the connection: here if it need not wait, else in the thread."""
        outcome = self.run_here(work)
        if outcome is None:
            outcome = await self._trip(partial(_waiting, work))
        return outcome

    def run_here(self, work: Callable[[sqlite3.Connection], Outcome]) -> Outcome | None:
        """``work`` here if it need not wait; None if it must go to the thread (statements
        that may wait, a trip under way, or the database locked: the statement did
        nothing)."""
        if self.on_loop and not self._trips_under_way:
            try:
                return work(self._conn)
            except sqlite3.OperationalError as error:
                if not _locked(error):
                    raise
        return None

    async def _trip(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        connection = self._conn
        with self._trips_counted:
            self._trips_under_way += 1

        def counted() -> Any:  # in the thread: the trip ends when its work does
            try:
                return work(connection)
            finally:
                with self._trips_counted:
                    self._trips_under_way -= 1

        return await self._execute(counted)  # type: ignore[no-untyped-call]

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

    async def commit(self) -> None:
        """The one trip of a unit of work that writes (a checkpoint may follow the commit)."""
        if self._conn.in_transaction:
            await self._trip(partial(_waiting, _commit))

    async def rollback(self) -> None:
        """Here for a unit of work: a rollback never waits, and there is often nothing to roll
        back. In the thread otherwise, and after a cancelled trip (behind the statement
        still running there)."""
        if not self.rollback_here():
            await self._trip(_rollback)

    def rollback_here(self) -> bool:
        """Roll back here if that need not wait (or if there is nothing to roll back);
        False if the rollback must go to the thread."""
        if self._trips_under_way:
            return False
        if self._conn.in_transaction:
            if not self.on_loop:
                return False
            self._conn.rollback()
        return True


def run_statement(
    sql: str, parameters: Any, connection: sqlite3.Connection, *, many: bool
) -> Outcome:
    """The statement, its rows, and the cursor closed."""
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


def _commit(connection: sqlite3.Connection) -> None:
    connection.commit()


def _rollback(connection: sqlite3.Connection) -> None:
    connection.rollback()


def _locked(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY


def _waiting(work: Callable[[sqlite3.Connection], Any], connection: sqlite3.Connection) -> Any:
    """In the connection's thread: ``work``, again after a pause while the database is locked,
    for as long as the busy timeout would have waited."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    attempt = 0
    while True:
        try:
            return work(connection)
        except sqlite3.OperationalError as error:
            pause = _BUSY_WAITS_MS[min(attempt, len(_BUSY_WAITS_MS) - 1)] / 1000
            if not _locked(error) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        attempt += 1


def one_trip_connection(database: str, *, iter_chunk_size: int = 64, **kwargs: Any) -> Any:
    """What ``aiosqlite.connect`` builds (SQLAlchemy awaits it), with statements that run on
    the event loop when they need not wait: the sqlite3 connection is used from both threads,
    never at once."""
    kwargs["check_same_thread"] = False
    return OneTripConnection(partial(sqlite3.connect, database, **kwargs), iter_chunk_size)
