"""The clock that services read, so that tests can move past 48 hours without sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware, in UTC."""


def system_clock() -> datetime:
    return datetime.now(UTC)
