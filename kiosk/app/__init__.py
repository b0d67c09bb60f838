"""The kiosk's Textual application: the only part of ``kiosk`` that knows screens and Textual.

- :mod:`kiosk.app.kiosk_app`: :class:`KioskApp` itself (theme, kiosk mode, start);
- :mod:`kiosk.app.flow`: which screen follows which, and the registration draft;
- :mod:`kiosk.app.attendance`: idle question, session time, reset, apology;
- :mod:`kiosk.app.speech`: speech (what is said, F1, Ctrl+R) and Ctrl+T's high contrast, over
  :mod:`kiosk.app.reading` (a screen's texts as sentences) and :mod:`kiosk.app.contrast`;
- :mod:`kiosk.app.typeahead`: keys typed ahead land where they would if typed slowly;
- :mod:`kiosk.app.core`: the services, notifications, the database away;
- :mod:`kiosk.app.textual_internals`: the one module that touches Textual's private names.
"""

from __future__ import annotations

from kiosk.app.attendance import (
    GC_MIDDLE_THRESHOLD,
    GC_NO_AUTOMATIC_FULL,
    GC_QUIET_SECONDS,
    GC_YOUNG_THRESHOLD,
)
from kiosk.app.kiosk_app import KioskApp

__all__ = [
    "GC_MIDDLE_THRESHOLD",
    "GC_NO_AUTOMATIC_FULL",
    "GC_QUIET_SECONDS",
    "GC_YOUNG_THRESHOLD",
    "KioskApp",
]
