"""How far a long task has gone (an import, the purge), reported through a plain callback so
that the command line can draw a bar while nothing below it knows about terminals."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, cast


@dataclass(frozen=True)
class Progress:
    """One report of a long task."""

    done: int
    """Units done so far: bytes read of an import file, rows of a generated set, steps."""
    total: int | None
    """Units in all, when known (the file's size, N, the number of steps)."""
    rows: int
    """Rows handled so far (read, generated, deleted): what the rate counts."""


ProgressCallback = Callable[[Progress], None]
"""Called a few times a second at most (once per batch of rows), and once at the end."""


def ignore_progress(_progress: Progress) -> None:
    """The callback of a task that nobody watches."""


def file_progress(stream: Iterable[str], progress: ProgressCallback) -> Callable[[int], None]:
    """A reporter of ``rows`` handled from ``stream``, with the bytes read of the file's size
    (what time left is estimated from) when the stream tells them (``bytes_read`` and
    ``size``, as :class:`kiosk.utf8_lines.Utf8Lines` does), or else the rows alone."""
    if not hasattr(stream, "bytes_read"):
        return lambda rows: progress(Progress(rows, None, rows))
    lines = cast(_FileLines, stream)
    size = lines.size
    return lambda rows: progress(Progress(lines.bytes_read, size, rows))


class _FileLines(Protocol):
    """The lines of a file, saying how far they have read it."""

    bytes_read: int

    @property
    def size(self) -> int | None: ...
