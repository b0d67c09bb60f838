"""Logging to a rotating file in the data folder: the terminal belongs to the screen."""

from __future__ import annotations

import logging
import logging.handlers
import time
import traceback
from pathlib import Path


class NoLocalsFormatter(logging.Formatter):
    """Formats tracebacks from frames and lines only: never a local variable's value."""

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


def configure_logging(data_dir: Path, level: str = "INFO", *, to_stderr: bool = False) -> Path:
    """Send the ``kiosk`` loggers to ``<data_dir>/logs/kiosk.log`` (rotated, 5 x 5 MB)."""
    folder = data_dir / "logs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / "kiosk.log"
    handler: logging.Handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
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
