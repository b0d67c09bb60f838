"""Signed-in customers: sign in, the dashboard, change the password, sign out."""

from __future__ import annotations

from kiosk.domain import codes
from kiosk.domain.errors import (
    AccountLocked,
    AccountNotActivated,
    InvalidCredentials,
    SessionExpired,
)
from kiosk.domain.events import AuthEventName, Throttle
from kiosk.domain.results import DashboardSummary, SignedIn
from kiosk.domain.rules import check_email, email_key
from kiosk.domain.states import AccountStatus
from kiosk.domain.validation import (
    raise_first,
    required_problems,
    sign_in_problems,
)
from kiosk.mail import messages
from kiosk.mail.outbox import enqueue
from kiosk.services import throttles
from kiosk.services.context import ServiceContext
from kiosk.services.credentials import (
    check_new_password,
    device_failure_key,
    end_resets,
    open_session,
    signin_key,
)
from kiosk.storage.models import Account, Session
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.translations import supported


class SessionService:
    """Sessions of the customer space; a session token is opaque and never shown."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    @throttles.counts_refusals(Throttle.SIGNIN)
    async def sign_in(
        self,
        typed_email: str,
        password: str,
        language: str | None = None,
        device_pass: str | None = None,
    ) -> SignedIn:
        """Open a session; unknown addresses cost one verification and lock alike.

        ``language``: the one the customer signed in with, kept as the account's (SPEC §11).

        ``device_pass``: the browser's pass (a kiosk uses the one it remembers): with a valid
        one for this address, only its own failures hold the sign-in, not the wait that
        anyone's failures on the address earn.

        Raises:
            InvalidInput (address syntax, no password), InvalidCredentials, AccountNotActivated,
            AccountLocked (the address's wait: a completed reset lifts it; a refusal counts
            against the origin), TooManyAttempts (this origin's failed sign-ins, whatever
            the addresses).
        """
        ctx = self.ctx
        raise_first(sign_in_problems(typed_email, password))
        email = check_email(typed_email)
        key = signin_key(ctx, email_key(email))
        device = device_failure_key(ctx, email_key(email), device_pass)
        try:
            async with ctx.unit_of_work(read_only=True) as uow:
                await throttles.ensure_signin_allowed(uow, key, ctx.origin, ctx.now(), device)
                account = await uow.accounts.by_email_key(email_key(email))
                stored_hash = account.password_hash if account is not None else None
        except AccountLocked:
            async with ctx.unit_of_work() as uow:
                throttles.record_refused_signin(uow, ctx.origin, ctx.now())
                await uow.commit()
            raise
        matches = await ctx.hashing.verify(stored_hash, password)
        now = ctx.now()
        async with ctx.unit_of_work() as uow:
            await throttles.ensure_signin_allowed(uow, key, ctx.origin, now, device)
            account = await uow.accounts.by_email_key(email_key(email))
            if account is None or account.password_hash != stored_hash or not matches:
                locked = await throttles.record_signin_failure(uow, key, ctx.origin, now, device)
                ctx.record_event(
                    uow, AuthEventName.SIGNIN_FAILED, email, account.id if account else None
                )
                await uow.commit()
                raise locked or InvalidCredentials()
            await throttles.clear_signin_failures(uow, key, device)
            if account.status != AccountStatus.ACTIVE:
                await uow.commit()
                raise AccountNotActivated()
            signed_in = open_session(ctx, uow, account, now)
            if language is not None:
                account.language = supported(language)
            ctx.record_event(uow, AuthEventName.SIGNIN, email, account.id)
            await uow.commit()
            account_id, old_hash = account.id, account.password_hash
        if ctx.hashing.needs_rehash(old_hash):
            new_hash = await ctx.hashing.hash(password)
            async with ctx.unit_of_work() as uow:
                await uow.accounts.replace_hash(account_id, old_hash, new_hash)
                ctx.record_event(uow, AuthEventName.PASSWORD_REHASHED, email, account_id)
                await uow.commit()
        return signed_in

    async def _live_session(self, uow: UnitOfWork, token: str) -> tuple[Session, Account]:
        digest = codes.token_digest(self.ctx.settings.secret_key, token)
        found = await uow.sessions.with_account(digest)
        if found is None or found[0].ended_at is not None or found[0].expires_at <= self.ctx.now():
            raise SessionExpired()
        return found

    async def dashboard(self, session_token: str) -> DashboardSummary:
        """The contract summary of the signed-in customer.

        Raises:
            SessionExpired.
        """
        async with self.ctx.unit_of_work(read_only=True) as uow:
            _session, account = await self._live_session(uow, session_token)
            subscriber, commune, operator = await uow.subscribers.with_place(account.contract)
            return DashboardSummary(
                account.first_name,
                account.last_name,
                account.email,
                commune.name,
                operator.name,
                subscriber.contract,
                subscriber.meter,
            )

    @throttles.counts_refusals(Throttle.SIGNIN)
    async def change_password(
        self, session_token: str, current: str, password: str, password_confirm: str
    ) -> str:
        """Change the password of the signed-in customer; ends the account's sessions, this
        one too, and cancels its reset codes and grants.

        Returns:
            The token of the session that goes on (a new one: a token seen before the
            change must not outlive it).

        Raises:
            InvalidInput (a field left empty), SessionExpired, InvalidCredentials (wrong
            current password), PasswordRejected,
            AccountLocked, TooManyAttempts (wrong current passwords count as failed sign-ins).
        """
        ctx = self.ctx
        raise_first(required_problems(current_password=current))
        async with ctx.unit_of_work(read_only=True) as uow:
            _session, account = await self._live_session(uow, session_token)
            key = signin_key(ctx, account.email_key)
            await throttles.ensure_signin_allowed(uow, key, ctx.origin, ctx.now())
            await check_new_password(uow, account, password, password_confirm)
            old_hash, account_id, email = account.password_hash, account.id, account.email
        if not await ctx.hashing.verify(old_hash, current):
            # An open session must not become a way to guess the password.
            async with ctx.unit_of_work() as uow:
                locked = await throttles.record_signin_failure(uow, key, ctx.origin, ctx.now())
                ctx.record_event(uow, AuthEventName.PASSWORD_CHANGE_REFUSED, email, account_id)
                await uow.commit()
            raise locked or InvalidCredentials()
        new_hash = await ctx.hashing.hash(password)
        now = ctx.now()
        async with ctx.unit_of_work() as uow:
            _session, account = await self._live_session(uow, session_token)
            uow.accounts.set_password_hash(account, new_hash)
            await uow.sessions.end_all(account_id, now)
            renewed = open_session(ctx, uow, account, now)
            # A reset code seen over a shoulder must not outlive the password it would replace.
            await end_resets(uow, account_id, now)
            enqueue(
                uow,
                messages.password_updated_mail(account.email, account.first_name, account.language),
                now,
            )
            ctx.record_event(uow, AuthEventName.PASSWORD_CHANGED, account.email, account.id)
            await uow.commit()
        return renewed.token

    async def sign_out(self, session_token: str) -> None:
        """End the session (nothing happens for an unknown or ended one)."""
        ctx = self.ctx
        digest = codes.token_digest(ctx.settings.secret_key, session_token)
        async with ctx.unit_of_work() as uow:
            account_id = await uow.sessions.end(digest, ctx.now())
            if account_id is not None:
                ctx.record_event(uow, AuthEventName.SIGNOUT, "", account_id)
                await uow.commit()
