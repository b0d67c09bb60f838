"""``kiosk status`` as cron runs it: a real process on the installation's database (SQLite and
PostgreSQL), its exit status (0 all well, 1 something needs a person) and its JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import Settings
from kiosk.runtime import Runtime
from tests.conftest import MovableClock, SmtpSink
from tests.support.demo import register_demo
from tests.support.network import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock() -> MovableClock:
    """The services write 20 minutes before the wall clock that the command reads."""
    return MovableClock(datetime.now(UTC) - timedelta(minutes=20))


def kiosk_status(settings: Settings, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    env.update(
        KIOSK_DATA_DIR=str(settings.data_dir),
        KIOSK_DATABASE_URL=settings.database_url,
        KIOSK_SECRET_KEY=settings.secret_key,
    )
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "status", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_all_well_exits_0_with_the_figures(runtime: Runtime, smtp: SmtpSink) -> None:
    await runtime.services.heartbeat.beat()
    await register_demo(runtime.services)
    await runtime.worker.deliver_all_due()

    done = kiosk_status(runtime.settings, "--json")
    assert done.returncode == 0, done.stderr
    figures: dict[str, Any] = json.loads(done.stdout)
    assert {"outbox", "accounts", "kiosks", "schema"} <= figures.keys()
    assert figures["outbox"]["queued"] == 0 and figures["outbox"]["sent_24h"] == 1
    assert figures["accounts"]["registrations_24h"] == 1
    assert figures["schema"]["up_to_date"] is True
    [kiosk] = figures["kiosks"]
    assert kiosk["kiosk_id"] == "kiosk-test" and kiosk["silent"] is True
    assert 20 * 60 <= kiosk["last_heartbeat_age_seconds"] < 25 * 60

    text = kiosk_status(runtime.settings)
    assert text.returncode == 0
    assert "last 24 h: 1 sent, 0 abandoned" in text.stdout
    assert "kiosk-test  SILENT, last heartbeat 2" in text.stdout  # 20 min and some seconds


async def test_a_message_waiting_20_minutes_exits_1(runtime: Runtime, smtp: SmtpSink) -> None:
    smtp.stop()
    await register_demo(runtime.services)

    done = kiosk_status(runtime.settings, "--json")
    assert done.returncode == 1, done.stderr
    figures = json.loads(done.stdout)
    assert figures["needs_attention"] is True and figures["outbox"]["queued"] == 1
    assert figures["problems"][0].startswith("an e-mail has waited 20 min")
    assert "needs a person:" in kiosk_status(runtime.settings).stdout


def test_a_database_that_does_not_answer_exits_1(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        database_url=f"postgresql+asyncpg://kiosk@127.0.0.1:{free_port()}/kiosk",
        secret_key="k" * 40,
    )
    done = kiosk_status(settings)
    assert done.returncode == 1
    assert "the database cannot be reached" in done.stderr
