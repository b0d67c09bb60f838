"""The pure rules of SPEC §9: amounts in French form, the index, the unusual-consumption rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kiosk.domain.billing_rules import (
    KnownReading,
    Period,
    euros,
    is_unusual,
    needs_confirmation,
    parse_index,
)


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("1234.56", "1 234,56 €"),
        ("171.29", "171,29 €"),
        ("0.5", "0,50 €"),
        ("1234567.8", "1 234 567,80 €"),
        ("-12.00", "-12,00 €"),
    ],
)
def test_euros_in_french_form(amount: str, shown: str) -> None:
    assert euros(Decimal(amount)) == shown


def test_index_is_whole_ascii_m3() -> None:
    assert parse_index("486") == 486
    assert parse_index(" 1 045 ") == 1045
    for wrong in ("", "4.5", "4,5", "-1", "١٢٣", "４８６", "1234567890", "48a"):
        assert parse_index(wrong) is None, wrong


def half_years(*volumes: int) -> list[Period]:
    """Consecutive half-years from July 2023, one per volume."""
    periods = []
    for number, volume in enumerate(volumes):
        year = 2023 + (number + 1) // 2
        if number % 2 == 0:
            periods.append(Period(date(year, 7, 1), date(year, 12, 31), volume))
        else:
            periods.append(Period(date(year, 1, 1), date(year, 6, 30), volume))
    return periods


def test_unusual_is_more_than_twice_the_average_of_the_three_years_before() -> None:
    assert is_unusual(half_years(50, 50, 50, 50, 50, 101))
    assert not is_unusual(half_years(50, 50, 50, 50, 50, 100))  # twice: not more
    assert not is_unusual(half_years(50))  # nothing to compare with
    assert not is_unusual([])


def test_only_periods_of_the_same_length_and_the_last_three_years_count() -> None:
    old = Period(date(2019, 1, 1), date(2019, 6, 30), 1000)  # long before: ignored
    monthly = Period(date(2025, 12, 1), date(2025, 12, 31), 1)  # a month: ignored
    assert is_unusual([old, monthly, *half_years(50, 50, 50, 50, 50, 101)])


def test_a_reading_far_above_the_usual_asks_to_confirm() -> None:
    # 100 m³ in 100 days: 1 m³ a day; 10 days later, twice the usual is 20 m³.
    readings = [KnownReading(date(2026, 1, 1), 1000), KnownReading(date(2026, 4, 11), 1100)]
    assert not needs_confirmation(readings, 1120, date(2026, 4, 21))
    assert needs_confirmation(readings, 1121, date(2026, 4, 21))
    assert not needs_confirmation(readings[:1], 99999, date(2026, 4, 21))  # no usual known
