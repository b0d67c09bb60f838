"""The web companion loads no database, mail or terminal layer: its import-time cost and its
reach stay those of a front end. The import contracts themselves are import-linter's
(pyproject.toml, tests/unit/test_architecture.py)."""

from __future__ import annotations

from tests.support.imports import loaded_by


def test_loading_the_web_companion_loads_no_database_or_mail_layer() -> None:
    loaded = loaded_by(
        "import web.app, web.server",
        {"sqlalchemy", "aiosqlite", "asyncpg", "aiosmtplib", "textual", "screens"},
        ("kiosk.storage", "kiosk.mail", "kiosk.runtime"),
    )
    assert loaded == []
