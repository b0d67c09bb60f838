"""Lines of a UTF-8 byte stream, where a line that is not valid UTF-8 costs that line only."""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterator
from types import TracebackType
from typing import IO

CHUNK_BYTES = 1 << 18
"""Bytes read and decoded at once; a line may be longer (it is then carried over)."""


class Utf8Lines:
    """The lines of a UTF-8 byte stream, split as ``open(..., newline="")`` splits them.

    A text stream decoding a file chunk by chunk loses a whole chunk of lines to one bad byte
    (and its reader then resumes mid-line). Here each chunk is cut after its last line break
    and decoded strictly in one C call; only a chunk that fails is looked at line by line. Its
    bad lines are still yielded, decoded with ``surrogateescape``, so that a CSV reader keeps
    counting lines; :attr:`invalid` says which they are and why.

    Use it as a context manager: leaving closes the stream.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.bytes_read = 0
        """Bytes read from the stream so far (a chunk ahead of the lines yielded)."""
        self.invalid: dict[int, str] = {}
        """Line number (the first line is 1) -> why it is not valid UTF-8; filled as the
        lines are decoded, before any of them is yielded. A reader may take out the lines it
        has dealt with, so that the dictionary stays empty (and cheap to test) most of the time."""
        self._lines = itertools.chain.from_iterable(self._blocks())

    @property
    def size(self) -> int | None:
        """The size in bytes of the underlying file, when it is one."""
        try:
            return os.fstat(self._stream.fileno()).st_size
        except (AttributeError, OSError, io.UnsupportedOperation):
            return None

    def __iter__(self) -> Iterator[str]:
        # The chain itself, so that csv.reader pulls lines without a Python call per line.
        return self._lines

    def __next__(self) -> str:
        return next(self._lines)

    def __enter__(self) -> Utf8Lines:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stream.close()

    def _blocks(self) -> Iterator[list[str]]:
        """Lists of whole lines, one per chunk read."""
        seen = 0
        carry = b""
        while True:
            chunk = self._stream.read(CHUNK_BYTES)
            self.bytes_read += len(chunk)
            block = carry + chunk
            if chunk:
                # Cut after the last line break; a final \r waits for a possible \n.
                cut = max(block.rfind(b"\n"), block.rfind(b"\r", 0, len(block) - 1)) + 1
                block, carry = block[:cut], block[cut:]
            elif not block:
                return
            if block:
                lines = self._decode(block, seen)
                seen += len(lines)
                yield lines
            if not chunk:
                return

    def _decode(self, block: bytes, seen: int) -> list[str]:
        try:
            return _split(block.decode("utf-8"))
        except UnicodeDecodeError:
            pass
        lines = _split(block.decode("utf-8", "surrogateescape"))
        for number, line in enumerate(lines, start=seen + 1):
            try:
                line.encode("utf-8")
            except UnicodeEncodeError as error:
                byte = ord(line[error.start]) - 0xDC00
                self.invalid[number] = (
                    f"not valid UTF-8 (byte 0x{byte:02x} at character {error.start + 1})"
                )
        return lines


def _split(text: str) -> list[str]:
    """Lines with their endings, split on ``\\n``, ``\\r\\n`` and ``\\r`` alone, as a CSV
    file is read (``newline=""``); never on the other characters ``str.splitlines`` knows."""
    return io.StringIO(text, newline="").readlines()
