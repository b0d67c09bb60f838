"""Named states stored in columns or carried by refusals: no bare strings compared in three places.

Pure: importable by screens, the web companion and storage alike. Each member is a ``str``, so
that it is written to and read from its ``VARCHAR`` column unchanged (the schema does not move).
"""

from __future__ import annotations

from enum import StrEnum


class AccountStatus(StrEnum):
    """``accounts.status``: a customer space waits for its activation code, then is active."""

    PENDING = "pending"
    ACTIVE = "active"


class CodePurpose(StrEnum):
    """``codes.purpose``: what a one-time code opens."""

    ACTIVATION = "activation"
    """E-mailed at registration; activates the account and signs the customer in."""
    RESET = "reset"
    """E-mailed on "Mot de passe oublié"; lets the customer choose a new password."""
    RESET_GRANT = "reset_grant"
    """No longer issued (a reset code is now used with the new password); the rows an older
    version wrote are cancelled with the reset codes and never accepted."""


class DraftStep(StrEnum):
    """``registration_drafts.step``: the last step a web registration has taken."""

    COMMUNE = "commune"
    """A commune served here is chosen; the identity comes next."""
    IDENTITY = "identity"
    """The identity is given (the password sealed); the contract comes next."""


class OutboxStatus(StrEnum):
    """``outbox.status``: an e-mail waits, was handed to the relay, or was given up."""

    PENDING = "pending"
    SENT = "sent"
    ABANDONED = "abandoned"


class DeliveryOutcome(StrEnum):
    """What recording a failed delivery did to the message."""

    RETRY = "pending"
    """Back in the outbox for a later attempt."""
    ABANDONED = "abandoned"
    """Fifth failure: given up, bodies erased."""
    LOST = "lost"
    """No longer leased to this worker (another took it over, or it was done already)."""


class PasswordRefusal(StrEnum):
    """``PasswordRejected.reason``: why a new password is refused (``password_<value>`` is
    its catalogue key)."""

    CHECKLIST = "checklist"
    """A rule of the on-screen checklist is not met (length, classes, confirmation)."""
    FORBIDDEN_CHARACTERS = "forbidden_characters"
    TOO_LONG = "too_long"
    COMMON = "common"
    CONTAINS_CONTRACT = "contains_contract"
    CONTAINS_METER = "contains_meter"
    CONTAINS_EMAIL = "contains_email"
