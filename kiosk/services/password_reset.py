"""Forgotten password: e-mail a reset code, then set the new password with it."""

from __future__ import annotations

from datetime import timedelta

from kiosk.domain import codes
from kiosk.domain.errors import CodeExpired, CodeInvalid, TooManyAttempts
from kiosk.domain.events import AuthEventName, Throttle
from kiosk.domain.rules import check_email, email_key
from kiosk.domain.states import AccountStatus, CodePurpose
from kiosk.domain.validation import code_problems, raise_first
from kiosk.mail import messages
from kiosk.mail.outbox import enqueue
from kiosk.services import throttles
from kiosk.services.context import ServiceContext
from kiosk.services.credentials import (
    check_new_password,
    end_resets,
    find_code,
    hand_device_pass,
    issue_code,
    live_code,
    signin_key,
)
from kiosk.storage.models import Account, Code


class PasswordResetService:
    """The two halves of "Mot de passe oublié": the e-mail, then the code and the password."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def request(self, typed_email: str) -> None:
        """E-mail a reset code when the address has an active account; the same answer always.

        Raises:
            InvalidInput: the address is not syntactically valid.
        """
        ctx, now = self.ctx, self.ctx.now()
        email = check_email(typed_email)
        key = codes.token_digest(ctx.settings.secret_key, "reset:" + email_key(email))
        async with ctx.unit_of_work() as uow:
            try:
                await throttles.ensure_allowed(uow, throttles.RESET_MAILS, key, now)
            except TooManyAttempts:
                ctx.record_event(uow, AuthEventName.RESET_THROTTLED, email)
                await uow.commit()
                return
            throttles.record(uow, throttles.RESET_MAILS, key, now)
            account = await uow.accounts.by_email_key(email_key(email))
            if account is not None and account.status == AccountStatus.ACTIVE:
                await uow.codes.cancel(account.id, CodePurpose.RESET, now)
                minutes = ctx.settings.reset_ttl_minutes
                expires_at = now + timedelta(minutes=minutes)
                code = issue_code(ctx, uow, account.id, CodePurpose.RESET, expires_at, now)
                link = codes.code_link(ctx.settings.public_url, code, account.language)
                enqueue(
                    uow,
                    messages.reset_mail(
                        account.email,
                        account.first_name,
                        code,
                        link,
                        round(minutes),
                        account.language,
                    ),
                    now,
                )
                ctx.record_event(uow, AuthEventName.RESET_REQUESTED, email, account.id)
            else:
                ctx.record_event(uow, AuthEventName.RESET_REQUESTED_UNKNOWN, email)
            await uow.commit()

    @throttles.counts_refusals(Throttle.WRONG_CODE)
    async def reset_with_code(self, typed: str, password: str, password_confirm: str) -> str:
        """Set a new password with an e-mailed reset code, typed or from its link.

        The new password is checked first, against the code's account: a refused one leaves
        the code as it was, for the customer to try another. Then, in one unit of work, the
        code is used, the password set, every session of the account ended, its other reset
        codes cancelled and its sign-in wait lifted.

        Returns:
            A device pass for the address (this kiosk remembers it; the web companion keeps it
            in its ``ec_device`` cookie): the owner who reset the password is not held by the
            wait that strangers' wrong passwords earn again.

        Raises:
            InvalidInput (a field left empty), PasswordRejected, TooManyAttempts (wrong codes
            from this origin), CodeInvalid (a wrong code counts as one typed), CodeExpired.
        """
        ctx = self.ctx
        raise_first(code_problems(typed))
        async with ctx.unit_of_work(read_only=True) as uow:
            found = await find_code(ctx, uow, typed, ctx.now())
            if found is not None:
                _code, holder = self._resettable(*found)
                await check_new_password(uow, holder, password, password_confirm)
        if found is None:
            async with ctx.unit_of_work() as uow:
                await live_code(ctx, uow, typed, ctx.now())  # counts the wrong code, raises
            raise CodeInvalid()  # it appeared meanwhile: not this request's to use
        password_hash = await ctx.hashing.hash(password)
        now = ctx.now()
        async with ctx.unit_of_work() as uow:
            code, account = self._resettable(*await live_code(ctx, uow, typed, now))
            if not await uow.codes.use(code.id, now):
                raise CodeInvalid()  # another kiosk or page used it a moment ago
            uow.accounts.set_password_hash(account, password_hash)
            await throttles.clear_signin_failures(uow, signin_key(ctx, account.email_key))
            await end_resets(uow, account.id, now)  # an older code must not undo this one
            await uow.sessions.end_all(account.id, now)
            enqueue(
                uow,
                messages.password_updated_mail(account.email, account.first_name, account.language),
                now,
            )
            ctx.record_event(uow, AuthEventName.PASSWORD_RESET, account.email, account.id)
            await uow.commit()
            email_key_of_account = account.email_key
        return hand_device_pass(ctx, email_key_of_account)

    def _resettable(self, code: Code, account: Account | None) -> tuple[Code, Account]:
        """The code and its account when it is a live reset code of an active account.

        Raises:
            CodeInvalid: another kind of code, or the account is not active.
            CodeExpired: its validity passed, or its account is gone.
        """
        if code.purpose != CodePurpose.RESET:
            raise CodeInvalid()
        if code.expires_at <= self.ctx.now() or account is None:
            raise CodeExpired(CodePurpose.RESET)
        if account.status != AccountStatus.ACTIVE:
            raise CodeInvalid()
        return code, account
