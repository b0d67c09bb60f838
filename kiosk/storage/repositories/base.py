"""What every repository works on: the unit of work's connection, and its ORM session, made
only when a repository first needs it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Executable, Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


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


class Repository:
    """A repository of a unit of work: ``_connection`` for Core statements (no session made),
    ``_session`` for the ORM."""

    def __init__(self, link: Link) -> None:
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
        """A Core statement's rows, on the unit's connection, read in one pass through
        SQLAlchemy's greenlet: on SQLite, no await at all when the statement need not wait
        (:mod:`kiosk.storage.sqlite_adapter`)."""
        return await self._connection.run_sync(_all_rows, statement, parameters)


def _all_rows(
    connection: Connection, statement: Executable, parameters: Mapping[str, Any]
) -> Sequence[Row[Any]]:
    return connection.execute(statement, parameters).all()
