"""CSV imports on both engines: bad rows reported by line, re-imports update, batches whole."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from kiosk.domain.import_rows import ImportFileError
from kiosk.runtime import Runtime
from kiosk.services import import_batches
from kiosk.storage.models import Subscriber
from tests.support.installation import TEST_SECRET_KEY

HEADER = "contract,meter,commune,holder\n"
REFUSING_TRIGGER = {
    "sqlite": [
        "CREATE TRIGGER refuse BEFORE INSERT ON subscribers WHEN NEW.contract = '9000005' "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.contract = '9000005' THEN RAISE integrity_constraint_violation USING "
        "MESSAGE = 'refused'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER refuse BEFORE INSERT ON subscribers FOR EACH ROW EXECUTE FUNCTION refuse()",
    ],
}
"""A database that refuses contract 9000005, whichever the engine."""


async def subscribers(runtime: Runtime) -> dict[str, tuple[str, str]]:
    async with runtime.engine.connect() as connection:
        rows = await connection.execute(
            select(Subscriber.contract, Subscriber.meter, Subscriber.holder)
        )
        return {contract: (meter, holder) for contract, meter, holder in rows}


async def test_bad_rows_are_reported_with_their_line_and_skipped(runtime: Runtime) -> None:
    csv_text = (
        HEADER
        + "\n".join(
            [
                "1111111,AB12345,Velaux,GOOD One",
                "222222,AB12345,Velaux,SHORT Contract",  # line 3
                "3333333,AB,Velaux,SHORT Meter",  # line 4
                "4444444,AB12345,Atlantis,UNKNOWN Commune",  # line 5
                "5555555,AB12345,velaux,Lower Case Commune",  # accepted: accent/case-insensitive
                "6666666,AB12345",  # line 7: missing columns
                "７７７７７７７,AB12345,Velaux,FULLWIDTH",  # line 8
                "8888888,AB12345,Velaux,BAD\u202eHOLDER",  # line 9
            ]
        )
        + "\n"
    )
    report = await runtime.imports.import_subscribers(io.StringIO(csv_text))
    assert report.written == 2 and report.skipped == 6
    assert [line for line, _ in report.errors] == [3, 4, 5, 7, 8, 9]
    assert set(await subscribers(runtime)) >= {"1111111", "5555555"}
    assert "222222" not in await subscribers(runtime)


async def test_a_newer_extract_updates_and_never_duplicates(runtime: Runtime) -> None:
    before = len(await subscribers(runtime))
    await runtime.imports.import_subscribers(
        io.StringIO(HEADER + "1234567,A12B345678,Velaux,OLD\n")
    )
    await runtime.imports.import_subscribers(
        io.StringIO(
            HEADER
            + "1234567,Z99Z000000,Velaux,DUPONT Marie (new meter)\n0000001,QQ11111,Velaux,NEW\n"
        ),
    )
    rows = await subscribers(runtime)
    assert len(rows) == before + 1
    assert rows["1234567"] == ("Z99Z000000", "DUPONT Marie (new meter)")
    assert rows["0000001"][0] == "QQ11111"  # leading zeros kept


async def test_wrong_header_is_refused_whole(runtime: Runtime) -> None:
    with pytest.raises(ImportFileError, match="header"):
        await runtime.imports.import_subscribers(io.StringIO("numero,compteur\n1,2\n"))


async def test_a_batch_is_never_half_written(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch that the database refuses leaves none of its rows behind."""
    monkeypatch.setattr(import_batches, "BATCH_SIZE", 3)
    async with runtime.engine.begin() as connection:
        # A trigger stands for a database failure in the middle of the second batch.
        for statement in REFUSING_TRIGGER[runtime.engine.dialect.name]:
            await connection.exec_driver_sql(statement)
    rows = "".join(f"900000{n},AB12345,Velaux,H{n}\n" for n in range(1, 8))
    with pytest.raises(ImportFileError, match="refused a batch"):
        await runtime.imports.import_subscribers(io.StringIO(HEADER + rows))
    imported = sorted(c for c in await subscribers(runtime) if c.startswith("900000"))
    assert imported == ["9000001", "9000002", "9000003"]  # the first batch, and only it


async def test_synthetic_subscribers_stream_in_batches(runtime: Runtime) -> None:
    report = await runtime.imports.add_synthetic_subscribers(12_345)
    assert report.written == 12_345
    async with runtime.engine.connect() as connection:
        count = await connection.scalar(select(func.count()).select_from(Subscriber))
    assert count == 12_345 + 8
    assert (await subscribers(runtime))["1234567"][0] == "A12B345678"  # the demo is untouched


def test_import_commands(tmp_path: Path) -> None:
    env = {
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
        "PATH": "/usr/bin:/bin",
    }
    csv_file = tmp_path / "extract.csv"
    csv_file.write_text(HEADER + "7777777,MM12345,Marseille,OK\n12,MM12345,Marseille,BAD\n")

    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *args],
            env=env,
            text=True,
            capture_output=True,
            check=False,
        )

    assert kiosk("init-db").returncode == 0
    assert kiosk("init-db").returncode == 0  # idempotent
    result = kiosk("import-subscribers", str(csv_file))
    assert result.returncode == 1
    assert "1 row(s) written, 1 skipped" in result.stdout and "line 3" in result.stdout
    missing = kiosk("import-communes", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    short_key = subprocess.run(
        [sys.executable, "-m", "kiosk", "init-db"],
        text=True,
        capture_output=True,
        env=env | {"KIOSK_SECRET_KEY": "short"},
    )
    assert short_key.returncode == 2 and "too short" in short_key.stderr


async def test_foreign_keys_hold_after_an_import(runtime: Runtime) -> None:
    """The importer checks commune ids itself; the database still refuses a bad one after."""
    await runtime.imports.import_subscribers(io.StringIO(HEADER + "1111111,AB12345,Velaux,X\n"))
    with pytest.raises(IntegrityError):
        async with runtime.engine.begin() as connection:
            await connection.exec_driver_sql(
                "INSERT INTO subscribers (contract, meter, commune_id, holder) "
                "VALUES ('2222222', 'AB12345', 999999, 'nobody')"
            )
