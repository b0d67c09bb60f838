"""What several use cases share, written once: one-time codes, sessions, and the key of the
sign-in throttle (the new-password policy is the domain's ``new_password_problems``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.domain import codes
from kiosk.domain.results import SignedIn
from kiosk.domain.states import CodePurpose
from kiosk.services.context import ServiceContext
from kiosk.storage.models import Account
from kiosk.storage.unit_of_work import UnitOfWork

RESET_GRANT_TTL = timedelta(minutes=15)
"""How long the Reset screen may take between a valid reset code and the new password."""


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
    """Add a new session of ``account`` to the unit of work; returns its token (never stored)."""
    token = codes.new_token()
    expires_at = now + timedelta(minutes=ctx.settings.session_minutes)
    digest = codes.token_digest(ctx.settings.secret_key, token)
    uow.sessions.add(digest, account.id, ctx.origin, now, expires_at)
    return SignedIn(token, account.first_name, account.last_name, expires_at)
