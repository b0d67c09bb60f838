"""The rows of an import file: its header checked, each row with its line number, each row's
values checked, and what was skipped and why (:mod:`kiosk.services.imports` runs an import,
:mod:`kiosk.services.import_batches` writes its rows in batches)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kiosk.domain.rules import has_forbidden_characters, normalise_meter, search_key

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

    A row that cannot be read, or that lies on a line that is not valid UTF-8 (a ``stream``
    that says which in its ``invalid``, as :class:`kiosk.utf8_lines.Utf8Lines` does), is
    rejected in ``report`` with that line's number; the next row is read as usual.
    """
    invalid: dict[int, str] = getattr(stream, "invalid", {})
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


OPERATOR_COLUMNS = ("operator_code", "name", "served_here", "phone", "website")
COMMUNE_COLUMNS = ("commune", "territory", "operator_code")
SUBSCRIBER_COLUMNS = ("contract", "meter", "commune", "holder")
_YES = {"yes", "oui", "true", "1", "y", "o"}
_NO = {"no", "non", "false", "0", "n"}

OperatorRow = tuple[str, str, bool, str, str]
"""code, name, served_here, phone, website"""
CommuneRow = tuple[str, str, str, str]
"""name, search_key, territory, operator_code"""
SubscriberRow = tuple[str, str, int, str]
"""contract, meter, commune_id, holder"""


def clean(value: str, what: str, max_length: int, required: bool = True) -> str:
    """``value`` stripped, or ValueError naming ``what`` (forbidden characters, empty, long)."""
    value = value.strip()
    if has_forbidden_characters(value):
        raise ValueError(f"{what}: forbidden characters")
    if required and not value:
        raise ValueError(f"{what}: empty")
    if len(value) > max_length:
        raise ValueError(f"{what}: longer than {max_length} characters")
    return value


def _columns(row: list[str], columns: tuple[str, ...]) -> None:
    if len(row) != len(columns):
        raise ValueError(f"expected {len(columns)} columns, found {len(row)}")


def operator_row(row: list[str]) -> OperatorRow:
    """One checked operator row, or ValueError naming the column at fault."""
    _columns(row, OPERATOR_COLUMNS)
    code = clean(row[0], "operator_code", 32)
    name = clean(row[1], "name", 200)
    served = row[2].strip().lower()
    if served not in _YES | _NO:
        raise ValueError("served_here: expected yes or no")
    phone = clean(row[3], "phone", 40, required=False)
    website = clean(row[4], "website", 300, required=False)
    return code, name, served in _YES, phone, website


def commune_row(row: list[str], operators: set[str]) -> CommuneRow:
    """One checked commune row (its operator among ``operators``), or ValueError."""
    _columns(row, COMMUNE_COLUMNS)
    name = clean(row[0], "commune", 120)
    territory = clean(row[1], "territory", 120, required=False)
    operator = clean(row[2], "operator_code", 32)
    if operator not in operators:
        raise ValueError(f"operator_code: unknown operator {operator!r}")
    return name, search_key(name), territory, operator


_CLEAN_CONTRACT = re.compile(r"[0-9]{7}", re.ASCII)
_CLEAN_METER = re.compile(r"[A-Z0-9]{5,20}", re.ASCII)


def subscriber_row(row: list[str], communes: dict[str, int]) -> SubscriberRow:
    """One checked subscriber row (its commune by name or search key among ``communes``),
    or ValueError naming the column at fault."""
    if len(row) != 4:  # _columns, inline: a million rows is routine
        _columns(row, SUBSCRIBER_COLUMNS)
    contract, meter_text, commune, holder = row
    # The rules of the Contract screen, written for speed: a million rows is routine.
    if _CLEAN_CONTRACT.fullmatch(contract) is None:
        raise ValueError("contract: 7 digits expected")
    meter = normalise_meter(meter_text)
    if _CLEAN_METER.fullmatch(meter) is None:
        raise ValueError("meter: 5 to 20 letters or digits expected")
    commune_id = communes.get(commune)
    if commune_id is None:
        commune = commune.strip()
        commune_id = communes.get(commune) or communes.get(search_key(commune))
        if commune_id is None:
            raise ValueError(f"commune: unknown commune {commune!r}")
    if not holder.isprintable() or len(holder) > 200 or holder != holder.strip():
        holder = clean(holder, "holder", 200, required=False)
    return contract, meter, commune_id, holder
