"""One typed settings object, read from a TOML file and ``KIOSK_*`` environment variables."""

from __future__ import annotations

import dataclasses
import os
import secrets
import socket
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args, get_type_hints

MIN_SECRET_KEY_BYTES = 32
"""A configured secret key shorter than this stops the start."""

SECRET_SETTINGS = frozenset({"secret_key", "smtp_password", "agent_pin_hash", "database_url"})
"""Settings whose value is never printed: not in ``repr``, not in a configuration error
(``database_url`` may carry the database's password)."""

DEMO_AGENT_PIN = "0000"
"""The agent PIN of the embedded demo (no configured database, demo data): never valid
elsewhere (:attr:`Settings.demo_pin_allowed`)."""


class ConfigError(Exception):
    """The configuration cannot be used; the message says why and what to change."""


@dataclass(frozen=True)
class Settings:
    """Everything a kiosk, a mailer or a command needs to know about its installation."""

    data_dir: Path = Path("kiosk-data")
    """Local folder for the embedded SQLite database, the maildir, the secret key and the logs."""

    database_url: str = ""
    """``sqlite+aiosqlite:///...`` (default: ``<data_dir>/kiosk.db``) or ``postgresql+asyncpg://...``."""

    kiosk_id: str = field(default_factory=socket.gethostname)
    """The name of this terminal, used for throttles and logs."""

    secret_key: str = ""
    """Key of the HMAC that stores codes; shared by every kiosk of one installation.
    Empty: generated once into ``<data_dir>/secret.key`` (mode 0600)."""

    public_url: str = ""
    """Base of the links carried by e-mails (``<public_url>/code?c=...``): the web companion's
    public address. Default: ``http://`` + ``web_listen`` on the embedded default (the demo's
    links open on the same machine), ``https://espaceclients.example.fr`` otherwise."""

    mail_transport: Literal["maildir", "smtp"] = "maildir"
    """``maildir`` writes e-mails into a local folder (demo); ``smtp`` sends them to a relay."""

    maildir: Path | None = None
    """Folder of the maildir transport (default: ``<data_dir>/mail``)."""

    mail_from: str = "Espace Client <ne-pas-repondre@espaceclients.example.fr>"
    """Sender of every e-mail."""

    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    """``starttls`` upgrades a plain connection, ``tls`` connects over TLS, ``none`` neither."""
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout_seconds: float = 30.0

    mailer_in_process: bool = True
    """``kiosk run`` delivers the outbox itself; set false when a ``kiosk mailer`` runs."""

    activation_ttl_hours: float = 48.0
    reset_ttl_minutes: float = 60.0
    session_minutes: float = 15.0
    idle_seconds: float = 120.0
    idle_countdown_seconds: float = 30.0

    agent_pin_hash: str = ""
    """argon2 hash of the agent PIN (``kiosk hash-pin``). Empty: only the demo PIN, and only
    on the embedded default database with its demo data (:attr:`demo_pin_allowed`)."""

    demo_data: bool | None = None
    """Load the demo data on first start. Default: only on the embedded default database."""

    hash_concurrency: int = 0
    """Password hashes computed at once (0: one per core)."""

    db_pool_size: int = 5
    """Connections kept open to PostgreSQL by one process."""

    log_level: str = "INFO"

    log_format: Literal["text", "json"] = "text"
    """``text``: one readable line per record; ``json``: one JSON object per line (time, level,
    kiosk id, event, masked e-mail, message) for a log shipper."""

    # -- the web companion (SPEC §8) ---------------------------------------------------------

    web_listen: str = "127.0.0.1:8080"
    """``host:port`` on which ``kiosk run`` serves the web companion in-process, and the default
    address of ``kiosk web`` (``[::1]:8080`` for IPv6)."""

    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks (CIDR) of the reverse proxies whose ``X-Forwarded-For`` names the
    client; a TOML list, or comma-separated in ``KIOSK_TRUSTED_PROXIES``. Empty: the peer is
    the client."""

    metrics_allow: tuple[str, ...] = ("127.0.0.1/32", "::1/128")
    """Addresses or networks allowed to read the web companion's metrics."""

    def __post_init__(self) -> None:
        if not self.public_url:
            default = f"http://{self.web_listen}" if self.embedded else _EXAMPLE_PUBLIC_URL
            object.__setattr__(self, "public_url", default)

    @property
    def web_host_port(self) -> tuple[str, int]:
        """``web_listen`` split: ``("127.0.0.1", 8080)``; brackets of IPv6 removed."""
        return split_host_port(self.web_listen)

    @property
    def embedded(self) -> bool:
        """True when no database was configured: the local SQLite demo installation."""
        return not self.database_url

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'kiosk.db').resolve()}"

    @property
    def resolved_maildir(self) -> Path:
        return self.maildir if self.maildir is not None else self.data_dir / "mail"

    @property
    def load_demo_data(self) -> bool:
        return self.embedded if self.demo_data is None else self.demo_data

    @property
    def demo_pin_allowed(self) -> bool:
        """True when the demo PIN may open the kiosk: the embedded database, on its demo data.

        Anywhere else ``kiosk run`` refuses to start without ``agent_pin_hash``.
        """
        return self.embedded and self.load_demo_data

    @property
    def resolved_hash_concurrency(self) -> int:
        return self.hash_concurrency or (os.cpu_count() or 1)

    def __repr__(self) -> str:  # never print secrets
        shown = {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in SECRET_SETTINGS
        }
        shown["database_url"] = _without_password(self.database_url)
        return f"Settings({shown})"


def _without_password(url: str) -> str:
    """``postgresql+asyncpg://kiosk:secret@db/kiosk`` -> ``...://kiosk:***@db/kiosk``."""
    scheme, separator, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not separator or not at or ":" not in credentials:
        return url
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


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

_EXAMPLE_PUBLIC_URL = "https://espaceclients.example.fr"


def split_host_port(listen: str) -> tuple[str, int]:
    """``127.0.0.1:8080`` -> ``("127.0.0.1", 8080)``; ``[::1]:9090`` -> ``("::1", 9090)``.

    Raises:
        ConfigError: no port, or a port out of range.
    """
    host, colon, port = listen.rpartition(":")
    if not colon or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"web_listen: expected host:port, got {listen!r}")
    return host.removeprefix("[").removesuffix("]") or "127.0.0.1", int(port)


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
    if not settings.public_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"public_url: expected http://... or https://..., got {settings.public_url!r}"
        )
