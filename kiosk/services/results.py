"""What services take and return: plain data, importable without the database layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.states import CodePurpose, DraftStep


@dataclass(frozen=True)
class RegistrationRequest:
    """What the Identity and Contract screens collected."""

    commune_id: int
    last_name: str
    first_name: str
    email: str
    password: str
    password_confirm: str
    contract: str
    meter: str
    language: str = "fr"
    """The language the customer registered in: the account's e-mails are written in it."""


@dataclass(frozen=True)
class RegistrationReceipt:
    """Handed to the Code screen: the same for a new account and for an address in use."""

    token: str
    """Opaque; lets the Code screen ask for a resend. Never shown."""
    email_masked: str
    expires_at: datetime


@dataclass(frozen=True)
class SignedIn:
    token: str
    """Opaque session token held by the app; never shown."""
    first_name: str
    last_name: str
    expires_at: datetime
    device_pass: str = ""
    """This browser's or kiosk's pass for the address (:mod:`kiosk.services.device_passes`):
    opaque, never shown; the web companion keeps it in a cookie."""


@dataclass(frozen=True)
class Redeemed:
    """The result of a valid code: a session (activation) or a grant to choose a password."""

    purpose: CodePurpose
    """``ACTIVATION`` (``session`` is set) or ``RESET`` (``reset_grant`` is set)."""
    session: SignedIn | None = None
    reset_grant: str | None = None
    email_masked: str = ""
    """The account's address, masked: a reset screen says whose password it sets."""


@dataclass(frozen=True)
class CodeHolder:
    """What a code would open, and for which account (its address masked): a page says so
    before the customer acts, lest a stranger's link put them in the stranger's account."""

    purpose: CodePurpose
    email_masked: str


@dataclass(frozen=True)
class DashboardSummary:
    first_name: str
    last_name: str
    email: str
    commune: str
    operator: str
    contract: str
    meter: str


@dataclass(frozen=True)
class CommuneChoice:
    id: int
    name: str
    territory: str


@dataclass(frozen=True)
class OperatorInfo:
    code: str
    name: str
    served_here: bool
    phone: str
    website: str


@dataclass(frozen=True)
class PurgeReport:
    pending_accounts: int
    codes: int
    sessions: int
    throttle_events: int
    outbox_messages: int
    registration_drafts: int


@dataclass(frozen=True)
class DraftView:
    """What a page shows of a draft; never the password."""

    step: DraftStep
    commune: CommuneChoice
    operator: OperatorInfo
    last_name: str
    first_name: str
    email: str


@dataclass(frozen=True)
class CommuneChosen:
    operator: OperatorInfo
    token: str | None
    """The new draft's token when the operator is served here, else None (no draft)."""
