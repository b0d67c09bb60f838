"""Every SQLite connection erases deleted content (delivered e-mail bodies hold codes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from kiosk.storage.engine import create_engine


async def test_secure_delete_is_on_even_where_sqlite_was_built_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kiosk sets the pragma itself rather than trusting the SQLite build's default."""
    original_connect = sqlite3.connect

    def connect_like_a_build_without_secure_delete(*args: Any, **kwargs: Any) -> Any:
        connection = original_connect(*args, **kwargs)
        connection.execute("PRAGMA secure_delete=OFF")
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect_like_a_build_without_secure_delete)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'kiosk.db'}")
    try:
        async with engine.connect() as connection:
            value = (await connection.exec_driver_sql("PRAGMA secure_delete")).scalar()
        assert value == 1
    finally:
        await engine.dispose()
