"""Snapshot fixtures: a kiosk on a prepared SQLite file (helpers: tests/support/ui.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kiosk.app import KioskApp
from kiosk.config import Settings
from kiosk.runtime import Runtime
from screens.code import CodeScreen


@pytest.fixture(autouse=True)
def still_countdowns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The resend countdown shows its first value for the whole shot (60 s, not 59 or 60)."""
    monkeypatch.setattr(CodeScreen, "TICK_SECONDS", 3600.0)


@pytest.fixture
def kiosk(make_runtime: Callable[..., Runtime], settings: Settings) -> Callable[..., KioskApp]:
    """A kiosk on a fresh database with the demo data; keyword arguments override settings."""

    def make(**overrides: Any) -> KioskApp:
        runtime = make_runtime(**overrides)
        return KioskApp(runtime.services, runtime.settings)

    return make
