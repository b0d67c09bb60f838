"""The pure rules of the dashboard's services (SPEC §9): invoice statuses, reading kinds,
amounts in French form, the meter-reading checks and the unusual-consumption rule.

No I/O: the billing service, the imports and both front ends obey the same copy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from kiosk.domain.catalogue import text


class InvoiceStatus(StrEnum):
    """``invoices.status``, as the billing extract writes it."""

    PAID = "payee"
    DUE = "a_payer"
    OVERDUE = "en_retard"


class ReadingKind(StrEnum):
    """``meter_readings.kind``: who read the meter."""

    READ = "releve"
    """An agent of the operator read it."""
    ESTIMATED = "estime"
    SELF_READ = "autoreleve"
    """The customer typed it at a kiosk or on the web: what ``export-readings`` writes out."""
    REMOTE = "teleleve"


STATUS_LABELS = {
    InvoiceStatus.PAID: "Payée",
    InvoiceStatus.DUE: "À payer",
    InvoiceStatus.OVERDUE: "En retard",
}
"""What the customer reads for each status (SPEC §9, verbatim)."""

HISTORY_YEARS = 3
"""The consumption chart and the unusual-consumption average look this far back."""
UNUSUAL_FACTOR = 2
"""A last period above this many times the usual average is unusual; so is a reading above
this many times the usual consumption for the days elapsed (it asks to confirm)."""
SAME_LENGTH_TOLERANCE = Decimal("0.1")
"""Periods whose lengths differ by at most a tenth are "of the same length" (half-years of
181 and 184 days)."""
MAX_INDEX_DIGITS = 9
_INDEX = re.compile(r"[0-9]{1,9}", re.ASCII)
_INVOICE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,29}", re.ASCII)


def is_invoice_number(value: str) -> bool:
    """1 to 30 ASCII letters, digits, ``-`` or ``_`` (a letter or digit first): what the
    import accepts, so that anything else, from a URL above all, is unknown at once."""
    return _INVOICE_NUMBER.fullmatch(value) is not None


def euros(amount: Decimal) -> str:
    """``Decimal("1234.5")`` as the customer reads it: ``1 234,50 €``."""
    grouped = f"{amount.quantize(Decimal('0.01')):,.2f}"
    return grouped.replace(",", " ").replace(".", ",") + " €"


def french_date(day: date) -> str:
    """``2026-02-14`` as ``14/02/2026``."""
    return day.strftime("%d/%m/%Y")


def period_text(start: date, end: date) -> str:
    """A billed period as the customer reads it: ``du 01/01/2026 au 30/06/2026``."""
    return text("invoice_period", start=french_date(start), end=french_date(end))


def years_before(day: date, years: int) -> date:
    """``day`` ``years`` years earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Period:
    """One billed period and its volume."""

    start: date
    end: date
    volume_m3: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def is_unusual(periods: Sequence[Period]) -> bool:
    """SPEC §9: the last period's volume is more than twice the average of the periods of
    the same length in the three years before it (False without such periods).

    Args:
        periods: in any order.
    """
    if not periods:
        return False
    ordered = sorted(periods, key=lambda period: period.end)
    last = ordered[-1]
    since = years_before(last.start, HISTORY_YEARS)
    tolerance = last.days * SAME_LENGTH_TOLERANCE
    earlier = [
        period.volume_m3
        for period in ordered[:-1]
        if period.start >= since
        and period.end < last.start
        and abs(period.days - last.days) <= tolerance
    ]
    if not earlier:
        return False
    return last.volume_m3 * len(earlier) > UNUSUAL_FACTOR * sum(earlier)


def parse_index(typed: str) -> int | None:
    """A typed meter index (whole m³, ASCII digits, spaces ignored), or None."""
    compact = typed.replace(" ", "")
    if _INDEX.fullmatch(compact) is None:
        return None
    return int(compact)


@dataclass(frozen=True)
class KnownReading:
    read_on: date
    index_m3: int


def usual_daily_m3(readings: Sequence[KnownReading]) -> Decimal | None:
    """The average consumption per day over the readings of the last three years, or None
    when they do not span a day."""
    if len(readings) < 2:
        return None
    ordered = sorted(readings, key=lambda reading: reading.read_on)
    last = ordered[-1]
    since = last.read_on - timedelta(days=365 * HISTORY_YEARS + 1)
    window = [reading for reading in ordered if reading.read_on >= since]
    first = window[0]
    days = (last.read_on - first.read_on).days
    if days <= 0:
        return None
    return Decimal(max(0, last.index_m3 - first.index_m3)) / days


def needs_confirmation(readings: Sequence[KnownReading], index_m3: int, on: date) -> bool:
    """Whether ``index_m3`` read ``on`` is more than twice the usual consumption for the days
    elapsed since the last reading (SPEC §9): the form asks to confirm."""
    daily = usual_daily_m3(readings)
    if daily is None:
        return False
    last = max(readings, key=lambda reading: reading.read_on)
    days = max(1, (on - last.read_on).days)
    return Decimal(index_m3 - last.index_m3) > UNUSUAL_FACTOR * daily * days
