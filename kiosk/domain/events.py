"""The steps of authentication the audit trail records (``auth_events.event``), and the
throttles whose refusals it counts: named once, written and read back through these enums."""

from __future__ import annotations

from enum import StrEnum

from kiosk.domain.states import CodePurpose


class Throttle(StrEnum):
    """A throttle whose refusals ``kiosk status`` and ``/metrics`` count (a metric label)."""

    SIGNIN = "signin"
    CONTRACT_CHECK = "contract_check"
    WRONG_CODE = "wrong_code"
    ACTIVATION_RESEND = "activation_resend"
    REGISTRATION_MAIL = "registration_mail"
    RESET_MAIL = "reset_mail"


class AuthEventName(StrEnum):
    """``auth_events.event``: one step of authentication (the e-mail masked, never a secret).

    Each member is a ``str``, written to and read from its ``VARCHAR(40)`` column unchanged.
    """

    # Registration
    REGISTER = "register"
    REGISTER_REPLACED_PENDING = "register_replaced_pending"
    REGISTER_REPLACED_PENDING_ADDRESS = "register_replaced_pending_address"
    REGISTER_EMAIL_IN_USE = "register_email_in_use"
    REGISTER_SUBSCRIBER_NOT_FOUND = "register_subscriber_not_found"
    REGISTER_CONTRACT_ACTIVE = "register_contract_active"
    REGISTER_MAIL_THROTTLED = "register_mail_throttled"
    ACTIVATION_RESENT = "activation_resent"
    ACTIVATION_RESEND_THROTTLED = "activation_resend_throttled"
    # Codes
    ACCOUNT_ACTIVATED = "account_activated"
    CODE_INVALID = "code_invalid"
    CODE_EXPIRED_ACTIVATION = "code_expired_activation"
    CODE_EXPIRED_RESET = "code_expired_reset"
    RESET_CODE_ACCEPTED = "reset_code_accepted"
    # Sessions and passwords
    SIGNIN = "signin"
    SIGNIN_FAILED = "signin_failed"
    SIGNOUT = "signout"
    PASSWORD_REHASHED = "password_rehashed"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_CHANGE_REFUSED = "password_change_refused"
    RESET_REQUESTED = "reset_requested"
    RESET_REQUESTED_UNKNOWN = "reset_requested_unknown"
    RESET_THROTTLED = "reset_throttled"
    PASSWORD_RESET = "password_reset"
    # Refusals by a throttle, counted once each (``throttled_<throttle>``)
    THROTTLED_SIGNIN = "throttled_signin"
    THROTTLED_CONTRACT_CHECK = "throttled_contract_check"
    THROTTLED_WRONG_CODE = "throttled_wrong_code"
    THROTTLED_ACTIVATION_RESEND = "throttled_activation_resend"
    # The agent and the operators
    AGENT_EXIT = "agent_exit"
    AGENT_PIN_REFUSED = "agent_pin_refused"
    PURGE = "purge"

    @classmethod
    def code_expired(cls, purpose: CodePurpose) -> AuthEventName:
        """The event of an expired code of ``purpose``."""
        return cls(f"code_expired_{purpose}")

    @classmethod
    def throttled(cls, throttle: Throttle) -> AuthEventName:
        """The event of a refusal by ``throttle`` that a customer reads."""
        return cls(f"throttled_{throttle}")
