"""The message for each refusal a service can raise, for both front ends.

The kiosk's screens and the web companion's pages read the same sentences from here.
"""

from __future__ import annotations

from kiosk.domain.catalogue import text
from kiosk.domain.errors import (
    AccountLocked,
    AccountNotActivated,
    CodeExpired,
    CodeInvalid,
    ContractAlreadyActive,
    DomainError,
    DraftMissing,
    DraftRefused,
    InvalidCredentials,
    InvalidInput,
    InvoiceNotFound,
    OperatorNotServed,
    PasswordRejected,
    ReadingBelowLast,
    ReadingNeedsConfirmation,
    SessionExpired,
    SubscriberNotFound,
    TooManyAttempts,
    UnknownCommune,
)
from kiosk.domain.results import OperatorInfo
from kiosk.domain.states import CodePurpose, PasswordRefusal
from kiosk.translations import SOURCE_LANGUAGE

_SIMPLE: dict[type[DomainError], str] = {
    SubscriberNotFound: "subscriber_not_found",
    ContractAlreadyActive: "contract_already_active",
    CodeInvalid: "code_invalid",
    InvalidCredentials: "invalid_credentials",
    AccountNotActivated: "account_not_activated",
    SessionExpired: "session_expired",
    OperatorNotServed: "operator_not_served_here",
    UnknownCommune: "unknown_commune",
    InvoiceNotFound: "invoice_not_found",
    ReadingNeedsConfirmation: "reading_confirm",
    DraftMissing: "web_draft_restart",
}

_PASSWORD_REFUSED = {refusal: f"password_{refusal}" for refusal in PasswordRefusal}
"""The message of each reason a password is refused (``PasswordRejected.reason``)."""

_CODE_EXPIRED = {
    CodePurpose.ACTIVATION: "code_expired_activation",
    CodePurpose.RESET: "code_expired_reset",
}
"""The message of an expired code, by its purpose (``CodeExpired.purpose``): start again, or
ask for a new reset e-mail."""


def wait_message(error: TooManyAttempts, language: str = SOURCE_LANGUAGE) -> str:
    """« Trop de tentatives… » with the wait in minutes (1 minute, 2 minutes)."""
    if error.minutes == 1:
        return text("too_many_attempts_one", language)
    return text("too_many_attempts", language, minutes=error.minutes)


def describe(error: DomainError, language: str = SOURCE_LANGUAGE) -> str:
    """The message a customer reads for ``error`` in ``language``; never a value they typed.

    An outage is no refusal: each front end shows its own page until the database is back, and
    never asks for its message.
    """
    if isinstance(error, InvalidInput):
        return text(error.rule, language)
    if isinstance(error, PasswordRejected):
        return text(_PASSWORD_REFUSED[error.reason], language)
    if isinstance(error, AccountLocked):
        # A stranger's wrong passwords must not keep the owner out: the reset lifts the wait.
        return f"{wait_message(error, language)} {text('signin_locked_way_out', language)}"
    if isinstance(error, TooManyAttempts):
        return wait_message(error, language)
    if isinstance(error, ReadingBelowLast):
        return text("reading_below_last", language, last=error.last_index)
    if isinstance(error, DraftRefused):
        # The first, in the form's order.
        return describe(next(iter(error.problems.values())), language)
    if isinstance(error, CodeExpired):
        return text(_CODE_EXPIRED[error.purpose], language)
    for kind, key in _SIMPLE.items():
        if isinstance(error, kind):
            return text(key, language)
    raise TypeError(f"no message for {type(error).__name__}")  # a bug: the apology screen


def operator_contact(operator: OperatorInfo, language: str = SOURCE_LANGUAGE) -> str:
    """`` au 04 00 00 00 01 ou sur https://...``: how to reach an operator not served here."""
    contact = text("contact_phone", language, phone=operator.phone) if operator.phone else ""
    if operator.website:
        if contact:
            contact += text("contact_or", language)
        contact += text("contact_website", language, website=operator.website)
    return contact
