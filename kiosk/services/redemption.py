"""Redemption: a typed code or a pasted link, looked at (peek) or used (redeem)."""

from __future__ import annotations

from datetime import datetime

from kiosk import codes
from kiosk.errors import CodeExpired, CodeInvalid
from kiosk.mail import messages
from kiosk.mail.outbox import enqueue
from kiosk.rules import mask_email
from kiosk.services import throttles
from kiosk.services.context import ServiceContext
from kiosk.services.credentials import RESET_GRANT_TTL, issue_code, open_session
from kiosk.services.results import CodeHolder, Redeemed
from kiosk.states import AccountStatus, CodePurpose
from kiosk.storage.models import Account, Code
from kiosk.storage.unit_of_work import UnitOfWork

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

    @throttles.counts_refusals("wrong_code")
    async def holder(self, typed: str) -> CodeHolder:
        """What a code would open and for which account, without using it (mail scanners
        open links too).

        Raises:
            TooManyAttempts, CodeInvalid, CodeExpired: as :meth:`redeem` would; an unknown
            code counts as a wrong code typed.
        """
        now = self.ctx.now()
        # Read-only, so that the links that mail scanners and customers open do not queue on
        # SQLite's write lock; only a wrong code is written (counted), as redeem would.
        async with self.ctx.unit_of_work(read_only=True) as uow:
            found = await self._find(uow, typed, now)
        if found is None:
            async with self.ctx.unit_of_work() as uow:
                found = await self._live_code(uow, typed, now)
        code, account = found
        purpose = CodePurpose(code.purpose)
        if code.expires_at <= now or account is None:
            raise CodeExpired(purpose)
        if account.status != _NEEDED_STATUS[purpose]:
            raise CodeInvalid()
        return CodeHolder(purpose, mask_email(account.email))

    @throttles.counts_refusals("wrong_code")
    async def redeem(self, typed: str) -> Redeemed:
        """Use an activation or reset code (typed, or the e-mail's link pasted).

        Returns:
            A session (activation) or a grant to choose a new password (reset).

        Raises:
            TooManyAttempts, CodeInvalid, CodeExpired.
        """
        ctx, now = self.ctx, self.ctx.now()
        async with ctx.unit_of_work() as uow:
            code, account = await self._live_code(uow, typed, now)
            purpose = CodePurpose(code.purpose)
            if code.expires_at <= now or account is None:
                if purpose is CodePurpose.ACTIVATION and account is not None:
                    # The registration must start again: its pending account goes now.
                    await uow.accounts.delete_pending(account.id)
                ctx.record_event(uow, f"code_expired_{purpose}", account.email if account else "")
                await uow.commit()
                raise CodeExpired(purpose)
            if not await uow.codes.use(code.id, now):
                raise CodeInvalid()
            if account.status != _NEEDED_STATUS[purpose]:
                raise CodeInvalid()
            if purpose is CodePurpose.ACTIVATION:
                uow.accounts.activate(account, now)
                await uow.codes.cancel(account.id, CodePurpose.ACTIVATION, now)
                enqueue(
                    uow,
                    messages.confirmed_mail(account.email, account.first_name, account.language),
                    now,
                )
                signed_in = open_session(ctx, uow, account, now)
                ctx.record_event(uow, "account_activated", account.email, account.id)
                await uow.commit()
                return Redeemed(
                    CodePurpose.ACTIVATION,
                    session=signed_in,
                    email_masked=mask_email(account.email),
                )
            grant = issue_code(
                ctx, uow, account.id, CodePurpose.RESET_GRANT, now + RESET_GRANT_TTL, now
            )
            ctx.record_event(uow, "reset_code_accepted", account.email, account.id)
            await uow.commit()
            return Redeemed(
                CodePurpose.RESET, reset_grant=grant, email_masked=mask_email(account.email)
            )

    async def _live_code(
        self, uow: UnitOfWork, typed: str, now: datetime
    ) -> tuple[Code, Account | None]:
        """The code typed and its account, when it is ours and neither used nor cancelled.

        Raises:
            TooManyAttempts: too many wrong codes from this origin.
            CodeInvalid: counted as a wrong code (committed before raising).
        """
        found = await self._find(uow, typed, now)
        if found is None:
            ctx = self.ctx
            throttles.record(uow, throttles.KIOSK_WRONG_CODES, ctx.origin, now)
            ctx.record_event(uow, "code_invalid")
            await uow.commit()
            raise CodeInvalid()
        return found

    async def _find(
        self, uow: UnitOfWork, typed: str, now: datetime
    ) -> tuple[Code, Account | None] | None:
        """The code typed and its account; None when it is not ours, used or cancelled.

        Raises:
            TooManyAttempts: too many wrong codes from this origin.
        """
        ctx = self.ctx
        await throttles.ensure_allowed(uow, throttles.KIOSK_WRONG_CODES, ctx.origin, now)
        canonical = codes.normalise_code(typed)
        code = None
        if canonical is not None:
            digest = codes.code_digest(ctx.settings.secret_key, canonical)
            code = await uow.codes.e_mailed(digest)
        if code is None or code.used_at is not None or code.cancelled_at is not None:
            return None
        account = await uow.accounts.get(code.account_id) if code.account_id else None
        return code, account
