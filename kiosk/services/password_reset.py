"""Forgotten password: e-mail a reset code, then set the new password chosen with its grant."""

from __future__ import annotations

from datetime import timedelta

from kiosk import codes
from kiosk.errors import CodeExpired, CodeInvalid, TooManyAttempts
from kiosk.mail import messages
from kiosk.mail.outbox import enqueue
from kiosk.rules import check_email, email_key, mask_email
from kiosk.services import throttles
from kiosk.services.context import ServiceContext
from kiosk.services.credentials import (
    check_new_password,
    end_resets,
    hand_device_pass,
    issue_code,
    signin_key,
)
from kiosk.states import AccountStatus, CodePurpose


class PasswordResetService:
    """The two halves of "Mot de passe oublié"; the redemption of the code lies between."""

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
                ctx.record_event(uow, "reset_throttled", email)
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
                ctx.record_event(uow, "reset_requested", email, account.id)
            else:
                ctx.record_event(uow, "reset_requested_unknown", email)
            await uow.commit()

    async def grant_holder(self, grant: str) -> str:
        """The masked address of the account a reset grant is for (the page that sets the
        new password says it).

        Raises:
            CodeExpired, CodeInvalid: as :meth:`complete` would.
        """
        ctx = self.ctx
        digest = codes.code_digest(ctx.settings.secret_key, grant)
        async with ctx.unit_of_work(read_only=True) as uow:
            found = await uow.codes.grant_with_holder(digest)
        if found is None or found[0].used_at is not None or found[0].cancelled_at is not None:
            raise CodeInvalid()
        if found[0].expires_at <= ctx.now():
            raise CodeExpired(CodePurpose.RESET)
        return mask_email(found[1].email)

    async def complete(self, grant: str, password: str, password_confirm: str) -> str:
        """Set the new password chosen after a reset code; ends every session of the account,
        and cancels its other reset codes and grants.

        Returns:
            A device pass for the address (this kiosk remembers it): the owner who completed
            the reset is not held by the wait that strangers' wrong passwords earn again.

        Raises:
            PasswordRejected, CodeExpired (the grant's 15 minutes passed), CodeInvalid.
        """
        ctx = self.ctx
        digest = codes.code_digest(ctx.settings.secret_key, grant)
        async with ctx.unit_of_work(read_only=True) as uow:
            found = await uow.codes.grant_with_holder(digest)
            if found is None or found[0].used_at is not None or found[0].cancelled_at is not None:
                raise CodeInvalid()
            if found[0].expires_at <= ctx.now():
                raise CodeExpired(CodePurpose.RESET)
            _grant, holder, meter = found
            check_new_password(
                password,
                password_confirm,
                contract=holder.contract,
                meter=meter,
                email=holder.email,
            )
        password_hash = await ctx.hashing.hash(password)
        now = ctx.now()
        async with ctx.unit_of_work() as uow:
            code = await uow.codes.grant(digest)
            if code is None or code.expires_at <= now:
                raise CodeExpired(CodePurpose.RESET)
            if not await uow.codes.use(code.id, now):
                raise CodeInvalid()
            account = await uow.accounts.get(code.account_id) if code.account_id else None
            if account is None:  # deleted since the grant was read
                raise CodeInvalid()
            uow.accounts.set_password_hash(account, password_hash)
            await throttles.clear_signin_failures(uow, signin_key(ctx, account.email_key))
            await end_resets(uow, account.id, now)  # an older grant must not undo this one
            await uow.sessions.end_all(account.id, now)
            enqueue(
                uow,
                messages.password_updated_mail(account.email, account.first_name, account.language),
                now,
            )
            ctx.record_event(uow, "password_reset", account.email, account.id)
            await uow.commit()
            email_key_of_account = account.email_key
        return hand_device_pass(ctx, email_key_of_account)
