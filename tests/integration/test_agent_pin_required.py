"""The demo PIN exists only on the demo data: elsewhere ``kiosk run`` needs ``agent_pin_hash``."""

from __future__ import annotations

import asyncio
import getpass
import os
import subprocess
import sys
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.cli.tools import hash_pin
from kiosk.config import Settings, load_settings
from kiosk.runtime import Runtime
from tests.support.installation import TEST_SECRET_KEY


def kiosk_run(tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
        **environ,
    }
    # A refusal comes before Textual starts; a kiosk that starts instead is stopped by the
    # timeout, and the test fails on it.
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "run"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    "environ",
    [
        {"KIOSK_DEMO_DATA": "false"},
        {"KIOSK_DEMO_DATA": "false", "KIOSK_MAIL_TRANSPORT": "smtp"},
    ],
    ids=["embedded-without-demo-data", "embedded-smtp-without-demo-data"],
)
def test_an_embedded_installation_without_the_demo_data_needs_a_pin(
    tmp_path: Path, environ: dict[str, str]
) -> None:
    result = kiosk_run(tmp_path, **environ)
    assert result.returncode == 2
    assert "agent_pin_hash is required" in result.stderr
    assert "kiosk hash-pin" in result.stderr


def test_a_configured_database_needs_a_pin(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'elsewhere.db'}"
    result = kiosk_run(
        tmp_path,
        KIOSK_DATABASE_URL=url,
        KIOSK_PUBLIC_URL="https://espace.eaux.example",
        KIOSK_MAIL_FROM="Espace Client <ne-pas-repondre@eaux.example>",
    )
    assert result.returncode == 2 and "agent_pin_hash is required" in result.stderr


@pytest.mark.parametrize(
    ("environ", "allowed"),
    [
        ({}, True),  # the embedded default: its demo data, its demo PIN
        ({"KIOSK_DEMO_DATA": "true"}, True),
        ({"KIOSK_DEMO_DATA": "false"}, False),
        ({"KIOSK_DATABASE_URL": "sqlite+aiosqlite:///x.db", "KIOSK_DEMO_DATA": "true"}, False),
    ],
)
def test_the_demo_pin_is_allowed_only_on_the_embedded_demo_data(
    tmp_path: Path, environ: dict[str, str], allowed: bool
) -> None:
    settings: Settings = load_settings(
        environ={"KIOSK_SECRET_KEY": TEST_SECRET_KEY, **environ}, cwd=tmp_path
    )
    assert settings.demo_pin_allowed is allowed


async def test_the_agent_service_refuses_the_demo_pin_off_the_demo_data(
    make_runtime: Callable[..., Runtime],
) -> None:
    """Defence in depth: even a kiosk started without the check of ``kiosk run`` (``--dev``,
    or an app built by other code) does not open to ``0000`` off the demo data."""
    runtime = make_runtime(demo_data=False, agent_pin_hash="")
    try:
        assert await runtime.services.agent.verify_pin("0000") is False
    finally:
        await runtime.engine.dispose()


def test_the_pin_that_hash_pin_makes_opens_the_kiosk(
    make_runtime: Callable[..., Runtime],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # One policy and one hashing: the PIN is refused short or mistyped, and the hash printed
    # is what AgentService verifies (with its NFKC normalisation: a PIN with a ligature).
    typed = iter(["12345", "12345", "\ufb01x-2468", "\ufb01x-2469", "\ufb01x-2468", "\ufb01x-2468"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": next(typed))
    settings = make_runtime().settings
    assert hash_pin(Namespace(), settings) == 1
    assert hash_pin(Namespace(), settings) == 1
    assert "at least 6 characters, twice the same" in capsys.readouterr().err
    assert hash_pin(Namespace(), settings) == 0
    pin_hash = capsys.readouterr().out.strip()

    async def verified(pin: str) -> bool:
        runtime = make_runtime(agent_pin_hash=pin_hash)
        try:
            return await runtime.services.agent.verify_pin(pin)
        finally:
            await runtime.engine.dispose()

    assert asyncio.run(verified("fix-2468")) is True
    assert asyncio.run(verified("fix-2469")) is False
