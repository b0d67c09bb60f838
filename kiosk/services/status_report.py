"""What ``kiosk status`` and ``/metrics`` report about an installation: plain data, thresholds,
and the two renderings of the command (text for a person, JSON for a script)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

RECENT = timedelta(hours=24)
"""The window of "in the last 24 h" (sent, abandoned, registrations, kiosks seen)."""
QUEUED_TOO_LONG = timedelta(minutes=15)
"""A message waiting longer than this means mail is not flowing."""
HEARTBEAT_INTERVAL = timedelta(minutes=1)
"""How often ``kiosk run`` records its heartbeat."""
SILENT_AFTER = 3 * HEARTBEAT_INTERVAL
"""A kiosk whose last heartbeat is older than this is shown as silent (dark)."""


@dataclass(frozen=True)
class OutboxFigures:
    queued: int
    sent: int
    """Sent messages still kept (30 days)."""
    abandoned: int
    """Abandoned messages still kept (30 days)."""
    sent_24h: int
    abandoned_24h: int
    oldest_queued_age_seconds: float | None
    """None when nothing waits."""


@dataclass(frozen=True)
class AccountFigures:
    active: int
    pending: int
    registrations_24h: int
    activations_24h: int


@dataclass(frozen=True)
class KioskLife:
    """One kiosk seen in the last 24 h."""

    kiosk_id: str
    last_heartbeat_age_seconds: float
    running_since: datetime

    @property
    def silent(self) -> bool:
        return self.last_heartbeat_age_seconds > SILENT_AFTER.total_seconds()


@dataclass(frozen=True)
class SchemaState:
    applied: str | None
    """The database's migration; None when it was never migrated."""
    newest: str
    """The newest migration this version of the kiosk knows."""

    @property
    def up_to_date(self) -> bool:
        return self.applied == self.newest


@dataclass(frozen=True)
class EventTotals:
    """Auth events since the installation began (the audit trail is never purged)."""

    registrations: int
    activations: int
    password_resets: int
    signin_failures: int
    throttled: dict[str, int] = field(default_factory=dict)
    """Refusals by throttle (``signin``, ``contract_check``, ``wrong_code``, ...)."""


@dataclass(frozen=True)
class InstallationStatus:
    """The installation at ``at``; the figures are None while the schema is not the newest."""

    at: datetime
    schema: SchemaState
    outbox: OutboxFigures | None = None
    accounts: AccountFigures | None = None
    kiosks: list[KioskLife] = field(default_factory=list)
    totals: EventTotals | None = None

    def problems(self) -> list[str]:
        """What needs a person, one sentence each; empty when all is well."""
        found = []
        if not self.schema.up_to_date:
            found.append(
                f"the database schema is at {self.schema.applied or 'nothing'}, this version "
                f"needs {self.schema.newest}: run kiosk init-db"
            )
        if self.outbox is not None:
            if self.outbox.abandoned_24h:
                found.append(
                    f"{self.outbox.abandoned_24h} e-mail(s) abandoned in the last 24 h: "
                    "check the mail relay and the mailers' logs"
                )
            age = self.outbox.oldest_queued_age_seconds
            if age is not None and age > QUEUED_TOO_LONG.total_seconds():
                found.append(
                    f"an e-mail has waited {_duration(age)} (more than "
                    f"{_duration(QUEUED_TOO_LONG.total_seconds())}): is a mailer running?"
                )
        return found

    @property
    def needs_attention(self) -> bool:
        return bool(self.problems())

    def as_json(self) -> dict[str, Any]:
        """The figures for a script (``kiosk status --json``)."""
        return {
            "at": self.at.isoformat(),
            "needs_attention": self.needs_attention,
            "problems": self.problems(),
            "outbox": None
            if self.outbox is None
            else {
                "queued": self.outbox.queued,
                "sent_24h": self.outbox.sent_24h,
                "abandoned_24h": self.outbox.abandoned_24h,
                "oldest_queued_age_seconds": _rounded(self.outbox.oldest_queued_age_seconds),
            },
            "accounts": None
            if self.accounts is None
            else {
                "active": self.accounts.active,
                "pending": self.accounts.pending,
                "registrations_24h": self.accounts.registrations_24h,
                "activations_24h": self.accounts.activations_24h,
            },
            "kiosks": [
                {
                    "kiosk_id": kiosk.kiosk_id,
                    "last_heartbeat_age_seconds": _rounded(kiosk.last_heartbeat_age_seconds),
                    "silent": kiosk.silent,
                    "running_since": kiosk.running_since.isoformat(),
                }
                for kiosk in self.kiosks
            ],
            "schema": {
                "applied": self.schema.applied,
                "newest": self.schema.newest,
                "up_to_date": self.schema.up_to_date,
            },
        }

    def as_text(self) -> str:
        """One screen of plain text for a person (``kiosk status``)."""
        state = "NEEDS ATTENTION" if self.needs_attention else "ok"
        lines = [f"Espace Client, {self.at:%Y-%m-%d %H:%M:%S} UTC: {state}"]
        newest = "the newest" if self.schema.up_to_date else f"behind {self.schema.newest}"
        lines.append(f"schema    {self.schema.applied or 'never migrated'} ({newest})")
        if self.outbox is None or self.accounts is None:
            lines.append("(the other figures need the newest schema)")
        else:
            outbox, accounts = self.outbox, self.accounts
            oldest = outbox.oldest_queued_age_seconds
            waiting = f", the oldest for {_duration(oldest)}" if oldest is not None else ""
            lines.append(f"outbox    {outbox.queued} queued{waiting}")
            lines.append(
                f"          last 24 h: {outbox.sent_24h} sent, {outbox.abandoned_24h} abandoned"
            )
            lines.append(f"accounts  {accounts.active} active, {accounts.pending} pending")
            lines.append(
                f"          last 24 h: {accounts.registrations_24h} registration(s), "
                f"{accounts.activations_24h} activation(s)"
            )
            if not self.kiosks:
                lines.append("kiosks    no heartbeat in the last 24 h")
            width = max((len(_printable(k.kiosk_id)) for k in self.kiosks), default=0)
            for number, kiosk in enumerate(self.kiosks):
                label = "kiosks    " if number == 0 else " " * 10
                age = _duration(kiosk.last_heartbeat_age_seconds)
                news = f"SILENT, last heartbeat {age} ago" if kiosk.silent else f"alive ({age} ago)"
                lines.append(f"{label}{_printable(kiosk.kiosk_id):<{width}}  {news}")
        problems = self.problems()
        if problems:
            lines.append("needs a person:")
            lines.extend(f"  - {problem}" for problem in problems)
        return "\n".join(lines)


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)


def _printable(text: str) -> str:
    """A kiosk id as the terminal may show it (a configured id could hold anything)."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _duration(seconds: float) -> str:
    """``42 s``, ``12 min``, ``3 h 05``, ``2 d 4 h``: enough for a person to judge."""
    seconds = max(0.0, seconds)
    if seconds < 120:
        return f"{seconds:.0f} s"
    minutes = int(seconds // 60)
    if minutes < 120:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"
