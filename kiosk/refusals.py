"""The French message for each refusal a service can raise, for every front end.

The kiosk's screens (``screens/feedback.py``) and the web companion read the same sentences.
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


def describe(error: DomainError) -> str:
    """The message a customer reads for ``error``; never a value they typed.

    Raises:
        TypeError: a refusal without a message (a bug).
    """
    if isinstance(error, InvalidInput):
        return text(error.rule)
    if isinstance(error, PasswordRejected):
        return text("password_" + error.reason)
    if isinstance(error, AccountLocked):
        # A stranger's wrong passwords must not keep the owner out: the reset lifts the wait.
        wait = text("too_many_attempts", minutes=error.minutes)
        return f"{wait} {text('signin_locked_way_out')}"
    if isinstance(error, TooManyAttempts):
        return text("too_many_attempts", minutes=error.minutes)
    if isinstance(error, CodeExpired):
        purpose = "activation" if error.purpose == "activation" else "reset"
        return text(f"code_expired_{purpose}")
    for kind, key in _SIMPLE.items():
        if isinstance(error, kind):
            return text(key)
    raise TypeError(f"no message for {type(error).__name__}")
