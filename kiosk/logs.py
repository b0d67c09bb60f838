"""Logging to a rotating file in the data folder: the terminal belongs to the screen.

Readable text by default; with ``log_format = "json"`` one JSON object per line for a log
shipper. Either way a record holds what the code logged (addresses masked by the services),
never a local variable of a traceback.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal


class NoLocalsFormatter(logging.Formatter):
    """Formats tracebacks from frames and lines only: never a local variable's value. The
    time of a record is written once per second (the web companion's access log writes
    thousands of lines a second)."""

    _stamp: tuple[int, str] = (-1, "")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if datefmt is not None:
            return super().formatTime(record, datefmt)
        second = int(record.created)
        stamped, text = self._stamp
        if stamped != second:
            text = time.strftime(self.default_time_format, self.converter(second))
            self._stamp = (second, text)
        return f"{text},{int(record.msecs):03d}"

    def formatException(self, ei: logging._SysExcInfoType) -> str:
        _type, value, tb = ei
        if value is None:
            return ""
        summary = traceback.TracebackException(
            type(value), value, tb, capture_locals=False, compact=True
        )
        # The message of an exception may quote a value (a password in a ValueError, say):
        # keep only the exception types and where they were raised.
        lines = []
        for frame_summary in summary.stack:
            lines.append(
                f'  File "{frame_summary.filename}", line {frame_summary.lineno}, '
                f"in {frame_summary.name}"
            )
        lines.append(f"{summary.exc_type.__qualname__ if summary.exc_type else 'Exception'}")
        return "Traceback (most recent call last):\n" + "\n".join(lines)


class JsonFormatter(NoLocalsFormatter):
    """One JSON object per line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``kiosk_id``,
    ``event`` and ``email`` (masked; both null outside authentication events), ``message``,
    and ``exception`` (frames only) when there is one."""

    def __init__(self, kiosk_id: str) -> None:
        super().__init__()
        self.kiosk_id = kiosk_id
        """This process's kiosk id; an auth event names its own origin (a web client)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "kiosk_id": getattr(record, "kiosk_id", None) or self.kiosk_id,
            "event": getattr(record, "event", None),
            "email": getattr(record, "email", None) or None,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class SizeRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """:class:`~logging.handlers.RotatingFileHandler` that decides by the file's size alone:
    Python 3.11's check stats the file twice and formats every record twice (once to measure
    it), a third of the cost of an access-log line. The size is the file's end, which the
    other processes writing the same file (the mailer, the web workers) move too; the file
    may pass the limit by one line. A file that is not a regular one (a pipe, a terminal) is
    never rolled over, as the standard handler does (bpo-45401)."""

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if self.maxBytes <= 0:
            return False
        if self.stream is None:
            self.stream = self._open()
        if not self.stream.seekable():
            return False
        return self.stream.seek(0, os.SEEK_END) >= self.maxBytes


def configure_logging(
    data_dir: Path,
    level: str = "INFO",
    *,
    to_stderr: bool = False,
    log_format: Literal["text", "json"] = "text",
    kiosk_id: str = "",
) -> Path:
    """Send the ``kiosk`` loggers to ``<data_dir>/logs/kiosk.log`` (rotated, 5 x 5 MB).

    Args:
        to_stderr: also to standard error (``kiosk mailer``, ``kiosk web``).
        log_format: ``text`` or ``json`` (one object per line).
        kiosk_id: written in every JSON line (``settings.kiosk_id``).
    """
    # Nothing we write names a record's thread or process: not looking them up makes each
    # record cheaper (the logging HOWTO's "Optimization"). The source line stays: pytest's
    # log reports and ``stack_info`` read it.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    folder = data_dir / "logs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / "kiosk.log"
    handler: logging.Handler = SizeRotatingFileHandler(
        path, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    formatter: logging.Formatter
    if log_format == "json":
        formatter = JsonFormatter(kiosk_id)
    else:
        formatter = NoLocalsFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    root = logging.getLogger("kiosk")
    root.handlers[:] = [handler]
    if to_stderr:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        root.addHandler(stream)
    root.setLevel(level.upper())
    root.propagate = False
    return path
