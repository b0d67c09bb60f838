"""Account use cases: register, resend, redeem a code, reset, sign in, change password, sign out."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, literal, select, update
from sqlalchemy.exc import IntegrityError

from kiosk import codes
from kiosk.errors import (
    AccountNotActivated,
    CodeExpired,
    CodeInvalid,
    ContractAlreadyActive,
    InvalidCredentials,
    OperatorNotServed,
    PasswordRejected,
    SessionExpired,
    SubscriberNotFound,
    TooManyAttempts,
)
from kiosk.mail import messages
from kiosk.mail.outbox import enqueue
from kiosk.passwords import password_checklist, password_refusal
from kiosk.rules import check_contract, check_email, check_meter, check_name, email_key, mask_email
from kiosk.services import throttles
from kiosk.services.context import ServiceContext, UnitOfWork
from kiosk.services.results import (
    DashboardSummary,
    Redeemed,
    RegistrationReceipt,
    RegistrationRequest,
    SignedIn,
)
from kiosk.storage.models import Account, Code, Commune, Operator, Session, Subscriber

RESET_GRANT_TTL = timedelta(minutes=15)
"""How long the Reset screen may take between a valid reset code and the new password."""


def _check_new_password(
    password: str, confirmation: str, *, contract: str, meter: str, email: str
) -> None:
    if not all(result.satisfied for result in password_checklist(password, confirmation)):
        raise PasswordRejected("checklist")
    refusal = password_refusal(password, contract=contract, meter=meter, email=email)
    if refusal is not None:
        raise PasswordRejected(refusal)


_SUBSCRIBER_CHECK = (
    select(
        Subscriber.meter,
        Subscriber.commune_id,
        Operator.name,
        Operator.served_here,
        Account.status,
        throttles.nth_latest(
            throttles.CONTRACT_CHECKS, bindparam("contract"), bindparam("contract_since")
        ).label("contract_held"),
        throttles.nth_latest(
            throttles.KIOSK_CONTRACT_CHECKS, bindparam("kiosk"), bindparam("kiosk_since")
        ).label("kiosk_held"),
    )
    .select_from(select(literal(1).label("one")).subquery())
    .outerjoin(Subscriber, Subscriber.contract == bindparam("contract"))
    .outerjoin(Commune, Commune.id == Subscriber.commune_id)
    .outerjoin(Operator, Operator.code == Commune.operator_code)
    .outerjoin(Account, Account.contract == Subscriber.contract)
)
"""The whole contract check in one round trip: the subscriber, its operator, its account, and
the two throttles (one row even when no subscriber matches). Built once, compiled once."""


class AccountService:
    """The account use cases; each method is one or a few short transactions."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    # -- registration ------------------------------------------------------------------------

    async def register(self, request: RegistrationRequest) -> RegistrationReceipt:
        """Open a pending account and e-mail its activation code.

        Raises:
            InvalidInput, PasswordRejected, TooManyAttempts, SubscriberNotFound,
            OperatorNotServed, ContractAlreadyActive.
        """
        last_name = check_name("last_name", request.last_name)
        first_name = check_name("first_name", request.first_name)
        email = check_email(request.email)
        contract = check_contract(request.contract)
        meter = check_meter(request.meter)
        _check_new_password(
            request.password, request.password_confirm, contract=contract, meter=meter, email=email
        )
        ctx = self.ctx
        await self.verify_contract(request.commune_id, contract, meter, email)
        mail_key = codes.token_digest(ctx.settings.secret_key, "register:" + email_key(email))
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
                        ctx.record_event(uow, "register_mail_throttled", email)
                        await uow.commit()
                        break
                    throttles.record(uow, throttles.REGISTRATION_MAILS, mail_key, ctx.now())
                    await self._write_registration(
                        uow,
                        request.commune_id,
                        contract,
                        meter,
                        email,
                        first_name,
                        last_name,
                        password_hash,
                        token,
                    )
                    await uow.commit()
                break
            except (SubscriberNotFound, ContractAlreadyActive) as refusal:
                # Things changed while the password was hashed (another kiosk, an import).
                await self._record_refusal(refusal, contract, email)
                raise
            except IntegrityError:
                # Another kiosk registered the same contract or address at the same moment:
                # start again from what it wrote.
                if attempt == 2:
                    raise
        ttl = timedelta(hours=ctx.settings.activation_ttl_hours)
        return RegistrationReceipt(token, mask_email(email), ctx.now() + ttl)

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
            async with self.ctx.unit_of_work(read_only=True) as uow:
                return await self._check_subscriber(uow, contract, meter, commune_id)
        except (SubscriberNotFound, ContractAlreadyActive) as refusal:
            await self._record_refusal(refusal, contract, email)
            raise

    async def _check_subscriber(
        self, uow: UnitOfWork, contract: str, meter: str, commune_id: int
    ) -> str:
        """Check contract + meter + commune against the subscriber records; reads only.

        Returns:
            The name of the operator.

        Raises:
            TooManyAttempts, SubscriberNotFound, OperatorNotServed, ContractAlreadyActive.
        """
        ctx, now = self.ctx, self.ctx.now()
        row = (
            await uow.session.execute(
                _SUBSCRIBER_CHECK,
                {
                    "contract": contract,
                    "kiosk": ctx.kiosk_id,
                    "contract_since": now - throttles.CONTRACT_CHECKS.window,
                    "kiosk_since": now - throttles.KIOSK_CONTRACT_CHECKS.window,
                },
            )
        ).one()
        throttles.raise_if_held(throttles.CONTRACT_CHECKS, row.contract_held, now)
        throttles.raise_if_held(throttles.KIOSK_CONTRACT_CHECKS, row.kiosk_held, now)
        if row.meter != meter or row.commune_id != commune_id:
            raise SubscriberNotFound()
        if not row.served_here:
            raise OperatorNotServed()
        if row.status == "active":
            raise ContractAlreadyActive()
        return str(row.name)

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
                        (throttles.KIOSK_CONTRACT_CHECKS, ctx.kiosk_id),
                    ],
                    now,
                )
                throttles.record(uow, throttles.CONTRACT_CHECKS, contract, now)
                throttles.record(uow, throttles.KIOSK_CONTRACT_CHECKS, ctx.kiosk_id, now)
                ctx.record_event(uow, "register_subscriber_not_found", email)
            else:
                ctx.record_event(uow, "register_contract_active", email)
            await uow.commit()

    async def _write_registration(
        self,
        uow: UnitOfWork,
        commune_id: int,
        contract: str,
        meter: str,
        email: str,
        first_name: str,
        last_name: str,
        password_hash: str,
        token: str,
    ) -> None:
        ctx, now = self.ctx, self.ctx.now()
        session = uow.session
        operator = await self._check_subscriber(uow, contract, meter, commune_id)
        # Locked (PostgreSQL; SQLite's write transaction is exclusive already) and checked
        # again: another kiosk may have activated it since the check above.
        existing = await session.scalar(
            select(Account).where(Account.contract == contract).with_for_update()
        )
        if existing is not None and existing.status != "pending":
            raise ContractAlreadyActive()
        owner = await session.scalar(select(Account).where(Account.email_key == email_key(email)))
        if owner is not None and (existing is None or owner.id != existing.id):
            enqueue(session, messages.address_in_use_mail(owner.email), now)
            ctx.record_event(uow, "register_email_in_use", email, owner.id)
            return
        digest = codes.token_digest(ctx.settings.secret_key, token)
        if existing is None:
            account = Account(
                contract=contract,
                email=email,
                email_key=email_key(email),
                first_name=first_name,
                last_name=last_name,
                password_hash=password_hash,
                status="pending",
                created_at=now,
                registration_digest=digest,
            )
            session.add(account)
            await session.flush()
            event = "register"
        else:
            # A pending account of this contract is replaced; its codes stop working.
            account = existing
            account.email, account.email_key = email, email_key(email)
            account.first_name, account.last_name = first_name, last_name
            account.password_hash, account.created_at = password_hash, now
            account.registration_digest = digest
            await self._cancel_codes(uow, account.id, "activation", now)
            event = "register_replaced_pending"
        await self._send_activation(uow, account, operator, now)
        ctx.record_event(uow, event, email, account.id)

    async def _send_activation(
        self, uow: UnitOfWork, account: Account, operator: str, now: datetime
    ) -> None:
        settings = self.ctx.settings
        code = self._issue_code(
            uow, account.id, "activation", now + timedelta(hours=settings.activation_ttl_hours), now
        )
        link = codes.code_link(settings.public_url, code)
        mail = messages.activation_mail(
            account.email,
            account.first_name,
            code,
            link,
            operator,
            round(settings.activation_ttl_hours),
        )
        enqueue(uow.session, mail, now)

    def _issue_code(
        self, uow: UnitOfWork, account_id: int, purpose: str, expires_at: datetime, now: datetime
    ) -> str:
        code = codes.generate_code()
        uow.session.add(
            Code(
                digest=codes.code_digest(self.ctx.settings.secret_key, code),
                purpose=purpose,
                account_id=account_id,
                created_at=now,
                expires_at=expires_at,
            )
        )
        return code

    async def _cancel_codes(
        self, uow: UnitOfWork, account_id: int, purpose: str, now: datetime
    ) -> None:
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

    async def resend_activation(self, receipt_token: str) -> float:
        """E-mail a new activation code (the old one stops working).

        Returns:
            Seconds before the next resend is allowed.

        Raises:
            TooManyAttempts: less than 60 s since the last, or 5 in the hour.
        """
        ctx, now = self.ctx, self.ctx.now()
        digest = codes.token_digest(ctx.settings.secret_key, receipt_token)
        async with ctx.unit_of_work() as uow:
            await throttles.ensure_allowed(uow, throttles.ACTIVATION_RESENDS, digest, now)
            throttles.record(uow, throttles.ACTIVATION_RESENDS, digest, now)
            account = await uow.session.scalar(
                select(Account).where(
                    Account.registration_digest == digest, Account.status == "pending"
                )
            )
            if account is not None:
                operator = await uow.session.scalar(
                    select(Operator.name)
                    .join(Commune, Commune.operator_code == Operator.code)
                    .join(Subscriber, Subscriber.commune_id == Commune.id)
                    .where(Subscriber.contract == account.contract)
                )
                await self._cancel_codes(uow, account.id, "activation", now)
                await self._send_activation(uow, account, operator or "", now)
                ctx.record_event(uow, "activation_resent", account.email, account.id)
            await uow.commit()
        return throttles.ACTIVATION_RESENDS.spacing.total_seconds()

    # -- codes -------------------------------------------------------------------------------

    async def redeem_code(self, typed: str) -> Redeemed:
        """Use an activation or reset code (typed, or the e-mail's link pasted).

        Raises:
            TooManyAttempts, CodeInvalid, CodeExpired.
        """
        ctx, now = self.ctx, self.ctx.now()
        canonical = codes.normalise_code(typed)
        async with ctx.unit_of_work() as uow:
            await throttles.ensure_allowed(uow, throttles.KIOSK_WRONG_CODES, ctx.kiosk_id, now)
            row = None
            if canonical is not None:
                digest = codes.code_digest(ctx.settings.secret_key, canonical)
                row = await uow.session.scalar(
                    select(Code).where(Code.digest == digest, Code.purpose != "reset_grant")
                )
            if row is None or row.used_at is not None or row.cancelled_at is not None:
                throttles.record(uow, throttles.KIOSK_WRONG_CODES, ctx.kiosk_id, now)
                ctx.record_event(uow, "code_invalid")
                await uow.commit()
                raise CodeInvalid()
            account = await uow.session.get(Account, row.account_id) if row.account_id else None
            if row.expires_at <= now or account is None:
                if (
                    row.purpose == "activation"
                    and account is not None
                    and account.status == "pending"
                ):
                    # A statement, not session.delete(): another kiosk redeeming the same
                    # expired code at the same moment may have deleted the account already.
                    await uow.session.execute(
                        delete(Account).where(Account.id == account.id, Account.status == "pending")
                    )
                ctx.record_event(
                    uow, f"code_expired_{row.purpose}", account.email if account else ""
                )
                await uow.commit()
                raise CodeExpired(row.purpose)
            if not await self._use_code(uow, row.id, now):
                raise CodeInvalid()
            if row.purpose == "activation":
                if account.status != "pending":
                    raise CodeInvalid()
                account.status, account.activated_at = "active", now
                account.registration_digest = None
                await self._cancel_codes(uow, account.id, "activation", now)
                enqueue(
                    uow.session, messages.confirmed_mail(account.email, account.first_name), now
                )
                signed_in = await self._open_session(uow, account, now)
                ctx.record_event(uow, "account_activated", account.email, account.id)
                await uow.commit()
                return Redeemed("activation", session=signed_in)
            if account.status != "active":
                raise CodeInvalid()
            grant = self._issue_code(uow, account.id, "reset_grant", now + RESET_GRANT_TTL, now)
            ctx.record_event(uow, "reset_code_accepted", account.email, account.id)
            await uow.commit()
            return Redeemed("reset", reset_grant=grant)

    async def _use_code(self, uow: UnitOfWork, code_id: int, now: datetime) -> bool:
        """Mark the code used, atomically: of two kiosks, exactly one gets True."""
        result = await uow.session.execute(
            update(Code)
            .where(Code.id == code_id, Code.used_at.is_(None), Code.cancelled_at.is_(None))
            .values(used_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    # -- forgotten password ------------------------------------------------------------------

    async def request_reset(self, typed_email: str) -> None:
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
            account = await uow.session.scalar(
                select(Account).where(Account.email_key == email_key(email))
            )
            if account is not None and account.status == "active":
                await self._cancel_codes(uow, account.id, "reset", now)
                minutes = ctx.settings.reset_ttl_minutes
                code = self._issue_code(
                    uow, account.id, "reset", now + timedelta(minutes=minutes), now
                )
                link = codes.code_link(ctx.settings.public_url, code)
                enqueue(
                    uow.session,
                    messages.reset_mail(
                        account.email, account.first_name, code, link, round(minutes)
                    ),
                    now,
                )
                ctx.record_event(uow, "reset_requested", email, account.id)
            else:
                ctx.record_event(uow, "reset_requested_unknown", email)
            await uow.commit()

    async def complete_reset(self, grant: str, password: str, password_confirm: str) -> None:
        """Set the new password chosen after a reset code; ends every session of the account.

        Raises:
            PasswordRejected, CodeExpired (the grant's 15 minutes passed), CodeInvalid.
        """
        ctx = self.ctx
        digest = codes.code_digest(ctx.settings.secret_key, grant)
        async with ctx.unit_of_work(read_only=True) as uow:
            row = (
                await uow.session.execute(
                    select(Code, Account, Subscriber)
                    .join(Account, Account.id == Code.account_id)
                    .join(Subscriber, Subscriber.contract == Account.contract)
                    .where(Code.digest == digest, Code.purpose == "reset_grant")
                )
            ).first()
            if row is None or row[0].used_at is not None or row[0].cancelled_at is not None:
                raise CodeInvalid()
            if row[0].expires_at <= ctx.now():
                raise CodeExpired("reset")
            _code, account, subscriber = row
            _check_new_password(
                password,
                password_confirm,
                contract=account.contract,
                meter=subscriber.meter,
                email=account.email,
            )
        password_hash = await ctx.hashing.hash(password)
        now = ctx.now()
        async with ctx.unit_of_work() as uow:
            code_row = await uow.session.scalar(
                select(Code).where(Code.digest == digest, Code.purpose == "reset_grant")
            )
            if code_row is None or code_row.expires_at <= now:
                raise CodeExpired("reset")
            if not await self._use_code(uow, code_row.id, now):
                raise CodeInvalid()
            account = await uow.session.get_one(Account, code_row.account_id)
            account.password_hash = password_hash
            signin_key = codes.token_digest(ctx.settings.secret_key, "signin:" + account.email_key)
            await throttles.clear_signin_failures(uow, signin_key)
            await self._cancel_codes(uow, account.id, "reset", now)
            await self._end_sessions(uow, account.id, now)
            enqueue(
                uow.session, messages.password_updated_mail(account.email, account.first_name), now
            )
            ctx.record_event(uow, "password_reset", account.email, account.id)
            await uow.commit()

    # -- sessions ----------------------------------------------------------------------------

    async def sign_in(self, typed_email: str, password: str) -> SignedIn:
        """Open a session; unknown addresses cost one verification and lock alike.

        Raises:
            InvalidInput (address syntax), InvalidCredentials, TooManyAttempts, AccountNotActivated.
        """
        ctx = self.ctx
        email = check_email(typed_email)
        key = codes.token_digest(ctx.settings.secret_key, "signin:" + email_key(email))
        async with ctx.unit_of_work(read_only=True) as uow:
            await throttles.ensure_signin_allowed(uow, key, ctx.now())
            account = await uow.session.scalar(
                select(Account).where(Account.email_key == email_key(email))
            )
            stored_hash = account.password_hash if account is not None else None
        matches = await ctx.hashing.verify(stored_hash, password)
        now = ctx.now()
        async with ctx.unit_of_work() as uow:
            await throttles.ensure_signin_allowed(uow, key, now)
            account = await uow.session.scalar(
                select(Account).where(Account.email_key == email_key(email))
            )
            if account is None or account.password_hash != stored_hash or not matches:
                lock = await throttles.record_signin_failure(uow, key, now)
                ctx.record_event(uow, "signin_failed", email, account.id if account else None)
                await uow.commit()
                if lock:
                    raise TooManyAttempts(lock.total_seconds())
                raise InvalidCredentials()
            await throttles.clear_signin_failures(uow, key)
            if account.status != "active":
                await uow.commit()
                raise AccountNotActivated()
            signed_in = await self._open_session(uow, account, now)
            ctx.record_event(uow, "signin", email, account.id)
            await uow.commit()
            account_id, old_hash = account.id, account.password_hash
        if ctx.hashing.needs_rehash(old_hash):
            new_hash = await ctx.hashing.hash(password)
            async with ctx.unit_of_work() as uow:
                await uow.session.execute(
                    update(Account)
                    .where(Account.id == account_id, Account.password_hash == old_hash)
                    .values(password_hash=new_hash)
                )
                ctx.record_event(uow, "password_rehashed", email, account_id)
                await uow.commit()
        return signed_in

    async def _open_session(self, uow: UnitOfWork, account: Account, now: datetime) -> SignedIn:
        token = codes.new_token()
        expires_at = now + timedelta(minutes=self.ctx.settings.session_minutes)
        uow.session.add(
            Session(
                token_digest=codes.token_digest(self.ctx.settings.secret_key, token),
                account_id=account.id,
                kiosk_id=self.ctx.kiosk_id,
                created_at=now,
                expires_at=expires_at,
            )
        )
        return SignedIn(token, account.first_name, account.last_name, expires_at)

    async def _end_sessions(self, uow: UnitOfWork, account_id: int, now: datetime) -> None:
        await uow.session.execute(
            update(Session)
            .where(Session.account_id == account_id, Session.ended_at.is_(None))
            .values(ended_at=now)
        )

    async def _live_session(self, uow: UnitOfWork, token: str) -> tuple[Session, Account]:
        digest = codes.token_digest(self.ctx.settings.secret_key, token)
        row = (
            await uow.session.execute(
                select(Session, Account)
                .join(Account, Account.id == Session.account_id)
                .where(Session.token_digest == digest)
            )
        ).first()
        if row is None or row[0].ended_at is not None or row[0].expires_at <= self.ctx.now():
            raise SessionExpired()
        return row[0], row[1]

    async def dashboard(self, session_token: str) -> DashboardSummary:
        """The contract summary of the signed-in customer.

        Raises:
            SessionExpired.
        """
        async with self.ctx.unit_of_work(read_only=True) as uow:
            _session, account = await self._live_session(uow, session_token)
            row = (
                await uow.session.execute(
                    select(Subscriber, Commune, Operator)
                    .join(Commune, Commune.id == Subscriber.commune_id)
                    .join(Operator, Operator.code == Commune.operator_code)
                    .where(Subscriber.contract == account.contract)
                )
            ).one()
            subscriber, commune, operator = row
            return DashboardSummary(
                account.first_name,
                account.last_name,
                account.email,
                commune.name,
                operator.name,
                subscriber.contract,
                subscriber.meter,
            )

    async def change_password(
        self, session_token: str, current: str, password: str, password_confirm: str
    ) -> None:
        """Change the password of the signed-in customer.

        Raises:
            SessionExpired, InvalidCredentials (wrong current password), PasswordRejected,
            TooManyAttempts (wrong current passwords count as failed sign-ins).
        """
        ctx = self.ctx
        async with ctx.unit_of_work(read_only=True) as uow:
            _session, account = await self._live_session(uow, session_token)
            signin_key = codes.token_digest(ctx.settings.secret_key, "signin:" + account.email_key)
            await throttles.ensure_signin_allowed(uow, signin_key, ctx.now())
            meter = await uow.session.scalar(
                select(Subscriber.meter).where(Subscriber.contract == account.contract)
            )
            _check_new_password(
                password,
                password_confirm,
                contract=account.contract,
                meter=meter or "",
                email=account.email,
            )
            old_hash, account_id, email = account.password_hash, account.id, account.email
        if not await ctx.hashing.verify(old_hash, current):
            # An open session must not become a way to guess the password.
            async with ctx.unit_of_work() as uow:
                lock = await throttles.record_signin_failure(uow, signin_key, ctx.now())
                ctx.record_event(uow, "password_change_refused", email, account_id)
                await uow.commit()
            if lock:
                raise TooManyAttempts(lock.total_seconds())
            raise InvalidCredentials()
        new_hash = await ctx.hashing.hash(password)
        now = ctx.now()
        async with ctx.unit_of_work() as uow:
            session_row, account = await self._live_session(uow, session_token)
            account.password_hash = new_hash
            await uow.session.execute(
                update(Session)
                .where(
                    Session.account_id == account_id,
                    Session.ended_at.is_(None),
                    Session.id != session_row.id,
                )
                .values(ended_at=now)
            )
            enqueue(
                uow.session, messages.password_updated_mail(account.email, account.first_name), now
            )
            ctx.record_event(uow, "password_changed", account.email, account.id)
            await uow.commit()

    async def sign_out(self, session_token: str) -> None:
        """End the session (nothing happens for an unknown or ended one)."""
        ctx = self.ctx
        digest = codes.token_digest(ctx.settings.secret_key, session_token)
        async with ctx.unit_of_work() as uow:
            session_row = await uow.session.scalar(
                select(Session).where(Session.token_digest == digest, Session.ended_at.is_(None))
            )
            if session_row is not None:
                session_row.ended_at = ctx.now()
                ctx.record_event(uow, "signout", "", session_row.account_id)
                await uow.commit()

    async def delete_expired_pending(self, uow: UnitOfWork, now: datetime) -> int:
        """Delete pending accounts whose activation delay has passed (their codes remain)."""
        cutoff = now - timedelta(hours=self.ctx.settings.activation_ttl_hours)
        result = await uow.session.execute(
            delete(Account).where(Account.status == "pending", Account.created_at <= cutoff)
        )
        return int(getattr(result, "rowcount", 0))
