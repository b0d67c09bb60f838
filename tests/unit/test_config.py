"""Settings from TOML and KIOSK_* variables; the secret key rules."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.config import ConfigError, ensure_secret_key, load_settings


def test_embedded_default(tmp_path: Path) -> None:
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.embedded and settings.load_demo_data
    assert settings.mail_transport == "maildir"
    assert settings.resolved_database_url.startswith("sqlite+aiosqlite:///")


def test_toml_then_environment(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text(
        'kiosk_id = "agence-aix-1"\nsmtp_port = 2525\nmail_transport = "smtp"\n'
        'database_url = "postgresql+asyncpg://kiosk:pg-Secret@db/kiosk"\n'
        f'secret_key = "{"s" * 40}"\n'
    )
    settings = load_settings(
        environ={"KIOSK_SMTP_PORT": "465", "KIOSK_MAILER_IN_PROCESS": "no"}, cwd=tmp_path
    )
    assert settings.kiosk_id == "agence-aix-1"
    assert settings.smtp_port == 465
    assert settings.mailer_in_process is False
    assert not settings.embedded and not settings.load_demo_data
    assert "s" * 40 not in repr(settings)
    assert "pg-Secret" not in repr(settings) and "kiosk:***@db/kiosk" in repr(settings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"KIOSK_SECRET_KEY": "too-short"}, "too short"),
        ({"KIOSK_SMTP_PORT": "vingt"}, "smtp_port"),
        ({"KIOSK_MAIL_TRANSPORT": "pigeon"}, "mail_transport"),
        ({"KIOSK_LOG_LEVEL": "verbose"}, "log_level: expected one of"),
        ({"KIOSK_DATABASE_URL": "postgresql+asyncpg://x/y"}, "secret_key is required"),
    ],
)
def test_bad_configuration_stops_with_a_clear_message(
    tmp_path: Path, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ=environ, cwd=tmp_path)


def test_unknown_setting_in_file(tmp_path: Path) -> None:
    config = tmp_path / "site.toml"
    config.write_text("smtp_hots = 'relay'\n")
    with pytest.raises(ConfigError, match="smtp_hots"):
        load_settings(config, environ={}, cwd=tmp_path)


def test_embedded_secret_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    settings = load_settings(environ={"KIOSK_DATA_DIR": str(tmp_path / "d")}, cwd=tmp_path)
    first = ensure_secret_key(settings)
    second = ensure_secret_key(settings)
    key_file = tmp_path / "d" / "secret.key"
    assert first.secret_key == second.secret_key and len(first.secret_key) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_web_settings_default_to_the_companion_on_this_machine(tmp_path: Path) -> None:
    settings = load_settings(environ={}, cwd=tmp_path)
    assert settings.web_listen == "127.0.0.1:8080"
    assert settings.public_url == "http://127.0.0.1:8080"
    assert settings.trusted_proxies == ()
    moved = load_settings(environ={"KIOSK_WEB_LISTEN": "127.0.0.1:9090"}, cwd=tmp_path)
    assert moved.public_url == "http://127.0.0.1:9090"
    assert moved.web_host_port == ("127.0.0.1", 9090)


def test_web_settings_from_toml_and_environment(tmp_path: Path) -> None:
    (tmp_path / "kiosk.toml").write_text(
        'public_url = "https://espace.eaux.example"\n'
        'trusted_proxies = ["10.0.0.5", "192.168.10.0/24"]\n'
        'web_listen = "[::1]:8081"\n'
    )
    settings = load_settings(environ={"KIOSK_METRICS_ALLOW": "10.1.0.0/16, ::1"}, cwd=tmp_path)
    assert settings.public_url == "https://espace.eaux.example"
    assert settings.trusted_proxies == ("10.0.0.5", "192.168.10.0/24")
    assert settings.metrics_allow == ("10.1.0.0/16", "::1")
    assert settings.web_host_port == ("::1", 8081)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"KIOSK_WEB_LISTEN": "8080"}, "web_listen"),
        ({"KIOSK_WEB_LISTEN": "127.0.0.1:99999"}, "web_listen"),
        ({"KIOSK_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, "trusted_proxies"),
        ({"KIOSK_PUBLIC_URL": "espace.example"}, "public_url"),
    ],
)
def test_bad_web_settings_stop_with_a_clear_message(
    tmp_path: Path, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ=environ, cwd=tmp_path)


def test_the_log_level_is_read_in_any_case(tmp_path: Path) -> None:
    assert load_settings(environ={"KIOSK_LOG_LEVEL": "debug"}, cwd=tmp_path).log_level == "DEBUG"
