"""What a kiosk loads to start: not fpdf2 (a quarter of a second and 43 MiB, for the few
customers who ask for an invoice's PDF; loaded with the first PDF, in a worker thread)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_starting_a_kiosk_or_the_web_companion_loads_no_pdf_library() -> None:
    probe = (
        "import sys, kiosk.app, kiosk.runtime, kiosk.cli.run, kiosk.cli.web; "
        "from kiosk.services import KioskServices; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'fpdf', 'fontTools', 'PIL'}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert loaded == "[]"
