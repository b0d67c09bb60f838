"""What several use cases share, written once: new passwords, one-time codes, sessions, and the
key of the sign-in throttle."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from kiosk import codes
from kiosk.errors import PasswordRejected
from kiosk.passwords import password_checklist, password_refusal
from kiosk.services.context import ServiceContext, UnitOfWork
from kiosk.services.results import SignedIn
from kiosk.states import CodePurpose, PasswordRefusal
from kiosk.storage.models import Account, Code, Session

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
    uow.session.add(
        Code(
            digest=codes.code_digest(ctx.settings.secret_key, code),
            purpose=purpose,
            account_id=account_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return code


async def cancel_codes(
    uow: UnitOfWork, account_id: int, purpose: CodePurpose, now: datetime
) -> None:
    """Cancel the account's live codes of ``purpose``: a newer one replaces them."""
    await uow.session.execute(
        update(Code)
        .where(
            Code.account_id == account_id,
            Code.purpose == purpose,
            Code.used_at.is_(None),
            Code.cancelled_at.is_(None),
        )
        .values(cancelled_at=now)
    )


async def use_code(uow: UnitOfWork, code_id: int, now: datetime) -> bool:
    """Mark the code used, atomically: of two kiosks, exactly one gets True."""
    result = await uow.session.execute(
        update(Code)
        .where(Code.id == code_id, Code.used_at.is_(None), Code.cancelled_at.is_(None))
        .values(used_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def open_session(ctx: ServiceContext, uow: UnitOfWork, account: Account, now: datetime) -> SignedIn:
    """Add a new session of ``account`` to the unit of work; returns its token (never stored)."""
    token = codes.new_token()
    expires_at = now + timedelta(minutes=ctx.settings.session_minutes)
    uow.session.add(
        Session(
            token_digest=codes.token_digest(ctx.settings.secret_key, token),
            account_id=account.id,
            kiosk_id=ctx.origin,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return SignedIn(token, account.first_name, account.last_name, expires_at)


async def end_sessions(
    uow: UnitOfWork, account_id: int, now: datetime, *, keep: int | None = None
) -> None:
    """End every open session of the account (but the one of id ``keep``)."""
    statement = update(Session).where(Session.account_id == account_id, Session.ended_at.is_(None))
    if keep is not None:
        statement = statement.where(Session.id != keep)
    await uow.session.execute(statement.values(ended_at=now))
