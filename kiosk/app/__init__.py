"""The kiosk's Textual application: the only part of ``kiosk`` that knows screens and Textual.

:class:`KioskApp` owns its parts, plain objects that hold a reference to it, and is the one
place where each is hooked to Textual (its ``on_event``, its message handlers, its key
bindings); no part derives from another or overrides another's method:

- :mod:`kiosk.app.kiosk_app`: :class:`KioskApp` itself (themes, kiosk mode, start, the hooks);
- :mod:`kiosk.app.backend`: the services opened after the first paint, the database away;
- :mod:`kiosk.app.notices`: the notifications by catalogue key, and the screens' language;
- :mod:`kiosk.app.typeahead`: keys typed ahead land where they would if typed slowly;
- :mod:`kiosk.app.attendance`: idle question, session time, reset, warm-up and garbage;
- :mod:`kiosk.app.recovery`: the apology after an unexpected error;
- :mod:`kiosk.app.flow`: which screen follows which, and the registration draft;
- :mod:`kiosk.app.speech`: what is said (F1, Ctrl+R), over :mod:`kiosk.app.reading` (a
  screen's texts as sentences); :mod:`kiosk.app.contrast`: Ctrl+T's high-contrast theme;
- :mod:`kiosk.app.textual_internals`: the one module of the product that touches Textual's
  private names.
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
