"""Snapshots of the Welcome screen, at 80x24 (SVGs under __snapshots__/test_welcome/)."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.app import KioskApp
from tests.support.ui import SnapCompare, settle


def test_welcome(snap_compare: SnapCompare, kiosk: Callable[..., KioskApp]) -> None:
    assert snap_compare(kiosk(), run_before=settle)
