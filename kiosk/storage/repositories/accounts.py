"""Customer spaces: found by address, contract or receipt; opened, activated, replaced, purged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from kiosk.domain.states import AccountStatus, CodePurpose
from kiosk.storage.models import Account, Code
from kiosk.storage.repositories.base import Repository


@dataclass(frozen=True)
class Holder:
    """Who a registration names: the fields of an account that the customer typed."""

    email: str
    email_key: str
    first_name: str
    last_name: str
    password_hash: str
    language: str = "fr"
    """The language the customer registered in (SPEC §11)."""


class AccountRepository(Repository):
    """The ``accounts`` table."""

    async def get(self, account_id: int) -> Account | None:
        return await self._session.get(Account, account_id)

    async def by_email_key(self, email_key: str) -> Account | None:
        """The account of a case-folded address (one account per address)."""
        return await self._session.scalar(select(Account).where(Account.email_key == email_key))

    async def by_contract_locked(self, contract: str) -> Account | None:
        """The account of a contract, locked until the transaction ends (PostgreSQL; SQLite's
        write transaction is exclusive already)."""
        return await self._session.scalar(
            select(Account).where(Account.contract == contract).with_for_update()
        )

    async def pending_by_receipt(self, registration_digest: str) -> Account | None:
        """The pending account whose Code screen holds the receipt of this digest."""
        return await self._session.scalar(
            select(Account).where(
                Account.registration_digest == registration_digest,
                Account.status == AccountStatus.PENDING,
            )
        )

    async def add_pending(
        self, contract: str, holder: Holder, registration_digest: str, now: datetime
    ) -> Account:
        """Open a pending account; its id is known on return."""
        account = Account(
            contract=contract,
            email=holder.email,
            email_key=holder.email_key,
            first_name=holder.first_name,
            last_name=holder.last_name,
            password_hash=holder.password_hash,
            language=holder.language,
            status=AccountStatus.PENDING,
            created_at=now,
            registration_digest=registration_digest,
        )
        self._session.add(account)
        await self._session.flush()
        return account

    @staticmethod
    def renew_pending(
        account: Account, holder: Holder, registration_digest: str, now: datetime
    ) -> None:
        """A new registration of a pending account's contract replaces who it names."""
        account.email, account.email_key = holder.email, holder.email_key
        account.first_name, account.last_name = holder.first_name, holder.last_name
        account.password_hash, account.created_at = holder.password_hash, now
        account.language = holder.language
        account.registration_digest = registration_digest

    @staticmethod
    def activate(account: Account, now: datetime) -> None:
        """The activation code was redeemed: the account is active, its receipt forgotten."""
        account.status, account.activated_at = AccountStatus.ACTIVE, now
        account.registration_digest = None

    @staticmethod
    def set_password_hash(account: Account, password_hash: str) -> None:
        account.password_hash = password_hash

    async def replace_hash(self, account_id: int, old_hash: str, new_hash: str) -> None:
        """Store a rehash, unless the password changed in the meantime."""
        await self._session.execute(
            update(Account)
            .where(Account.id == account_id, Account.password_hash == old_hash)
            .values(password_hash=new_hash)
        )

    async def delete_pending(self, account_id: int) -> None:
        """Delete a pending account. A statement, not ``session.delete()``: another kiosk may
        have deleted it at the same moment."""
        await self._session.execute(
            delete(Account).where(Account.id == account_id, Account.status == AccountStatus.PENDING)
        )

    async def delete_pending_expired(self, cutoff: datetime, now: datetime) -> int:
        """Delete the pending accounts opened before ``cutoff`` whose activation codes have all
        expired (a resent code keeps its account as long as it lives); returns how many."""
        live_code = (
            select(Code.id)
            .where(
                Code.account_id == Account.id,
                Code.purpose == CodePurpose.ACTIVATION,
                Code.cancelled_at.is_(None),
                Code.used_at.is_(None),
                Code.expires_at > now,
            )
            .exists()
        )
        result = await self._session.execute(
            delete(Account).where(
                Account.status == AccountStatus.PENDING, Account.created_at <= cutoff, ~live_code
            )
        )
        return int(getattr(result, "rowcount", 0))
