"""What every repository works on: the unit of work's connection, and its ORM session, made
only when a repository first needs it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Executable, Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from kiosk.storage.quick_reads import QuickReads, selects


class Link:
    """A unit of work's connection and the ORM session on it.

    Opening and closing an ORM session costs as much as an indexed statement several times
    over: a unit of work whose reads are Core statements (the contract check, the throttles'
    counts) never makes one. The session, when made, takes the connection's transaction as
    its own (``control_fully``): its commit commits it, its close rolls back what is left.
    """

    __slots__ = ("connection", "made")

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.made: AsyncSession | None = None
        """The session, once a repository asked for it."""

    @property
    def session(self) -> AsyncSession:
        if self.made is None:
            self.made = AsyncSession(
                bind=self.connection,
                expire_on_commit=False,
                join_transaction_mode="control_fully",
            )
        return self.made

    async def rows(self, statement: Executable, parameters: Mapping[str, Any]) -> Sequence[Any]:
        """A Core statement's rows, read in one pass through SQLAlchemy's greenlet: on SQLite,
        no await at all when the statement need not wait (:mod:`kiosk.storage.sqlite_adapter`)."""
        return await self.connection.run_sync(_all_rows, statement, parameters)

    async def close(self) -> None:
        """The session's close() rolls back what was not committed and detaches the objects
        read, which keep their loaded values for the caller; the connection's close() rolls
        back what a Core statement began, and returns it to the pool."""
        try:
            if self.made is not None:
                await self.made.close()
        finally:
            await self.connection.close()


class OneReadLink:
    """The link of a unit of work that reads once (``one_read=True``): no connection until the
    read, and none at all when the embedded database answers it at once
    (:mod:`kiosk.storage.quick_reads`). It has no ORM session and reads one Core ``SELECT``."""

    __slots__ = ("_connect", "_connection", "_quick", "_read")

    made: AsyncSession | None = None

    def __init__(
        self, connect: Callable[[], Awaitable[AsyncConnection]], quick: QuickReads | None
    ) -> None:
        self._connect = connect
        self._quick = quick
        self._read = False
        self._connection: AsyncConnection | None = None

    @property
    def connection(self) -> AsyncConnection:
        raise AssertionError("a one-read unit of work reads through rows() only")

    @property
    def session(self) -> AsyncSession:
        raise AssertionError("a one-read unit of work has no ORM session")

    async def rows(self, statement: Executable, parameters: Mapping[str, Any]) -> Sequence[Any]:
        """The statement's rows (by position or by column name): answered by the quick reads
        when they can, else read on a connection of the pool as any unit of work's."""
        assert not self._read, "a one-read unit of work reads once"
        self._read = True
        select = selects(statement)
        if self._quick is not None:
            quick = self._quick.rows(select, parameters)
            if quick is not None:
                return quick
        self._connection = await self._connect()
        return await self._connection.run_sync(_all_rows, statement, parameters)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()


class Repository:
    """A repository of a unit of work: ``_connection`` for Core statements (no session made),
    ``_session`` for the ORM."""

    def __init__(self, link: Link | OneReadLink) -> None:
        self._link = link

    @property
    def _session(self) -> AsyncSession:
        return self._link.session

    @property
    def _connection(self) -> AsyncConnection:
        return self._link.connection

    async def _begun(self) -> AsyncConnection:
        """The unit's connection, its transaction begun: for what bypasses SQLAlchemy's own
        begin (the driver's ``executemany`` of an import's batch), which would otherwise run
        outside any transaction, each row kept as it is written."""
        connection = self._link.connection
        if not connection.in_transaction():
            await connection.begin()
        return connection

    async def _core_rows(
        self, statement: Executable, parameters: Mapping[str, Any]
    ) -> Sequence[Any]:
        """A Core statement's rows (:meth:`Link.rows`, :meth:`OneReadLink.rows`)."""
        return await self._link.rows(statement, parameters)


def _all_rows(
    connection: Connection, statement: Executable, parameters: Mapping[str, Any]
) -> Sequence[Row[Any]]:
    return connection.execute(statement, parameters).all()
