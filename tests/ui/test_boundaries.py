"""Layering: screens talk to services only; below the app, nothing knows a terminal exists."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_screens_never_reach_storage_or_mail() -> None:
    for path in (ROOT / "screens").rglob("*.py"):
        names = imported_modules(path)
        assert not top_level(names) & {"sqlalchemy", "aiosqlite", "asyncpg", "aiosmtplib"}, path
        assert not any(name.startswith(("kiosk.storage", "kiosk.mail", "kiosk.app"))
                       for name in names), path


def test_only_the_app_imports_textual_or_screens() -> None:
    for path in (ROOT / "kiosk").rglob("*.py"):
        if path.name == "app.py" and path.parent.name == "kiosk":
            continue
        assert not top_level(imported_modules(path)) & {"textual", "screens"}, path
