"""Reading the settings: a TOML file, then ``KIOSK_*`` environment variables over it, each
value coerced to its field's type and checked; and the embedded installation's secret key."""

from __future__ import annotations

import dataclasses
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any, Literal, get_args, get_type_hints

from kiosk.config.settings import MIN_SECRET_KEY_BYTES, SECRET_SETTINGS, ConfigError, Settings


def _shown(name: str, raw: Any) -> str:
    """The wrong value, for the error message; for a secret setting only its kind."""
    if name in SECRET_SETTINGS:
        return f"a value of type {type(raw).__name__} (not shown: {name} is secret)"
    return repr(raw)


def _coerce(name: str, hint: Any, raw: Any) -> Any:
    """Turn a TOML or environment value into the type the field declares."""
    text = raw if isinstance(raw, str) else None
    if hint is bool or hint == (bool | None):
        if isinstance(raw, bool):
            return raw
        if text is not None and text.strip().lower() in {"1", "true", "yes", "on"}:
            return True
        if text is not None and text.strip().lower() in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"{name}: expected true or false, got {_shown(name, raw)}")
    if hint is int:
        try:
            return int(raw)
        except (TypeError, ValueError):
            shown = _shown(name, raw)
            raise ConfigError(f"{name}: expected a whole number, got {shown}") from None
    if hint is float:
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{name}: expected a number, got {_shown(name, raw)}") from None
        if value <= 0:
            raise ConfigError(f"{name}: must be greater than 0")
        return value
    if hint is Path or hint == (Path | None):
        return Path(str(raw)).expanduser()
    if hint == tuple[str, ...]:
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{name}: expected a list of texts, got {raw!r}")
        return tuple(item.strip() for item in items if item.strip())
    if getattr(hint, "__origin__", None) is Literal:
        choices = get_args(hint)
        if raw not in choices:
            expected = ", ".join(choices)
            raise ConfigError(f"{name}: expected one of {expected}, got {_shown(name, raw)}")
        return raw
    if not isinstance(raw, str):
        raise ConfigError(f"{name}: expected text, got {_shown(name, raw)}")
    return raw


def load_settings(
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Read the settings: TOML file, then ``KIOSK_*`` variables over it.

    Args:
        config_file: ``--config``; else ``kiosk.toml`` in ``cwd`` when present.
        environ: the environment (default: ``os.environ``).
        cwd: the working directory (default: the process's).

    Raises:
        ConfigError: unreadable file, unknown setting, wrong type, short secret key.
    """
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    if config_file is None and (cwd / "kiosk.toml").is_file():
        config_file = cwd / "kiosk.toml"
    values: dict[str, Any] = {}
    if config_file is not None:
        try:
            with config_file.open("rb") as stream:
                values.update(tomllib.load(stream))
        except OSError as error:
            raise ConfigError(f"cannot read {config_file}: {error.strerror}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{config_file} is not valid TOML: {error}") from None
    hints = get_type_hints(Settings)
    names = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise ConfigError(f"unknown setting(s) in {config_file}: {', '.join(unknown)}")
    for name in names:
        env_value = environ.get(f"KIOSK_{name.upper()}")
        if env_value is not None:
            values[name] = env_value
    if isinstance(values.get("log_level"), str):
        values["log_level"] = values["log_level"].upper()  # "info" is as good as "INFO"
    coerced = {name: _coerce(name, hints[name], raw) for name, raw in values.items()}
    settings = Settings(**coerced)
    _check_web_settings(settings)
    if settings.secret_key and len(settings.secret_key.encode()) < MIN_SECRET_KEY_BYTES:
        raise ConfigError(
            f"secret_key is too short: at least {MIN_SECRET_KEY_BYTES} bytes are needed "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    if not settings.embedded and not settings.secret_key:
        raise ConfigError(
            "secret_key is required with a configured database_url: every kiosk of one "
            "installation must share it"
        )
    return settings


def ensure_secret_key(settings: Settings) -> Settings:
    """Return settings whose secret key is set, generating the embedded one on first use.

    The generated key lives in ``<data_dir>/secret.key`` with mode 0600.
    """
    if settings.secret_key:
        return settings
    path = settings.data_dir / "secret.key"
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        key = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: read theirs
        else:
            with os.fdopen(fd, "w") as stream:
                stream.write(key + "\n")
    key = path.read_text().strip()
    if len(key.encode()) < MIN_SECRET_KEY_BYTES:
        raise ConfigError(f"{path} holds a key shorter than {MIN_SECRET_KEY_BYTES} bytes")
    return dataclasses.replace(settings, secret_key=key)


# -- the web companion's settings (SPEC §8) ----------------------------------------------


def _check_web_settings(settings: Settings) -> None:
    """Raise :class:`ConfigError` for a web setting that cannot be used."""
    import ipaddress

    settings.web_host_port  # noqa: B018 - raises ConfigError when malformed
    for name in ("trusted_proxies", "metrics_allow"):
        for network in getattr(settings, name):
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ConfigError(f"{name}: {network!r} is not an address or network") from None
    if settings.public_url and not settings.public_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"public_url: expected http://... or https://..., got {settings.public_url!r}"
        )


SERVING_COMMANDS = frozenset({"run", "web", "mailer"})
"""The commands that send e-mails or serve the web companion."""


def require_serving_settings(settings: Settings) -> None:
    """Raise :class:`ConfigError` when a configured installation would send or serve with a
    setting it must choose itself: a placeholder public address would receive every code
    that a customer clicks, a placeholder sender would speak for someone else's domain; and
    demo rows loaded at start into what may be production (:func:`refuse_demo_data_at_start`)."""
    refuse_demo_data_at_start(settings)
    if settings.embedded:
        return
    missing = [name for name in ("public_url", "mail_from") if not getattr(settings, name)]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise ConfigError(
            f"{' and '.join(missing)} {verb} required with a configured database_url: set "
            + ", ".join(_REQUIRED_EXAMPLES[name] for name in missing)
            + " (the e-mails' links and sender must be this installation's own)"
        )


def refuse_demo_data_at_start(settings: Settings) -> None:
    """Raise :class:`ConfigError` for ``demo_data = true`` on a configured database: every
    command would load demo rows into it at start, without the ``--force`` that
    ``kiosk demo-data`` asks for there."""
    if not settings.embedded and settings.demo_data:
        raise ConfigError(
            "demo_data = true on a configured database_url would load demo rows into it at "
            "start: remove it, and load them once with `kiosk demo-data --force` if you mean it"
        )


_REQUIRED_EXAMPLES = {
    "public_url": 'public_url = "https://<the web companion\'s public address>"',
    "mail_from": 'mail_from = "Espace Client <ne-pas-repondre@<your domain>>"',
}
