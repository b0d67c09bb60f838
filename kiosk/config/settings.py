"""The typed settings object: every setting with its default and meaning, and what is
derived from them (:mod:`kiosk.config.loading` reads them from a file and the environment)."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal

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
    links open on the same machine); required with a configured ``database_url``
    (:func:`kiosk.config.require_serving_settings`): a placeholder domain would receive every
    code clicked."""

    mail_transport: Literal["maildir", "smtp"] = "maildir"
    """``maildir`` writes e-mails into a local folder (demo); ``smtp`` sends them to a relay."""

    maildir: Path | None = None
    """Folder of the maildir transport (default: ``<data_dir>/mail``)."""

    mail_from: str = ""
    """Sender of every e-mail. Default: a placeholder on the embedded default (the demo's
    e-mails stay in the maildir); required with a configured ``database_url``."""

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

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    """Level of the log file (and of standard error for ``kiosk mailer`` and ``kiosk web``)."""

    log_format: Literal["text", "json"] = "text"
    """``text``: one readable line per record; ``json``: one JSON object per line (time, level,
    kiosk id, event, masked e-mail, message) for a log shipper."""

    # -- speech and contrast (SPEC §12) -------------------------------------------------------

    speech: Literal["off", "on"] = "off"
    """``on``: the kiosk says what it shows (F1 toggles it for the customer)."""

    speech_command: str = "espeak-ng -v {voice} --stdout | aplay -q"
    """Shell command that says the text on its standard input; ``{voice}`` is the espeak-ng
    voice of the language (``fr-fr``, ``en-gb``)."""

    speech_output: str = ""
    """Empty: ``speech_command``. ``wav:DIR``: each utterance written as a WAV file in DIR, its
    text a line of ``DIR/spoken.txt`` (tests, or a kiosk without a sound card)."""

    theme: Literal["kiosk", "contrast"] = "kiosk"
    """``contrast``: the high-contrast theme (every text at least 7:1); ctrl+T switches."""

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
        if self.embedded and not self.public_url:
            object.__setattr__(self, "public_url", f"http://{self.web_listen}")
        if self.embedded and not self.mail_from:
            object.__setattr__(self, "mail_from", DEMO_MAIL_FROM)

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


# -- the web companion's settings (SPEC §8) ----------------------------------------------

DEMO_MAIL_FROM = "Espace Client <ne-pas-repondre@espace-client.invalid>"
"""The embedded demo's sender: a reserved name (RFC 2606) that no one can hold."""


def split_host_port(listen: str) -> tuple[str, int]:
    """``127.0.0.1:8080`` -> ``("127.0.0.1", 8080)``; ``[::1]:9090`` -> ``("::1", 9090)``.

    Raises:
        ConfigError: no port, or a port out of range.
    """
    host, colon, port = listen.rpartition(":")
    if not colon or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"web_listen: expected host:port, got {listen!r}")
    return host.removeprefix("[").removesuffix("]") or "127.0.0.1", int(port)
