"""Snapshot helpers: a kiosk on a prepared SQLite file, driven by a ``run_before`` coroutine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from kiosk.app import KioskApp
from kiosk.config import Settings
from kiosk.runtime import Runtime

SIZE = (80, 24)


class SnapCompare(Protocol):
    """The ``snap_compare`` fixture of pytest-textual-snapshot, typed."""

    def __call__(
        self,
        app: KioskApp,
        press: tuple[str, ...] = (),
        terminal_size: tuple[int, int] = SIZE,
        run_before: Callable[[Pilot[None]], Awaitable[None]] | None = None,
    ) -> bool: ...


@pytest.fixture
def kiosk(make_runtime: Callable[..., Runtime], settings: Settings) -> Callable[..., KioskApp]:
    """A kiosk on a fresh database with the demo data; keyword arguments override settings."""

    def make(**overrides: Any) -> KioskApp:
        runtime = make_runtime(**overrides)
        return KioskApp(runtime.services, runtime.settings)

    return make


async def settle(pilot: Pilot[None], condition: Callable[[], bool] | None = None) -> None:
    """Wait for the workers (and ``condition``), then stop every cursor blinking."""
    for _ in range(1000):  # a deadline of 20 s, for a loaded machine; a settled screen ends it
        await pilot.pause(0.02)
        if condition is None or condition():
            break
    else:
        raise AssertionError("the screen did not settle")
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def type_into(pilot: Pilot[None], selector: str, value: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = value
    await pilot.pause()
