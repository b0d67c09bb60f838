"""What a service can raise: refusals the customer is told about, and infrastructure failures.

A :class:`DomainError` is a refusal, for a front end to turn into its French message. An
:class:`InfrastructureError` is not the customer's doing (the database is away): it is not a
``DomainError``, so that ``except DomainError`` never mistakes an outage for a refusal.
"""

from __future__ import annotations

from kiosk.domain.states import CodePurpose, PasswordRefusal


class DomainError(Exception):
    """A refusal that the customer is told about (never a bug)."""


class InvalidInput(DomainError):
    """A field breaks an input rule."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        """The form field (``contract``, ``meter``, ``email``, ``last_name``, ...)."""
        self.rule = rule
        """The broken rule, a key of the message catalogue."""


class PasswordRejected(DomainError):
    """The password misses a rule of the checklist or is refused by the policy."""

    def __init__(self, reason: PasswordRefusal) -> None:
        super().__init__(str(reason))
        self.reason = reason


class TooManyAttempts(DomainError):
    """A throttle holds; the customer may try again after ``retry_after_seconds``."""

    def __init__(self, retry_after_seconds: float) -> None:
        super().__init__(f"retry after {retry_after_seconds:.0f} s")
        self.retry_after_seconds = retry_after_seconds
        self.recorded = False
        """Set once the refusal is written to the audit trail (it is counted once)."""

    @property
    def minutes(self) -> int:
        """Whole minutes to wait, at least 1, as the customer reads them."""
        return max(1, -(-int(self.retry_after_seconds) // 60))


class AccountLocked(TooManyAttempts):
    """The wait earned by failed sign-ins on one address holds (whoever typed them).

    Unlike a terminal's limit, a completed password reset lifts it: the customer is told so.
    Known and unknown addresses earn it alike.
    """


class SubscriberNotFound(DomainError):
    """No subscriber record matches contract + meter + commune."""


class OperatorNotServed(DomainError):
    """The commune's operator cannot open accounts at this kiosk."""


class ContractAlreadyActive(DomainError):
    """The contract already has an active customer space."""


class UnknownCommune(DomainError):
    """No commune of that name."""


class CodeInvalid(DomainError):
    """The code is not one we issued, or has been used or cancelled."""


class CodeExpired(DomainError):
    """The code is ours but its validity has passed."""

    def __init__(self, purpose: CodePurpose) -> None:
        super().__init__(str(purpose))
        self.purpose = purpose
        """``ACTIVATION`` (start again) or ``RESET`` (ask again)."""


class InvalidCredentials(DomainError):
    """Unknown e-mail or wrong password: the customer cannot tell which."""


class AccountNotActivated(DomainError):
    """Right password, but the account still waits for its activation code."""


class SessionExpired(DomainError):
    """The signed-in session has ended (sign-out, 15 minutes, password reset)."""


class DraftMissing(DomainError):
    """No draft for this browser at this step (none, expired, or steps out of order): the
    registration starts again at the commune."""


class DraftRefused(DomainError):
    """Some fields break their rules; nothing was kept of this step."""

    def __init__(self, problems: dict[str, DomainError]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems
        """The problem of each bad field, by the request's field name."""


class InfrastructureError(Exception):
    """A part the services depend on failed; not a refusal, never the customer's doing."""


class ServiceUnavailable(InfrastructureError):
    """The database cannot be reached; front ends wait for it to answer again."""


class WriteConflict(InfrastructureError):
    """Another transaction wrote the same unique key at the same moment; the work can start
    again from what it wrote."""
