"""A configured installation chooses its own public address and sender before it sends or
serves (a placeholder domain would receive every code clicked), and loads no demo rows at
start without ``kiosk demo-data --force``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config
from kiosk.config import ConfigError, load_settings
from tests.support.installation import TEST_SECRET_KEY


def configured(tmp_path: Path, **environ: str) -> dict[str, str]:
    return {
        "KIOSK_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'production.db'}",
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
        **environ,
    }


def kiosk(tmp_path: Path, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """The ``kiosk`` command; a refusal comes before it serves (else the timeout fails it)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        **environ,
    }
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_configured_database_leaves_the_public_address_and_sender_unset(
    tmp_path: Path,
) -> None:
    settings = load_settings(environ=configured(tmp_path), cwd=tmp_path)
    assert settings.public_url == "" and settings.mail_from == ""
    assert "example" not in repr(settings)  # no placeholder domain anywhere


@pytest.mark.parametrize("command", ["web", "mailer", "run"])
def test_every_command_that_sends_or_serves_names_what_is_missing(
    tmp_path: Path, command: str
) -> None:
    refused = kiosk(tmp_path, command, **configured(tmp_path))
    assert refused.returncode == 2
    assert "public_url and mail_from are required with a configured database_url" in (
        refused.stderr
    )
    only_sender = kiosk(
        tmp_path, command, **configured(tmp_path, KIOSK_PUBLIC_URL="https://espace.eaux.example")
    )
    assert only_sender.returncode == 2
    assert "mail_from is required with a configured database_url" in only_sender.stderr


def test_both_set_is_enough_and_the_embedded_demo_needs_neither(tmp_path: Path) -> None:
    chosen = configured(
        tmp_path,
        KIOSK_PUBLIC_URL="https://espace.eaux.example",
        KIOSK_MAIL_FROM="Espace Client <ne-pas-repondre@eaux.example>",
    )
    config.require_serving_settings(load_settings(environ=chosen, cwd=tmp_path))
    embedded = load_settings(environ={}, cwd=tmp_path)
    config.require_serving_settings(embedded)
    assert embedded.public_url == "http://127.0.0.1:8080"
    assert embedded.mail_from.endswith(".invalid>")  # a name no one can hold


def test_demo_data_on_a_configured_database_needs_the_command_and_its_force(
    tmp_path: Path,
) -> None:
    chosen = configured(tmp_path, KIOSK_DEMO_DATA="true")
    with pytest.raises(ConfigError, match="demo-data --force"):
        config.refuse_demo_data_at_start(load_settings(environ=chosen, cwd=tmp_path))
    refused = kiosk(tmp_path, "init-db", **chosen)
    assert refused.returncode == 2 and "demo_data = true" in refused.stderr
    assert not (tmp_path / "production.db").exists()  # nothing was loaded, not even created


def test_the_readme_sample_configuration_uses_no_placeholder_domain() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert 'public_url = "https://espaceclients.example.fr"' not in readme
    assert "example.fr>" not in readme
