"""Pilot fixtures: the kiosk app on the test's real services (helpers: tests/support/ui.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kiosk.app import KioskApp
from kiosk.config import Settings
from kiosk.services import KioskServices


@pytest.fixture
def make_app(services: KioskServices, settings: Settings) -> Callable[..., KioskApp]:
    """A kiosk on the test's services; keyword arguments override settings."""

    def make(*, dev: bool = False, **overrides: Any) -> KioskApp:
        chosen = Settings(**{**settings.__dict__, **overrides}) if overrides else settings
        return KioskApp(services, chosen, dev=dev)

    return make
