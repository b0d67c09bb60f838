"""The billing extracts' lines (SPEC §9): invoices and meter readings, each line checked and
turned into the row the database is handed, or refused with the column at fault named."""

from __future__ import annotations

import re
from datetime import date

from kiosk.domain.billing_rules import InvoiceStatus, ReadingKind, is_invoice_number
from kiosk.domain.rules import normalise_meter

InvoiceRow = tuple[str, str, str, str, str, int, str, str, str, str]
"""number, contract, issued_on, period_start, period_end, volume_m3, amount_excl_tax,
amount_incl_tax, due_on, status: checked, dates as ISO text, amounts as their exact text."""
ReadingRow = tuple[str, str, str, int, str]
"""contract, meter, read_on (ISO text), index_m3, kind."""

INVOICE_FIELDS = (
    "number",
    "contract",
    "issued_on",
    "period_start",
    "period_end",
    "volume_m3",
    "amount_excl_tax",
    "amount_incl_tax",
    "due_on",
    "status",
)
"""An :data:`InvoiceRow`'s values, by name (the invoices table's columns)."""
INVOICE_COLUMNS = ("contract", "number", *INVOICE_FIELDS[2:])
"""The invoices extract's columns: the contract first."""
READING_COLUMNS = ("contract", "meter", "read_on", "index_m3", "kind")
"""The readings extract's columns, and a :data:`ReadingRow`'s values (the table's columns)."""

_CONTRACT = re.compile(r"[0-9]{7}", re.ASCII)
_METER = re.compile(r"[A-Z0-9]{5,20}", re.ASCII)
_WHOLE = re.compile(r"[0-9]{1,9}", re.ASCII)
_AMOUNT = re.compile(r"-?[0-9]{1,10}(\.[0-9]{1,2})?", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])", re.ASCII)
_STATUSES = {status.value: status.value for status in InvoiceStatus}
_KINDS = {kind.value: kind.value for kind in ReadingKind}


def _date(value: str, column: str) -> str:
    """A checked ISO date, kept as text (what SQLite stores; PostgreSQL's is made from it)."""
    if _ISO_DATE.fullmatch(value) is None:
        raise ValueError(f"{column}: a date YYYY-MM-DD expected")
    if value[8:] > "28":  # only the end of a month may not exist (2026-02-30)
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{column}: no such date {value!r}") from None
    return value


def _amount(value: str, column: str) -> str:
    """A checked amount with a dot, kept as its exact text (never a float)."""
    if _AMOUNT.fullmatch(value) is None:
        raise ValueError(f"{column}: an amount with a dot and at most 2 decimals expected")
    return value


def _whole(value: str, column: str) -> int:
    if _WHOLE.fullmatch(value) is None:
        raise ValueError(f"{column}: a whole number of m³ expected")
    return int(value)


def _contract(value: str) -> str:
    if _CONTRACT.fullmatch(value) is None:
        raise ValueError("contract: 7 digits expected")
    return value


_ISO = r"\d{4}-\d\d-\d\d"
_MONEY = r"-?\d{1,10}(?:\.\d{1,2})?"
_PLAIN_INVOICE = re.compile(
    rf"\d{{7}},[A-Za-z0-9][\w-]{{0,29}},{_ISO},{_ISO},{_ISO},\d{{1,9}},{_MONEY},{_MONEY},{_ISO},"
    r"(?:payee|a_payer|en_retard)",
    re.ASCII,
)
"""A whole invoice line in the usual form (no spaces, nothing quoted): one match checks the
shape of every column, and the calendar the dates. A million-row extract is mostly such
lines; any other goes through the column-by-column check that names the fault."""


def invoice_row(row: list[str]) -> InvoiceRow:
    """One checked invoice line, or ValueError naming the column at fault."""
    if (
        len(row) == len(INVOICE_COLUMNS)
        and _PLAIN_INVOICE.fullmatch(",".join(row)) is not None
        and row[4] >= row[3]
    ):
        contract, number, issued, start, end, volume, excl, incl, due, status = row
        try:
            day = date.fromisoformat
            day(issued), day(start), day(end), day(due)
        except ValueError:
            pass  # the column-by-column check names it
        else:
            return number, contract, issued, start, end, int(volume), excl, incl, due, status
    return _checked_invoice_row(row)


def _checked_invoice_row(row: list[str]) -> InvoiceRow:
    """Each column checked on its own, to name the one at fault."""
    if len(row) != len(INVOICE_COLUMNS):
        raise ValueError(f"expected {len(INVOICE_COLUMNS)} columns, found {len(row)}")
    contract, number, issued, start, end, volume, excl, incl, due, status = [
        value.strip() for value in row
    ]
    if not is_invoice_number(number):
        raise ValueError("number: 1 to 30 letters, digits, '-' or '_' expected")
    period_start, period_end = _date(start, "period_start"), _date(end, "period_end")
    if period_end < period_start:  # ISO dates compare as text
        raise ValueError("period_end: before period_start")
    if status not in _STATUSES:
        raise ValueError(f"status: one of {', '.join(_STATUSES)} expected")
    return (
        number,
        _contract(contract),
        _date(issued, "issued_on"),
        period_start,
        period_end,
        _whole(volume, "volume_m3"),
        _amount(excl, "amount_excl_tax"),
        _amount(incl, "amount_incl_tax"),
        _date(due, "due_on"),
        _STATUSES[status],
    )


def reading_row(row: list[str]) -> ReadingRow:
    """One checked reading line, or ValueError naming the column at fault."""
    if len(row) != len(READING_COLUMNS):
        raise ValueError(f"expected {len(READING_COLUMNS)} columns, found {len(row)}")
    contract, meter_text, read_on, index, kind = [value.strip() for value in row]
    meter = normalise_meter(meter_text)
    if _METER.fullmatch(meter) is None:
        raise ValueError("meter: 5 to 20 letters or digits expected")
    if kind not in _KINDS:
        raise ValueError(f"kind: one of {', '.join(_KINDS)} expected")
    return (
        _contract(contract),
        meter,
        _date(read_on, "read_on"),
        _whole(index, "index_m3"),
        _KINDS[kind],
    )
