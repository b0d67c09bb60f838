"""Telling a database that cannot be reached from one that refused a statement."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

_UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
"""PostgreSQL: connection exceptions (class 08), server shut down or not yet accepting."""
_UNREACHABLE_SQLITE = ("unable to open database file", "disk i/o error")
"""SQLite: the file or its folder is gone. Not "database is locked" (the busy timeout waits
for locks) nor "readonly database" (a fault of the installation: the apology screen)."""


def is_database_unreachable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached, rather than refused a statement."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:  # the error, the driver's, its cause
        seen.add(id(current))
        if isinstance(current, OSError):  # refused, reset, timed out (asyncpg raises them bare)
            return True
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_UNREACHABLE_SQLSTATES):
            return True
        if isinstance(current, DBAPIError):
            message = str(current.orig).lower()
            if any(words in message for words in _UNREACHABLE_SQLITE):
                return True
            current = current.orig
        else:
            current = current.__cause__
    return False
