"""The French message for each refusal a service can raise, for both front ends.

The kiosk's screens and the web companion's pages read the same sentences from here.
"""

from __future__ import annotations

from kiosk.catalogue import text
from kiosk.errors import (
    AccountLocked,
    AccountNotActivated,
    CodeExpired,
    CodeInvalid,
    ContractAlreadyActive,
    DomainError,
    InvalidCredentials,
    InvalidInput,
    OperatorNotServed,
    PasswordRejected,
    SessionExpired,
    SubscriberNotFound,
    TooManyAttempts,
    UnknownCommune,
)

_SIMPLE: dict[type[DomainError], str] = {
    SubscriberNotFound: "subscriber_not_found",
    ContractAlreadyActive: "contract_already_active",
    CodeInvalid: "code_invalid",
    InvalidCredentials: "invalid_credentials",
    AccountNotActivated: "account_not_activated",
    SessionExpired: "session_expired",
    OperatorNotServed: "operator_not_served_here",
    UnknownCommune: "unknown_commune",
}

_PASSWORD_REFUSED = {
    "checklist": "password_checklist",
    "too_long": "password_too_long",
    "common": "password_common",
    "contains_contract": "password_contains_contract",
    "contains_meter": "password_contains_meter",
    "contains_email": "password_contains_email",
    "forbidden_characters": "password_forbidden_characters",
}
"""The message of each reason a password is refused (``PasswordRejected.reason``)."""

_CODE_EXPIRED = {"activation": "code_expired_activation", "reset": "code_expired_reset"}
"""The message of an expired code, by its purpose (``CodeExpired.purpose``): start again, or
ask for a new reset e-mail."""


def wait_message(error: TooManyAttempts) -> str:
    """« Trop de tentatives… » with the wait in minutes (1 minute, 2 minutes)."""
    if error.minutes == 1:
        return text("too_many_attempts_one")
    return text("too_many_attempts", minutes=error.minutes)


def describe(error: DomainError) -> str:
    """The message a customer reads for ``error``; never a value they typed.

    An outage is no refusal: each front end shows its own page until the database is back, and
    never asks for its message.
    """
    if isinstance(error, InvalidInput):
        return text(error.rule)
    if isinstance(error, PasswordRejected):
        return text(_PASSWORD_REFUSED[error.reason])
    if isinstance(error, AccountLocked):
        # A stranger's wrong passwords must not keep the owner out: the reset lifts the wait.
        return f"{wait_message(error)} {text('signin_locked_way_out')}"
    if isinstance(error, TooManyAttempts):
        return wait_message(error)
    if isinstance(error, CodeExpired):
        return text(_CODE_EXPIRED.get(error.purpose, "code_expired_reset"))
    for kind, key in _SIMPLE.items():
        if isinstance(error, kind):
            return text(key)
    raise TypeError(f"no message for {type(error).__name__}")  # a bug: the apology screen
