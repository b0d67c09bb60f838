"""The layer contracts of the web companion (every import, lazy ones included):

- ``web`` never imports SQLAlchemy, the database drivers or aiosmtplib, nor ``kiosk`` below the
  services (storage, mail, runtime), nor ``screens``;
- ``screens`` never imports ``web``;
- ``kiosk`` below the entry points (``kiosk/__main__.py``) never imports Starlette, uvicorn,
  Jinja2, prometheus-client or ``web``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB_FRAMEWORK = {"starlette", "uvicorn", "jinja2", "web", "httpx", "prometheus_client"}
DATABASE_AND_MAIL = {"sqlalchemy", "aiosqlite", "asyncpg", "aiosmtplib", "smtplib", "alembic"}
KIOSK_INNER = ("kiosk.storage", "kiosk.mail", "kiosk.runtime", "kiosk.app", "kiosk.imports")


def imported(path: Path) -> set[str]:
    """Every module imported anywhere in the file (inside functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def offenders(
    package: str, forbidden: set[str], prefixes: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if path.name == "__main__.py" and package == "kiosk":
            continue  # the entry point wires the front ends
        names = imported(path)
        bad = sorted(
            name for name in names if name.split(".")[0] in forbidden or name.startswith(prefixes)
        )
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def test_web_talks_to_services_only() -> None:
    assert offenders("web", DATABASE_AND_MAIL | {"screens", "textual"}, KIOSK_INNER) == {}


def test_screens_never_import_the_web_companion() -> None:
    assert offenders("screens", {"web", "starlette", "uvicorn", "jinja2"}) == {}


def test_kiosk_below_the_entry_points_knows_no_web_framework() -> None:
    assert offenders("kiosk", WEB_FRAMEWORK) == {}


def test_the_checker_sees_lazy_imports() -> None:
    # Guards the test itself: the entry point imports the web companion inside a function.
    assert "web.app" in imported(ROOT / "kiosk" / "__main__.py")
    assert "starlette.applications" in imported(ROOT / "web" / "app.py")
