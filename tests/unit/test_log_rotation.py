"""The log file rolls over by its size (kiosk.logs.SizeRotatingFileHandler): at the limit, the
file moves to ``.1`` and the next lines start a new one; each record is formatted once."""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.logs import SizeRotatingFileHandler


class CountingFormatter(logging.Formatter):
    calls = 0

    def format(self, record: logging.LogRecord) -> str:
        CountingFormatter.calls += 1
        return super().format(record)


def test_the_file_rolls_over_at_its_size_and_each_line_is_formatted_once(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.log"
    handler = SizeRotatingFileHandler(path, maxBytes=100, backupCount=2, encoding="utf-8")
    handler.setFormatter(CountingFormatter("%(message)s"))
    logger = logging.getLogger("tests.rotation")
    logger.handlers[:] = [handler]
    logger.propagate = False
    try:
        for n in range(12):
            logger.warning("line %02d of the test, twenty-odd bytes", n)
    finally:
        handler.close()
    assert CountingFormatter.calls == 12
    current = path.read_text(encoding="utf-8").splitlines()
    previous = (tmp_path / "kiosk.log.1").read_text(encoding="utf-8").splitlines()
    assert current[-1].startswith("line 11")
    assert previous and len(previous) + len(current) <= 12
    # Past the limit by one line at most, never more.
    assert (tmp_path / "kiosk.log.1").stat().st_size < 100 + 60
    assert not (tmp_path / "kiosk.log.3").exists()


def test_what_other_processes_wrote_counts_towards_the_size(tmp_path: Path) -> None:
    """The mailer and the web workers write the same file: their lines make it full too."""
    path = tmp_path / "kiosk.log"
    handler = SizeRotatingFileHandler(path, maxBytes=100, backupCount=2, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("tests.rotation.shared")
    logger.handlers[:] = [handler]
    logger.propagate = False
    try:
        logger.warning("this process")
        with path.open("a", encoding="utf-8") as other:  # another process, 150 bytes
            other.write("x" * 149 + "\n")
        logger.warning("this process again")
    finally:
        handler.close()
    assert path.read_text(encoding="utf-8") == "this process again\n"
    assert (tmp_path / "kiosk.log.1").read_text(encoding="utf-8").startswith("this process\nxxx")
