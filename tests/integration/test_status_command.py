"""``kiosk status`` as cron runs it: a real process on the installation's database (SQLite and
PostgreSQL), its exit status (0 all well, 1 something needs a person) and its JSON."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.config import Settings, ensure_secret_key, load_settings
from kiosk.runtime import Runtime, build_runtime
from tests.support.clock import MovableClock
from tests.support.demo import register_demo
from tests.support.mail import SmtpSink
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


def drain(master: int, seconds: float) -> None:
    """Read what the kiosk paints, as a terminal would (a full pty would block it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.05)[0]:
            try:
                os.read(master, 65536)
            except OSError:
                return


def test_kiosk_run_beats_and_status_shows_its_delivered_registration(tmp_path: Path) -> None:
    """The embedded demo as a newcomer runs it: ``kiosk run`` in a terminal, a registration,
    then ``kiosk status`` shows the e-mail delivered and the kiosk's heartbeat, and the
    kiosk's own web companion serves ``/metrics`` to this machine."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    env |= {
        "KIOSK_DATA_DIR": str(tmp_path / "kiosk-data"),
        "KIOSK_WEB_LISTEN": f"127.0.0.1:{port}",
        "KIOSK_KIOSK_ID": "borne-1",
        "TERM": "xterm-256color",
    }
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--dev"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    os.close(slave)

    def status() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", "status", "--json"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    try:
        deadline = time.monotonic() + 90
        while True:
            drain(master, 0.3)
            assert process.poll() is None, "the kiosk stopped"
            assert time.monotonic() < deadline, "the kiosk's web companion never answered"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/sante", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
        settings = ensure_secret_key(load_settings(environ=env, cwd=tmp_path))

        async def register() -> None:
            runtime = build_runtime(settings)
            try:
                await register_demo(runtime.services)
            finally:
                await runtime.close()

        asyncio.run(register())
        figures: dict[str, Any] = {}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            drain(master, 0.5)
            done = status()
            figures = json.loads(done.stdout)
            if figures["outbox"]["sent_24h"] == 1:
                break
        assert done.returncode == 0, done.stderr
        assert figures["outbox"] == {
            "queued": 0,
            "sent_24h": 1,
            "abandoned_24h": 0,
            "oldest_queued_age_seconds": None,
        }
        assert figures["accounts"]["registrations_24h"] == 1
        [kiosk] = figures["kiosks"]
        assert kiosk["kiosk_id"] == "borne-1" and kiosk["silent"] is False
        assert kiosk["last_heartbeat_age_seconds"] < 90

        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
        assert metrics.status_code == 200
        assert 'kiosk_heartbeat_age_seconds{kiosk="borne-1"}' in metrics.text
        assert 'kiosk_outbox_messages{state="sent"} 1.0' in metrics.text
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)
