"""What several use cases share, written once: new passwords, one-time codes, sessions, and the
key of the sign-in throttle."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk import codes
from kiosk.errors import PasswordRejected
from kiosk.passwords import password_checklist, password_refusal
from kiosk.services import device_passes
from kiosk.services.context import ServiceContext
from kiosk.services.results import SignedIn
from kiosk.states import CodePurpose, PasswordRefusal
from kiosk.storage.models import Account
from kiosk.storage.unit_of_work import UnitOfWork

RESET_GRANT_TTL = timedelta(minutes=15)
"""How long the Reset screen may take between a valid reset code and the new password."""


def check_new_password(
    password: str, confirmation: str, *, contract: str, meter: str, email: str
) -> None:
    """Raise :class:`PasswordRejected` unless the checklist is met and the policy accepts it."""
    if not all(result.satisfied for result in password_checklist(password, confirmation)):
        raise PasswordRejected(PasswordRefusal.CHECKLIST)
    refusal = password_refusal(password, contract=contract, meter=meter, email=email)
    if refusal is not None:
        raise PasswordRejected(refusal)


def signin_key(ctx: ServiceContext, email_key: str) -> str:
    """The key of the sign-in throttle for an address, whether or not it has an account."""
    return codes.token_digest(ctx.settings.secret_key, "signin:" + email_key)


def issue_code(
    ctx: ServiceContext,
    uow: UnitOfWork,
    account_id: int,
    purpose: CodePurpose,
    expires_at: datetime,
    now: datetime,
) -> str:
    """Add a new one-time code to the unit of work; returns it (only its digest is stored)."""
    code = codes.generate_code()
    digest = codes.code_digest(ctx.settings.secret_key, code)
    uow.codes.add(digest, purpose, account_id, now, expires_at)
    return code


async def end_resets(uow: UnitOfWork, account_id: int, now: datetime) -> None:
    """A new password ends every other way to set one (SPEC §4): the account's outstanding
    reset codes, and the grants of those already redeemed, are cancelled."""
    for purpose in (CodePurpose.RESET, CodePurpose.RESET_GRANT):
        await uow.codes.cancel(account_id, purpose, now)


def open_session(ctx: ServiceContext, uow: UnitOfWork, account: Account, now: datetime) -> SignedIn:
    """Add a new session of ``account`` to the unit of work; returns its token (never stored)
    and a device pass for the address."""
    token = codes.new_token()
    expires_at = now + timedelta(minutes=ctx.settings.session_minutes)
    digest = codes.token_digest(ctx.settings.secret_key, token)
    uow.sessions.add(digest, account.id, ctx.origin, now, expires_at)
    device_pass = hand_device_pass(ctx, account.email_key)
    return SignedIn(token, account.first_name, account.last_name, expires_at, device_pass)


def hand_device_pass(ctx: ServiceContext, email_key: str) -> str:
    """A new device pass for the address, remembered by this kiosk (a web client's page keeps
    it in a cookie)."""
    device_pass = device_passes.issue(ctx.settings.secret_key, email_key)
    if ctx.device_memory is not None:
        ctx.device_memory.remember(email_key, device_pass)
    return device_pass


def device_failure_key(ctx: ServiceContext, email_key: str, device_pass: str | None) -> str | None:
    """The failure key of the sign-in's valid device pass (the kiosk's own when none is
    given), or None for an untrusted client."""
    if device_pass is None and ctx.device_memory is not None:
        device_pass = ctx.device_memory.get(email_key)
    return device_passes.failure_key(ctx.settings.secret_key, email_key, device_pass)
