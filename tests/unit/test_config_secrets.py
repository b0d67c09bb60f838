"""A configuration error names the setting at fault but never echoes a secret value."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_settings

SECRET_NUMBER = 98765432101234
"""A value that a hurried administrator might type unquoted in the TOML file."""


@pytest.mark.parametrize("name", ["smtp_password", "secret_key", "agent_pin_hash", "database_url"])
def test_a_wrongly_typed_secret_is_not_echoed(tmp_path: Path, name: str) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(f"{name} = {SECRET_NUMBER}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={}, cwd=tmp_path)
    message = str(caught.value)
    assert name in message and "expected text" in message
    assert str(SECRET_NUMBER) not in message


def test_a_secret_in_a_table_is_not_echoed(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('smtp_password = ["hunter2-secret"]\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(config, environ={}, cwd=tmp_path)
    assert "smtp_password" in str(caught.value) and "hunter2" not in str(caught.value)


def test_an_ordinary_setting_still_shows_the_value_at_fault(tmp_path: Path) -> None:
    """For settings that are not secret, the value helps the administrator: it stays."""
    with pytest.raises(ConfigError, match="'vingt'"):
        load_settings(environ={"KIOSK_SMTP_PORT": "vingt"}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="pigeon"):
        load_settings(environ={"KIOSK_MAIL_TRANSPORT": "pigeon"}, cwd=tmp_path)


def test_a_database_password_is_not_echoed_by_any_error(tmp_path: Path) -> None:
    """A configured database without a secret key: the error does not quote the URL."""
    with pytest.raises(ConfigError) as caught:
        load_settings(
            environ={"KIOSK_DATABASE_URL": "postgresql+asyncpg://kiosk:pg-Secret@db/kiosk"},
            cwd=tmp_path,
        )
    assert "pg-Secret" not in str(caught.value)
