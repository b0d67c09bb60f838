"""The kiosk's garbage-collection policy: start-up frozen, full collections when nobody types."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kiosk.app import GC_NO_AUTOMATIC_FULL, GC_QUIET_SECONDS, KioskApp
from kiosk.config import Settings
from kiosk.services import KioskServices
from tests.support.ui import wait_for


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


async def test_full_collections_wait_for_a_quiet_moment(
    services: KioskServices, settings: Settings, restored_gc: None
) -> None:
    app = KioskApp(services, settings, manage_garbage=True)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.attendance.warmed_up)  # the warm-up settles the garbage
        assert gc.get_threshold()[2] == GC_NO_AUTOMATIC_FULL
        assert gc.get_freeze_count() > 0
        await pilot.press("tab")  # a key: a full collection is owed
        full_before = gc.get_stats()[2]["collections"]
        app.attendance.last_key -= GC_QUIET_SECONDS  # as if no key had come for a while
        app.attendance.check_idle()
        assert gc.get_stats()[2]["collections"] == full_before + 1
        app.attendance.check_idle()  # once per quiet moment, not every second
        assert gc.get_stats()[2]["collections"] == full_before + 1


async def test_tests_and_other_hosts_keep_pythons_policy(
    services: KioskServices, settings: Settings
) -> None:
    before = gc.get_threshold()
    app = KioskApp(services, settings)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.attendance.warmed_up)
        assert gc.get_threshold() == before
