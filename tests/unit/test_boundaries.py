"""The boundaries of STYLE.md: only the app knows the terminal; screens know only services."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def top_levels(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


def test_only_the_app_and_the_command_line_know_textual_and_screens() -> None:
    allowed = {ROOT / "kiosk" / "app.py", ROOT / "kiosk" / "__main__.py"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(top_levels(path) & {"textual", "screens"})
        for path in (ROOT / "kiosk").rglob("*.py")
        if path not in allowed and top_levels(path) & {"textual", "screens"}
    }
    assert offenders == {}


def test_screens_never_touch_the_database_or_smtp() -> None:
    forbidden = {"sqlalchemy", "aiosqlite", "asyncpg", "aiosmtplib", "smtplib"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(top_levels(path) & forbidden)
        for path in (ROOT / "screens").rglob("*.py")
        if top_levels(path) & forbidden
    }
    inner = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported_modules(path)
            if name.startswith(("kiosk.storage", "kiosk.mail", "kiosk.runtime", "kiosk.app"))
        )
        for path in (ROOT / "screens").rglob("*.py")
    }
    assert offenders == {}
    assert {k: v for k, v in inner.items() if v} == {}


def test_only_the_command_line_draws_progress_bars() -> None:
    """Rich is the command line's: the imports and services report through a callback."""
    allowed = {ROOT / "kiosk" / "__main__.py", ROOT / "kiosk" / "cli_progress.py"}
    offenders = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "kiosk").rglob("*.py")
        if path not in allowed and "rich" in top_levels(path)
    )
    assert offenders == []
    assert "rich" in top_levels(ROOT / "kiosk" / "cli_progress.py")


def test_the_checker_sees_imports() -> None:
    # Guards the test itself: the app module does import textual.
    app = ROOT / "kiosk" / "app.py"
    assert "textual" in top_levels(app)
