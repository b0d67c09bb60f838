"""What services take and return: plain data, importable without the database layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.domain.catalogue import text
from kiosk.domain.states import CodePurpose, DraftStep
from kiosk.translations import SOURCE_LANGUAGE


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
    valid_hours: float
    """How long the activation code lives, as the customer is told."""
    resend_after_seconds: float
    """When the activation e-mail may be sent again (the service's throttle decides)."""


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
    """The result of a valid code: a session (activation), or the reset code accepted, to be
    used with the new password (reset)."""

    purpose: CodePurpose
    """``ACTIVATION`` (``session`` is set) or ``RESET`` (``reset_code`` is set)."""
    session: SignedIn | None = None
    reset_code: str | None = None
    """The reset code, canonical (``XXXX-XXXX-XXXX``); held by the front end until the new
    password is chosen, never shown."""
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

    def rows(self, language: str = SOURCE_LANGUAGE) -> list[tuple[str, str]]:
        """The contract summary both front ends show: (label, value), in their order."""
        return [(text(label, language), getattr(self, name)) for label, name in _SUMMARY_ROWS]


_SUMMARY_ROWS = (
    ("summary_commune", "commune"),
    ("summary_operator", "operator"),
    ("summary_contract", "contract"),
    ("summary_meter", "meter"),
    ("summary_email", "email"),
)
"""Catalogue label, then the summary's attribute."""


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
