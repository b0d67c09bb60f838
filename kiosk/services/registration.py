"""Registration: check a contract, open a pending account, e-mail (and resend) its code."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.domain import codes
from kiosk.domain.catalogue import hours_text
from kiosk.domain.errors import (
    ContractAlreadyActive,
    OperatorNotServed,
    SubscriberNotFound,
    TooManyAttempts,
    WriteConflict,
)
from kiosk.domain.events import AuthEventName, Throttle
from kiosk.domain.results import RegistrationReceipt, RegistrationRequest
from kiosk.domain.rules import check_contract, check_meter, email_key, mask_email
from kiosk.domain.states import AccountStatus, CodePurpose
from kiosk.domain.validation import validate_registration
from kiosk.mail import messages
from kiosk.mail.outbox import enqueue
from kiosk.services import throttles
from kiosk.services.context import ServiceContext
from kiosk.services.credentials import issue_code
from kiosk.storage.models import Account
from kiosk.storage.repositories.accounts import Holder
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.translations import supported


class RegistrationService:
    """Registration and the activation e-mail; each method is one or a few short transactions."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    @throttles.counts_refusals(Throttle.CONTRACT_CHECK)
    async def register(self, request: RegistrationRequest) -> RegistrationReceipt:
        """Open a pending account and e-mail its activation code.

        Raises:
            InvalidInput, PasswordRejected, TooManyAttempts, SubscriberNotFound,
            OperatorNotServed, ContractAlreadyActive.
        """
        # The rules the screens check, from the one place both use; a request may come from
        # elsewhere than a screen, so they are checked again here.
        request = validate_registration(request)
        last_name, first_name, email = request.last_name, request.first_name, request.email
        contract, meter = request.contract, request.meter
        ctx = self.ctx
        await self.verify_contract(request.commune_id, contract, meter, email)
        mail_key = self._mail_key(email_key(email))
        password_hash = await ctx.hashing.hash(request.password)
        token = codes.new_token()
        for attempt in range(3):
            try:
                async with ctx.unit_of_work() as uow:
                    try:
                        await throttles.ensure_allowed(
                            uow, throttles.REGISTRATION_MAILS, mail_key, ctx.now()
                        )
                    except TooManyAttempts:
                        # Nothing written, nothing sent, and the same answer as always: the
                        # screen must not tell that this address was just used.
                        ctx.record_event(uow, AuthEventName.REGISTER_MAIL_THROTTLED, email)
                        await uow.commit()
                        break
                    throttles.record(uow, throttles.REGISTRATION_MAILS, mail_key, ctx.now())
                    holder = Holder(
                        email,
                        email_key(email),
                        first_name,
                        last_name,
                        password_hash,
                        supported(request.language),
                    )
                    await self._write_registration(
                        uow, request.commune_id, contract, meter, holder, token
                    )
                    await uow.commit()
                break
            except (SubscriberNotFound, ContractAlreadyActive) as refusal:
                # Things changed while the password was hashed (another kiosk, an import).
                await self._record_refusal(refusal, contract, email)
                raise
            except WriteConflict:
                # Another kiosk registered the same contract or address at the same moment:
                # start again from what it wrote.
                if attempt == 2:
                    raise
        hours = ctx.settings.activation_ttl_hours
        return RegistrationReceipt(
            token,
            mask_email(email),
            ctx.now() + timedelta(hours=hours),
            valid_hours=hours,
            resend_after_seconds=throttles.ACTIVATION_RESENDS.window.total_seconds(),
        )

    def _mail_key(self, address_key: str) -> str:
        """The key of :data:`throttles.REGISTRATION_MAILS` for an address (a digest)."""
        return codes.token_digest(self.ctx.settings.secret_key, "register:" + address_key)

    @throttles.counts_refusals(Throttle.CONTRACT_CHECK)
    async def verify_contract(
        self, commune_id: int, contract: str, meter: str, email: str = ""
    ) -> str:
        """Check contract + meter + commune; a failure counts towards the throttles.

        Returns:
            The name of the operator.

        Raises:
            InvalidInput, TooManyAttempts, SubscriberNotFound, OperatorNotServed,
            ContractAlreadyActive.
        """
        contract, meter = check_contract(contract), check_meter(meter)
        try:
            async with self.ctx.unit_of_work(one_read=True) as uow:
                return await self._check_subscriber(uow, contract, meter, commune_id)
        except (SubscriberNotFound, ContractAlreadyActive) as refusal:
            await self._record_refusal(refusal, contract, email)
            raise

    async def prepare(self) -> None:
        """Run the contract check's statement once, for no contract, and forget the answer.

        The database layer builds and compiles a statement the first time it runs it (7 ms for
        this one, on the event loop): done in a quiet moment after start-up, it is not done
        while the first customer waits for their submit. Reads only; counts nothing. Both
        ways: the contract step's check reads once (on SQLite, a quick read), the submit's
        within its writing unit of work.
        """
        now = self.ctx.now()
        for one_read in (True, False):
            async with self.ctx.unit_of_work(read_only=True, one_read=one_read) as uow:
                await uow.subscribers.check_contract(
                    "",
                    throttles.CONTRACT_CHECKS.hold("", now),
                    throttles.KIOSK_CONTRACT_CHECKS.hold(self.ctx.origin, now),
                )

    async def _check_subscriber(
        self, uow: UnitOfWork, contract: str, meter: str, commune_id: int
    ) -> str:
        """Check contract + meter + commune against the subscriber records; reads only.

        Returns:
            The name of the operator.

        Raises:
            TooManyAttempts, SubscriberNotFound, OperatorNotServed, ContractAlreadyActive.
        """
        now = self.ctx.now()
        found = await uow.subscribers.check_contract(
            contract,
            throttles.CONTRACT_CHECKS.hold(contract, now),
            throttles.KIOSK_CONTRACT_CHECKS.hold(self.ctx.origin, now),
        )
        throttles.raise_if_held(throttles.CONTRACT_CHECKS, found.contract_held_since, now)
        throttles.raise_if_held(throttles.KIOSK_CONTRACT_CHECKS, found.origin_held_since, now)
        if found.meter != meter or found.commune_id != commune_id:
            raise SubscriberNotFound()
        if not found.served_here:
            raise OperatorNotServed()
        if found.account_status == AccountStatus.ACTIVE:
            raise ContractAlreadyActive()
        return str(found.operator)

    async def _record_refusal(self, refusal: Exception, contract: str, email: str) -> None:
        """Count a failed contract check, or note an attempt on an active contract."""
        ctx, now = self.ctx, self.ctx.now()
        async with ctx.unit_of_work() as uow:
            if isinstance(refusal, SubscriberNotFound):
                # Checked again under the throttles' lock: of kiosks failing at the same
                # moment, only those within the limits are told "not found" and counted.
                await throttles.ensure_all_allowed(
                    uow,
                    [
                        (throttles.CONTRACT_CHECKS, contract),
                        (throttles.KIOSK_CONTRACT_CHECKS, ctx.origin),
                    ],
                    now,
                )
                throttles.record(uow, throttles.CONTRACT_CHECKS, contract, now)
                throttles.record(uow, throttles.KIOSK_CONTRACT_CHECKS, ctx.origin, now)
                ctx.record_event(uow, AuthEventName.REGISTER_SUBSCRIBER_NOT_FOUND, email)
            else:
                ctx.record_event(uow, AuthEventName.REGISTER_CONTRACT_ACTIVE, email)
            await uow.commit()

    async def _write_registration(
        self,
        uow: UnitOfWork,
        commune_id: int,
        contract: str,
        meter: str,
        holder: Holder,
        token: str,
    ) -> None:
        ctx, now = self.ctx, self.ctx.now()
        operator = await self._check_subscriber(uow, contract, meter, commune_id)
        # Locked and checked again: another kiosk may have activated it since the check above.
        existing = await uow.accounts.by_contract_locked(contract)
        if existing is not None and existing.status != AccountStatus.PENDING:
            raise ContractAlreadyActive()
        owner = await uow.accounts.by_email_key(holder.email_key)
        if owner is not None and (existing is None or owner.id != existing.id):
            if owner.status != AccountStatus.PENDING:
                enqueue(uow, messages.address_in_use_mail(owner.email, owner.language), now)
                ctx.record_event(uow, AuthEventName.REGISTER_EMAIL_IN_USE, holder.email, owner.id)
                return
            # A pending account does not hold its address (only the mailbox's owner can
            # activate): it goes, and its code stops working. Activated meanwhile by another
            # kiosk, it stays, and the new account's address is a WriteConflict: start again.
            await uow.codes.cancel(owner.id, CodePurpose.ACTIVATION, now)
            await uow.accounts.delete_pending(owner.id)
            ctx.record_event(
                uow, AuthEventName.REGISTER_REPLACED_PENDING_ADDRESS, holder.email, owner.id
            )
        digest = codes.token_digest(ctx.settings.secret_key, token)
        if existing is None:
            account = await uow.accounts.add_pending(contract, holder, digest, now)
            await self._send_activation(uow, account, operator, now, replacing=False)
            event = AuthEventName.REGISTER
        else:
            # A pending account of this contract is replaced; its codes stop working.
            account = existing
            uow.accounts.renew_pending(account, holder, digest, now)
            await self._send_activation(uow, account, operator, now, replacing=True)
            event = AuthEventName.REGISTER_REPLACED_PENDING
        ctx.record_event(uow, event, holder.email, account.id)

    async def _send_activation(
        self, uow: UnitOfWork, account: Account, operator: str, now: datetime, *, replacing: bool
    ) -> None:
        """E-mail a new activation code; ``replacing``: the account's live ones stop working."""
        settings = self.ctx.settings
        expires_at = now + timedelta(hours=settings.activation_ttl_hours)
        if replacing:
            await uow.codes.cancel(account.id, CodePurpose.ACTIVATION, now)
        code = issue_code(self.ctx, uow, account.id, CodePurpose.ACTIVATION, expires_at, now)
        link = codes.code_link(settings.public_url, code, account.language)
        mail = messages.activation_mail(
            account.email,
            account.first_name,
            code,
            link,
            operator,
            hours_text(settings.activation_ttl_hours, account.language),
            account.language,
        )
        enqueue(uow, mail, now)

    @throttles.counts_refusals(Throttle.ACTIVATION_RESEND)
    async def resend_activation(self, receipt_token: str) -> float:
        """E-mail a new activation code (the old one stops working).

        When the address has had its 3 e-mails of the hour (registrations and resends, from
        any kiosk), nothing is sent and the answer is the same: it must not tell what others
        did with this address.

        Returns:
            Seconds before the next resend is allowed.

        Raises:
            TooManyAttempts: less than 60 s since this registration's last resend.
        """
        ctx, now = self.ctx, self.ctx.now()
        digest = codes.token_digest(ctx.settings.secret_key, receipt_token)
        async with ctx.unit_of_work() as uow:
            await throttles.ensure_allowed(uow, throttles.ACTIVATION_RESENDS, digest, now)
            throttles.record(uow, throttles.ACTIVATION_RESENDS, digest, now)
            account = await uow.accounts.pending_by_receipt(digest)
            if account is not None:
                await self._resend_within_limit(uow, account, now)
            await uow.commit()
        return throttles.ACTIVATION_RESENDS.window.total_seconds()

    async def _resend_within_limit(self, uow: UnitOfWork, account: Account, now: datetime) -> None:
        ctx, mail_key = self.ctx, self._mail_key(account.email_key)
        try:
            await throttles.ensure_allowed(uow, throttles.RESENT_MAILS, mail_key, now)
        except TooManyAttempts:
            ctx.record_event(
                uow, AuthEventName.ACTIVATION_RESEND_THROTTLED, account.email, account.id
            )
            return
        throttles.record(uow, throttles.REGISTRATION_MAILS, mail_key, now)
        operator = await uow.subscribers.operator_name(account.contract)
        await self._send_activation(uow, account, operator or "", now, replacing=True)
        ctx.record_event(uow, AuthEventName.ACTIVATION_RESENT, account.email, account.id)
