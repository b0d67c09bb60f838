"""``log_format = "json"``: one JSON object per line (UTC time, level, kiosk id, event, masked
e-mail, message), parsed back here; never a password, a code or a link with a code."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.errors import InvalidCredentials
from kiosk.logs import configure_logging
from kiosk.runtime import Runtime
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, register_demo
from tests.support.mail import SmtpSink, read_code

MASKED = "m***@example.fr"
WEB_CLIENT = "web:203.0.113.7"


@pytest.fixture
def json_log(tmp_path: Path) -> Iterator[Path]:
    """The kiosk's loggers writing JSON lines, as with ``log_format = "json"``."""
    logger = logging.getLogger("kiosk")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield configure_logging(
        tmp_path / "logs-home", "DEBUG", log_format="json", kiosk_id="kiosk-test"
    )
    for handler in logger.handlers:
        handler.close()
    logger.handlers[:], logger.level, logger.propagate = saved


def entries(path: Path) -> list[dict[str, Any]]:
    """Every line of the log, each parsed as one JSON object."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]


async def test_every_line_is_an_object_with_the_fields_a_shipper_reads(
    runtime: Runtime, smtp: SmtpSink, json_log: Path
) -> None:
    services = runtime.services
    await register_demo(services)
    await runtime.worker.deliver_all_due()
    [activation] = await smtp.wait_for(1)
    code = read_code(activation)
    await services.redemption.redeem(code)
    with pytest.raises(InvalidCredentials):
        await services.for_origin(WEB_CLIENT).sessions.sign_in(DEMO_EMAIL, "Pas-le-bon-1!")
    try:
        secret = DEMO_PASSWORD
        raise ValueError(f"refused {secret}")
    except ValueError:
        logging.getLogger("kiosk.test").exception("something failed")

    logged = entries(json_log)
    for entry in logged:
        assert {"time", "level", "logger", "kiosk_id", "event", "email", "message"} <= set(entry)
        at = datetime.fromisoformat(entry["time"])
        assert at.utcoffset() == UTC.utcoffset(None)
        assert entry["level"] in {"DEBUG", "INFO", "WARNING", "ERROR"}
    events = {entry["event"]: entry for entry in logged if entry["event"]}
    assert events["register"]["email"] == MASKED
    assert events["register"]["kiosk_id"] == "kiosk-test"
    assert events["account_activated"]["logger"] == "kiosk.auth"
    assert events["signin_failed"]["kiosk_id"] == WEB_CLIENT  # the origin of the request
    assert events["signin_failed"]["email"] == MASKED
    [failure] = [entry for entry in logged if entry["message"] == "something failed"]
    assert failure["level"] == "ERROR" and failure["event"] is None
    assert failure["exception"].endswith("ValueError")
    text = json_log.read_text(encoding="utf-8")
    assert DEMO_PASSWORD not in text and code not in text and DEMO_EMAIL not in text
    assert code.replace("-", "") not in text


def test_kiosk_purge_writes_json_lines_when_configured(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    env |= {
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_LOG_FORMAT": "json",
        "KIOSK_KIOSK_ID": "aix-1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "purge"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    logged = entries(tmp_path / "data" / "logs" / "kiosk.log")
    [purge] = [entry for entry in logged if entry["event"] == "purge"]
    assert purge["kiosk_id"] == "aix-1" and purge["level"] == "INFO" and purge["email"] is None
    assert purge["message"] == "event=purge kiosk=aix-1 email=-"


def test_the_default_stays_readable_text(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    env |= {"KIOSK_DATA_DIR": str(tmp_path / "data")}
    subprocess.run(
        [sys.executable, "-m", "kiosk", "purge"],
        env=env,
        cwd=tmp_path,
        check=True,
        timeout=120,
        capture_output=True,
    )
    lines = (tmp_path / "data" / "logs" / "kiosk.log").read_text(encoding="utf-8").splitlines()
    [purge] = [line for line in lines if "event=purge" in line]
    assert not purge.startswith("{") and " INFO kiosk.auth event=purge kiosk=" in purge
