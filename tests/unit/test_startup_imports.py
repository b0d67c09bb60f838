"""What a kiosk loads to start: not fpdf2 (a quarter of a second and 43 MiB, for the few
customers who ask for an invoice's PDF; loaded with the first PDF, in a worker thread)."""

from __future__ import annotations

from tests.support.imports import loaded_by


def test_starting_a_kiosk_or_the_web_companion_loads_no_pdf_library() -> None:
    loaded = loaded_by(
        "import kiosk.app, kiosk.runtime, kiosk.cli.run, kiosk.cli.web; "
        "from kiosk.services import KioskServices",
        {"fpdf", "fontTools", "PIL"},
    )
    assert loaded == []
