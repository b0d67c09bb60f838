"""What importing some modules loads, seen from a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def loaded_by(statements: str, packages: set[str], prefixes: tuple[str, ...] = ()) -> list[str]:
    """The modules of ``packages`` (top-level names) or under ``prefixes`` that a new Python
    process has loaded once it ran ``statements`` (import statements, ``;``-separated)."""
    probe = (
        f"import sys; {statements}; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(packages)!r} "
        f"or m.startswith({prefixes!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    return [] if out == "[]" else out.strip("[]").replace("'", "").split(", ")
