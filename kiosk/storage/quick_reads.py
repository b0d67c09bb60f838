"""One-statement reads of the embedded database, straight to SQLite on the event loop.

A unit of work that reads once (``one_read=True``: the code behind an e-mail's link, the
contract check) needs no pooled connection, no transaction and no execution context: in WAL
mode a single ``SELECT`` reads a snapshot of its own and never waits for a writer. Those three
cost the page behind the e-mail's link about half its time, against a few microseconds for the
statement itself. So such a unit reads here: one sqlite3 connection per engine, opened on
first use, read-only (``query_only``), never sleeping on a lock (``busy_timeout`` 0); the
statement compiled once by SQLAlchemy's own dialect, its parameters and columns converted by
the same type processors as on the usual path.

Anything unusual (the connection busy in another thread, the database locked or gone, an
error of any kind) answers ``None``: the unit of work then reads on its usual connection,
where waiting, outages (:class:`~kiosk.domain.errors.ServiceUnavailable`) and errors are
handled as for every other statement. PostgreSQL has no quick reads.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Dialect, Engine, Executable, Select, event
from sqlalchemy.ext.asyncio import AsyncEngine

Processor = Callable[[Any], Any] | None
log = logging.getLogger("kiosk.storage")

PREPARED_KEPT = 64
"""Statements kept compiled per engine: the one-read units' few, with room to spare."""
_REQUIRED = object()
"""A parameter without a value of its own in the statement (None is a value: NULL)."""


class _Prepared:
    """A statement compiled once: its SQL, its parameters in order, the statement's own
    values, the converters of both, and the rows' type."""

    __slots__ = ("binds", "columns", "fixed", "names", "row", "sql")

    def __init__(self, statement: Select[Any], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        assert "POSTCOMPILE" not in self.sql, "a quick read has no expanding parameter"
        self.names = list(compiled.positiontup or ())
        self.binds: list[Processor] = []
        self.fixed: list[Any] = []
        """The statement's own value of each parameter (a LIMIT, say); _REQUIRED when the
        caller gives it."""
        for name in self.names:
            bind = compiled.binds[name]
            self.binds.append(bind.type.dialect_impl(dialect).bind_processor(dialect))
            self.fixed.append(_REQUIRED if bind.required else bind.effective_value)
        self.columns: list[Processor] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]
        # By position or by name, as SQLAlchemy's rows.
        names = [column.key or "_" for column in statement.selected_columns]
        self.row: Any = namedtuple("Row", names, rename=True)  # type: ignore[misc]

    def parameters(self, values: Mapping[str, Any]) -> list[Any]:
        converted = []
        for name, fixed, processor in zip(self.names, self.fixed, self.binds, strict=True):
            value = values[name] if name in values or fixed is _REQUIRED else fixed
            converted.append(value if processor is None else processor(value))
        return converted

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        columns, row = self.columns, self.row
        return [
            row._make(
                value if convert is None or value is None else convert(value)
                for convert, value in zip(columns, values, strict=True)
            )
            for values in raw
        ]


class QuickReads:
    """The quick reads of one SQLite engine (:func:`quick_reads_of`)."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], dialect: Dialect) -> None:
        self._connect = connect
        self._dialect = dialect
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._prepared: dict[int, tuple[Select[Any], _Prepared]] = {}
        """By the statement's identity (statements are built once, at import), the statement
        kept; at most :data:`PREPARED_KEPT`: a statement built for each call would be
        compiled each time rather than fill the memory."""
        self._full = False
        """Whether the warning that no more statements are kept was logged."""
        self.answered = 0
        """Reads answered here (the others went the usual way): for the tests."""

    def rows(
        self, statement: Select[Any], parameters: Mapping[str, Any]
    ) -> list[tuple[Any, ...]] | None:
        """The statement's rows (tuples that also name their columns), or None: read it the
        usual way."""
        if not self._lock.acquire(blocking=False):  # another thread is reading here
            return None
        try:
            known = self._prepared.get(id(statement))
            if known is None:
                known = (statement, _Prepared(statement, self._dialect))
                if len(self._prepared) < PREPARED_KEPT:
                    self._prepared[id(statement)] = known
                elif not self._full:
                    self._full = True
                    log.warning(
                        "quick reads: %d statements kept, the others compiled at each read "
                        "(a statement built for each call?)",
                        PREPARED_KEPT,
                    )
            prepared = known[1]
            connection = self._connection
            if connection is None:
                connection = self._connection = self._connect()
            raw = connection.execute(prepared.sql, prepared.parameters(parameters)).fetchall()
        except sqlite3.Error:
            self._close()  # a file gone, say: opened again at the next read
            return None
        finally:
            self._lock.release()
        self.answered += 1
        return prepared.rows(raw)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


_READS: weakref.WeakKeyDictionary[Engine, QuickReads] = weakref.WeakKeyDictionary()


def open_quick_reads(engine: AsyncEngine) -> None:
    """Give a SQLite engine its quick reads (nothing is opened before the first read), closed
    whenever the engine is disposed of. Not for an in-memory database (each connection would
    read a database of its own)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    dialect = engine.dialect
    args, options = dialect.create_connect_args(url)
    database = str(args[0] if args else options["database"])
    if ":memory:" in database or "mode=memory" in database:
        return
    if not options.get("uri"):  # never create the file: a database that is gone stays gone
        database = Path(database).absolute().as_uri() + "?mode=rw"

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(
            database, uri=True, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA query_only=ON")
        connection.execute("PRAGMA busy_timeout=0")
        return connection

    reads = _READS[engine.sync_engine] = QuickReads(connect, dialect)
    event.listen(engine.sync_engine, "engine_disposed", lambda _engine: reads.close())


def share_quick_reads(engine: AsyncEngine, derived: AsyncEngine) -> None:
    """``derived`` (``engine.execution_options(...)``) reads through ``engine``'s."""
    reads = _READS.get(engine.sync_engine)
    if reads is not None:
        _READS[derived.sync_engine] = reads


def quick_reads_of(engine: AsyncEngine) -> QuickReads | None:
    """The engine's quick reads: None for PostgreSQL and an in-memory database."""
    return _READS.get(engine.sync_engine)


def selects(statement: Executable) -> Select[Any]:
    """The statement, typed as the ``SELECT`` a quick read runs."""
    assert isinstance(statement, Select), "a quick read is a SELECT"
    return statement
