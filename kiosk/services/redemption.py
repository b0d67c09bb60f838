"""Redemption: a typed code or a pasted link, looked at (peek) or used (redeem)."""

from __future__ import annotations

from kiosk.domain.codes import format_code, normalise_code
from kiosk.domain.errors import CodeExpired, CodeInvalid
from kiosk.domain.events import AuthEventName, Throttle
from kiosk.domain.results import CodeHolder, Redeemed
from kiosk.domain.rules import mask_email
from kiosk.domain.states import AccountStatus, CodePurpose
from kiosk.domain.validation import code_problems, raise_first
from kiosk.mail import messages
from kiosk.mail.outbox import enqueue
from kiosk.services import throttles
from kiosk.services.context import ServiceContext
from kiosk.services.credentials import live_code, open_session, seen_code
from kiosk.storage.repositories.codes import SeenCode

_NEEDED_STATUS = {
    CodePurpose.ACTIVATION: AccountStatus.PENDING,
    CodePurpose.RESET: AccountStatus.ACTIVE,
}
"""The status an account must have for a code of each purpose to be of use."""


class RedemptionService:
    """Activation and reset codes, typed at the kiosk or opened from the e-mail's link."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def peek(self, typed: str) -> CodePurpose:
        """What a code would open, without using it (:meth:`holder`)."""
        return (await self.holder(typed)).purpose

    @throttles.counts_refusals(Throttle.WRONG_CODE)
    async def holder(self, typed: str) -> CodeHolder:
        """What a code would open and for which account, without using it (mail scanners
        open links too).

        Raises:
            TooManyAttempts, CodeInvalid, CodeExpired: as :meth:`redeem` would; an unknown
            code counts as a wrong code typed.
        """
        now = self.ctx.now()
        # One read, so that the links that mail scanners and customers open do not queue on
        # SQLite's write lock nor wait for a pooled connection; only a wrong code is written
        # (counted), as redeem would.
        async with self.ctx.unit_of_work(one_read=True) as uow:
            seen = await seen_code(self.ctx, uow, typed, now)
        if seen is None:
            async with self.ctx.unit_of_work() as uow:
                code, account = await live_code(self.ctx, uow, typed, now)
            seen = SeenCode(
                code.purpose,
                code.expires_at,
                True,
                None if account is None else account.status,
                None if account is None else account.email,
            )
        purpose = CodePurpose(seen.purpose)
        if seen.expires_at <= now or seen.account_status is None:
            raise CodeExpired(purpose)
        if seen.account_status != _NEEDED_STATUS[purpose]:
            raise CodeInvalid()
        return CodeHolder(purpose, mask_email(seen.account_email or ""))

    @throttles.counts_refusals(Throttle.WRONG_CODE)
    async def redeem(self, typed: str) -> Redeemed:
        """Use an activation code, or accept a reset code (typed, or the e-mail's link pasted).

        A reset code is not used here: it is used with the new password, by
        :meth:`~kiosk.services.password_reset.PasswordResetService.reset_with_code`, so that a
        refused password leaves it as it was.

        Returns:
            A session (activation), or the reset code, canonical, to hand to the reset.

        Raises:
            InvalidInput (nothing typed), TooManyAttempts, CodeInvalid, CodeExpired.
        """
        raise_first(code_problems(typed))
        ctx, now = self.ctx, self.ctx.now()
        async with ctx.unit_of_work() as uow:
            code, account = await live_code(ctx, uow, typed, now)
            purpose = CodePurpose(code.purpose)
            if code.expires_at <= now or account is None:
                if purpose is CodePurpose.ACTIVATION and account is not None:
                    # The registration must start again: its pending account goes now.
                    await uow.accounts.delete_pending(account.id)
                ctx.record_event(
                    uow, AuthEventName.code_expired(purpose), account.email if account else ""
                )
                await uow.commit()
                raise CodeExpired(purpose)
            if account.status != _NEEDED_STATUS[purpose]:
                raise CodeInvalid()
            if purpose is CodePurpose.ACTIVATION:
                if not await uow.codes.use(code.id, now):
                    raise CodeInvalid()
                uow.accounts.activate(account, now)
                await uow.codes.cancel(account.id, CodePurpose.ACTIVATION, now)
                enqueue(
                    uow,
                    messages.confirmed_mail(account.email, account.first_name, account.language),
                    now,
                )
                signed_in = open_session(ctx, uow, account, now)
                ctx.record_event(uow, AuthEventName.ACCOUNT_ACTIVATED, account.email, account.id)
                await uow.commit()
                return Redeemed(
                    CodePurpose.ACTIVATION,
                    session=signed_in,
                    email_masked=mask_email(account.email),
                )
            ctx.record_event(uow, AuthEventName.RESET_CODE_ACCEPTED, account.email, account.id)
            await uow.commit()
            canonical = normalise_code(typed)
            assert canonical is not None  # the code was found by it
            return Redeemed(
                CodePurpose.RESET,
                reset_code=format_code(canonical),
                email_masked=mask_email(account.email),
            )
