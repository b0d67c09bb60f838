"""The French message for each refusal a service can raise."""

from __future__ import annotations

from kiosk.catalogue import text
from kiosk.errors import (
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

    An outage is no refusal: :meth:`screens.base.ServiceCalls.call_service` covers the screen
    until the database is back, and never asks for its message.
    """
    if isinstance(error, InvalidInput):
        return text(error.rule)
    if isinstance(error, PasswordRejected):
        return text("password_" + error.reason)
    if isinstance(error, TooManyAttempts):
        return text("too_many_attempts", minutes=error.minutes)
    if isinstance(error, CodeExpired):
        purpose = "activation" if error.purpose == "activation" else "reset"
        return text(f"code_expired_{purpose}")
    for kind, key in _SIMPLE.items():
        if isinstance(error, kind):
            return text(key)
    raise TypeError(f"no message for {type(error).__name__}")  # a bug: the apology screen
