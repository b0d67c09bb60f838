"""The web companion loads no database, mail or terminal layer: its import-time cost and its
reach stay those of a front end. The import contracts themselves are import-linter's
(pyproject.toml, tests/unit/test_architecture.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_loading_the_web_companion_loads_no_database_or_mail_layer() -> None:
    probe = (
        "import sys, web.app, web.server; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sqlalchemy', 'aiosqlite', 'asyncpg', 'aiosmtplib', 'textual', 'screens'} "
        "or m.startswith(('kiosk.storage', 'kiosk.mail', 'kiosk.runtime'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert loaded == "[]"
