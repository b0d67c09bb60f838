"""What several use cases share, written once: one-time codes (issued, looked up), sessions,
and the key of the sign-in throttle (the new-password policy is the domain's
``new_password_problems``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.domain import codes
from kiosk.domain.errors import CodeInvalid
from kiosk.domain.events import AuthEventName
from kiosk.domain.results import SignedIn
from kiosk.domain.states import CodePurpose
from kiosk.domain.validation import new_password_problems, raise_first
from kiosk.services import device_passes, throttles
from kiosk.services.context import ServiceContext
from kiosk.storage.models import Account, Code
from kiosk.storage.repositories.codes import SeenCode
from kiosk.storage.unit_of_work import UnitOfWork


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


async def check_new_password(
    uow: UnitOfWork, account: Account, password: str, password_confirm: str
) -> None:
    """The new-password policy of the domain, with the account's contract, meter and address.

    Raises:
        InvalidInput (a field left empty), PasswordRejected.
    """
    meter = await uow.subscribers.meter(account.contract)
    raise_first(
        new_password_problems(
            password,
            password_confirm,
            contract=account.contract,
            meter=meter or "",
            email=account.email,
        )
    )


async def find_code(
    ctx: ServiceContext, uow: UnitOfWork, typed: str, now: datetime
) -> tuple[Code, Account | None] | None:
    """The e-mailed code typed and its account; None when it is not ours, used or cancelled.

    Raises:
        TooManyAttempts: too many wrong codes from this origin.
    """
    await throttles.ensure_allowed(uow, throttles.KIOSK_WRONG_CODES, ctx.origin, now)
    canonical = codes.normalise_code(typed)
    found = None
    if canonical is not None:
        found = await uow.codes.e_mailed(codes.code_digest(ctx.settings.secret_key, canonical))
    if found is None or found[0].used_at is not None or found[0].cancelled_at is not None:
        return None
    return found


async def seen_code(
    ctx: ServiceContext, uow: UnitOfWork, typed: str, now: datetime
) -> SeenCode | None:
    """:func:`find_code` as columns, for a look that changes nothing (no ORM session): the
    code and the origin's wrong codes read in one statement.

    Raises:
        TooManyAttempts: too many wrong codes from this origin.
    """
    canonical = codes.normalise_code(typed)
    if canonical is None:
        await throttles.ensure_allowed(uow, throttles.KIOSK_WRONG_CODES, ctx.origin, now)
        return None
    seen, held_since = await uow.codes.seen(
        codes.code_digest(ctx.settings.secret_key, canonical),
        throttles.KIOSK_WRONG_CODES.hold(ctx.origin, now),
    )
    throttles.raise_if_held(throttles.KIOSK_WRONG_CODES, held_since, now)
    return seen if seen is not None and seen.live else None


async def live_code(
    ctx: ServiceContext, uow: UnitOfWork, typed: str, now: datetime
) -> tuple[Code, Account | None]:
    """As :func:`find_code`, but a code that is not found counts as a wrong code typed.

    Raises:
        TooManyAttempts: too many wrong codes from this origin.
        CodeInvalid: counted as a wrong code (committed before raising).
    """
    found = await find_code(ctx, uow, typed, now)
    if found is None:
        throttles.record(uow, throttles.KIOSK_WRONG_CODES, ctx.origin, now)
        ctx.record_event(uow, AuthEventName.CODE_INVALID)
        await uow.commit()
        raise CodeInvalid()
    return found


async def end_resets(uow: UnitOfWork, account_id: int, now: datetime) -> None:
    """A new password ends every other way to set one (SPEC §4): the account's outstanding
    reset codes are cancelled (and any grant that an older version issued)."""
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
