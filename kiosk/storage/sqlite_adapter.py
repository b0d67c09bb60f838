"""SQLAlchemy's side of the embedded database's driver: a statement that runs on the event loop
(:mod:`kiosk.storage.sqlite_driver`) runs there without leaving SQLAlchemy's greenlet.

SQLAlchemy's aiosqlite adapter awaits the driver for everything: the cursor's opening, each
statement, the cursor's closing, each rollback (the unit's and the pool's on return). Every
await is a switch out of the greenlet that runs SQLAlchemy's synchronous code and back, a few
microseconds each, five or six per unit of work that reads. Here the driver is called directly
when it can answer at once (:meth:`OneTripConnection.run_here`,
:meth:`OneTripConnection.rollback_here`), and awaited otherwise (once: the adapter awaited the
cursor, a lock, the statement, its rows and the cursor again). Errors are raised as the
adapter raises them.

SQLAlchemy's async connection requires an await in ``execute()``: on a unit of work's
connection (whose statements may run here), a Core statement runs through ``run_sync``
(:meth:`kiosk.storage.repositories.base.Repository._core_rows`), which does not; the ORM
session's statements do not either.
"""

from __future__ import annotations

import collections
from functools import partial
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

from kiosk.storage.sqlite_driver import OneTripConnection, OneTripCursor, run_statement


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    # The driver's cursor holds its rows and nothing else: no await to open or close it.
    _awaitable_cursor_close = False

    def _aenter_cursor(self, cursor: Any) -> Any:
        return cursor

    def close(self) -> None:
        self._rows.clear()
        driver_cursor: OneTripCursor = self._cursor  # type: ignore[assignment]
        driver_cursor.forget()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        # Here if the statement need not wait, else awaited once in the thread; no lock
        # around it (a connection serves one statement at a time), no await for the rows.
        driver: OneTripConnection = self._connection  # type: ignore[assignment]
        work = partial(
            run_statement, operation, () if parameters is None else parameters, many=False
        )
        try:
            outcome = driver.run_here(work)
            if outcome is None:
                outcome = await_(driver.run(work))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        driver_cursor: OneTripCursor = self._cursor  # type: ignore[assignment]
        driver_cursor.keep(outcome)
        if outcome[0]:
            self._rows = collections.deque(driver_cursor.take())
        return None


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    _cursor_cls = _Cursor

    def rollback(self) -> None:
        driver: OneTripConnection = self._connection  # type: ignore[assignment]
        try:
            if driver._connection is not None and driver.rollback_here():
                return
        except Exception as error:
            self._handle_exception(error)
        super().rollback()


class KioskAiosqlite(AsyncAdapt_aiosqlite_dbapi):
    """The module SQLAlchemy's aiosqlite dialect uses (``create_engine(module=...)``): its
    connections are the driver's (``async_creator_fn``), adapted as above."""

    def connect(self, *arg: Any, **kw: Any) -> _Connection:
        creator_fn = kw.pop("async_creator_fn")
        return _Connection(self, await_(creator_fn(*arg, **kw)))


def kiosk_aiosqlite() -> KioskAiosqlite:
    import sqlite3

    import aiosqlite

    return KioskAiosqlite(aiosqlite, sqlite3)
