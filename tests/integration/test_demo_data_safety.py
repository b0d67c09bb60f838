"""``kiosk demo-data`` never overwrites a row, and refuses a configured database without --force.

On both engines: a database whose demo rows were replaced by real ones (the production case
of issue 12) keeps every one of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from kiosk.runtime import Runtime
from tests.support.installation import TEST_SECRET_KEY

REAL_RECORDS = [
    "INSERT INTO operators (code, name, served_here, phone, website) "
    "VALUES ('REAL', 'Eau Réelle SA', true, '04 11 11 11 11', '')",
    "UPDATE operators SET name = 'Société réelle', served_here = false, phone = '04 22 22 22 22' "
    "WHERE code = 'SEMM'",
    "UPDATE communes SET operator_code = 'REAL', territory = 'Réel' WHERE name = 'Velaux'",
    "UPDATE subscribers SET meter = 'REAL0000001', holder = 'REAL Holder' "
    "WHERE contract = '1234567'",
    "INSERT INTO subscribers (contract, meter, commune_id, holder) "
    "SELECT '8000000', 'REAL8000000', id, 'REAL Eight' FROM communes WHERE name = 'Velaux'",
    "INSERT INTO subscribers (contract, meter, commune_id, holder) "
    "SELECT '8000003', 'REAL8000003', id, 'REAL Eight-three' FROM communes WHERE name = 'Istres'",
]
"""What a production database looks like after its own imports: real rows where the demo's are."""


async def put_real_records(runtime: Runtime) -> None:
    async with runtime.engine.begin() as connection:
        for statement in REAL_RECORDS:
            await connection.exec_driver_sql(statement)


async def snapshot(runtime: Runtime) -> dict[str, set[tuple[Any, ...]]]:
    queries = {
        "operators": "SELECT code, name, served_here, phone, website FROM operators",
        "communes": "SELECT id, name, search_key, territory, operator_code FROM communes",
        "subscribers": "SELECT id, contract, meter, commune_id, holder FROM subscribers",
    }
    async with runtime.engine.connect() as connection:
        return {
            table: {tuple(row) for row in await connection.exec_driver_sql(sql)}
            for table, sql in queries.items()
        }


async def test_demo_data_and_synthetic_subscribers_overwrite_nothing(runtime: Runtime) -> None:
    await put_real_records(runtime)
    before = await snapshot(runtime)
    reports = await runtime.imports.load_demo_data()
    reports += await runtime.billing_imports.load_demo_billing()
    synthetic = await runtime.imports.add_synthetic_subscribers(10)
    after = await snapshot(runtime)
    for table, rows in before.items():
        assert rows <= after[table], f"{table}: a row was changed"
    assert after["operators"] == before["operators"]
    assert after["communes"] == before["communes"]
    added = {row[1]: row[2] for row in after["subscribers"] - before["subscribers"]}
    assert sorted(added) == [f"{8_000_000 + i:07d}" for i in range(10) if i not in (0, 3)]
    assert [report.written for report in reports] == [0, 0, 0, 0, 0]  # everything was there
    assert [report.kept for report in reports] == [4, 92, 8, 42, 49]  # ... and the billing
    assert synthetic.written == 8 and synthetic.kept == 2


async def test_demo_data_fills_in_what_is_missing(runtime: Runtime) -> None:
    async with runtime.engine.begin() as connection:
        await connection.exec_driver_sql("DELETE FROM subscribers WHERE contract = '7654321'")
    subscribers = (await runtime.imports.load_demo_data())[2]
    assert subscribers.written == 1 and subscribers.kept == 7
    rows = {row[1]: row[2] for row in (await snapshot(runtime))["subscribers"]}
    assert rows["7654321"] == "K09C112233"


def kiosk(data_dir: Path, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KIOSK_DATA_DIR": str(data_dir),
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
        **environ,
    }
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        env=env,
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_command_refuses_a_configured_database_without_force(
    runtime: Runtime, tmp_path: Path
) -> None:
    await put_real_records(runtime)
    before = await snapshot(runtime)
    await runtime.engine.dispose()
    url = runtime.settings.resolved_database_url  # configured, as in production
    refused = kiosk(tmp_path / "cli", "demo-data", "--subscribers", "5", KIOSK_DATABASE_URL=url)
    assert refused.returncode == 2, refused.stderr
    assert "configured database_url" in refused.stderr and "--force" in refused.stderr
    assert await snapshot(runtime) == before
    await runtime.engine.dispose()

    forced = kiosk(
        tmp_path / "cli", "demo-data", "--force", "--subscribers", "5", KIOSK_DATABASE_URL=url
    )
    assert forced.returncode == 0, forced.stderr
    after = await snapshot(runtime)
    assert before["operators"] == after["operators"]
    assert before["communes"] == after["communes"]
    assert before["subscribers"] <= after["subscribers"]
    added = sorted(row[1] for row in after["subscribers"] - before["subscribers"])
    assert added == ["8000001", "8000002", "8000004"]
    assert "synthetic: 3 row(s) written" in forced.stdout and "2 already present" in forced.stdout


def test_the_embedded_demo_needs_no_force(tmp_path: Path) -> None:
    first = kiosk(tmp_path / "data", "demo-data")
    assert first.returncode == 0, first.stderr
    again = kiosk(tmp_path / "data", "demo-data")
    assert again.returncode == 0 and "0 row(s) written" in again.stdout
