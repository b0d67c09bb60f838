"""Where the engine puts a SQLite database: the folder of a plain path, nothing for a URI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from kiosk.storage.engine import create_engine


async def test_a_plain_path_gets_its_folder(tmp_path: Path) -> None:
    database = tmp_path / "new" / "folder" / "kiosk.db"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.connect() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
    finally:
        await engine.dispose()
    assert database.is_file()


async def test_a_uri_opens_the_file_and_makes_no_folder_where_we_stand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kiosk.db"
    with sqlite3.connect(database) as setup:
        setup.execute("PRAGMA journal_mode=WAL")  # as the kiosk leaves it
        setup.execute("CREATE TABLE t (x INTEGER)")
        setup.execute("INSERT INTO t VALUES (7)")
    setup.close()
    here = tmp_path / "cwd"
    here.mkdir()
    monkeypatch.chdir(here)
    engine = create_engine(f"sqlite+aiosqlite:///file:{database}?mode=ro&uri=true")
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT x FROM t"))).scalar() == 7
    finally:
        await engine.dispose()
    assert list(here.iterdir()) == []
