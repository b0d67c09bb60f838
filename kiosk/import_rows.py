"""The rows of an import file: its header checked, each row with its line number, and what
was skipped and why (:mod:`kiosk.imports` checks the values, :mod:`kiosk.import_batches`
writes them)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kiosk.utf8_lines import Utf8Lines

MAX_REPORTED_ERRORS = 50
"""Skipped lines reported with their number and reason; the others are only counted."""


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, wrong header)."""


@dataclass
class ImportReport:
    """What an import did: rows written, rows skipped with their line numbers."""

    written: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    kept: int = 0
    """Rows whose key was already in the table and that were left as they were
    (``keep_existing``)."""

    def reject(self, line: int, reason: str) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, reason))


def csv_rows(
    stream: Iterable[str], columns: tuple[str, ...], report: ImportReport
) -> Iterator[tuple[int, list[str]]]:
    """Rows of a UTF-8 CSV with the expected header, with their (last) line numbers.

    A row that cannot be read, or that lies on a line that is not valid UTF-8 (``stream``
    from :func:`kiosk.imports.open_csv`), is rejected in ``report`` with that line's number;
    the next row is read as usual.
    """
    invalid = stream.invalid if isinstance(stream, Utf8Lines) else {}
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("the file is empty") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportFileError(f"unreadable header: {error}") from None
    if 1 in invalid:
        raise ImportFileError(f"line 1 (the header) is {invalid[1]}")
    header = [name.strip().lstrip("\ufeff") for name in header]
    if tuple(header) != columns:
        raise ImportFileError(f"expected the header {','.join(columns)}, found {','.join(header)}")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as error:
            report.reject(reader.line_num, f"unreadable: {error}")
            if invalid:
                _passed_invalid_lines(invalid, reader.line_num)
            continue
        if invalid and (passed := _passed_invalid_lines(invalid, reader.line_num)):
            report.reject(*passed[0])
            continue
        if row:
            yield reader.line_num, row


def _passed_invalid_lines(invalid: dict[int, str], last_line: int) -> list[tuple[int, str]]:
    """The invalid lines of the row that ends on ``last_line``, taken out of ``invalid``.

    ``invalid`` holds the lines decoded but not yet passed: the rows before ended above them,
    so the first row that reaches one holds it. Taking them out keeps ``invalid`` empty, and
    the test of every row cheap, outside the chunk where a bad line lies.
    """
    passed = sorted(number for number in invalid if number <= last_line)
    return [(number, invalid.pop(number)) for number in passed]
