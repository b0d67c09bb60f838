"""One-time codes (only their digests): issued, found, used, cancelled, purged."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, literal, select, update

from kiosk.domain.states import CodePurpose
from kiosk.storage.models import Account, Code
from kiosk.storage.repositories.base import Repository
from kiosk.storage.repositories.subscribers import Hold, nth_latest

_E_MAILED = (
    select(Code, Account)
    .outerjoin(Account, Account.id == Code.account_id)
    .where(Code.digest == bindparam("digest"), Code.purpose != CodePurpose.RESET_GRANT)
)
"""Built once: the statement's construction cost as much as its execution."""


@functools.cache
def _seen(scope: str, count: int) -> Select[Any]:
    """:data:`_E_MAILED`'s columns, for a look without the ORM (the page behind the link), and
    a throttle read with them: one row even when no code matches. Built once."""
    return (
        select(
            Code.purpose,
            Code.expires_at,
            Code.used_at,
            Code.cancelled_at,
            Account.status,
            Account.email,
            nth_latest(scope, count, bindparam("key"), bindparam("since")).label("held"),
        )
        .select_from(select(literal(1).label("one")).subquery())
        .outerjoin(
            Code,
            and_(Code.digest == bindparam("digest"), Code.purpose != CodePurpose.RESET_GRANT),
        )
        .outerjoin(Account, Account.id == Code.account_id)
    )


@dataclass(frozen=True)
class SeenCode:
    """An e-mailed code as a look at it needs it: what it opens, until when, for whom."""

    purpose: str
    expires_at: datetime
    live: bool
    """Neither used nor cancelled."""
    account_status: str | None
    """None: the code's account is gone."""
    account_email: str | None


class CodeRepository(Repository):
    """The ``codes`` table."""

    def add(
        self,
        digest: str,
        purpose: CodePurpose,
        account_id: int,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        self._session.add(
            Code(
                digest=digest,
                purpose=purpose,
                account_id=account_id,
                created_at=now,
                expires_at=expires_at,
            )
        )

    async def e_mailed(self, digest: str) -> tuple[Code, Account | None] | None:
        """The activation or reset code of this digest (never a reset grant), and its account,
        in one statement."""
        row = (await self._session.execute(_E_MAILED, {"digest": digest})).first()
        return None if row is None else (row[0], row[1])

    async def seen(self, digest: str, hold: Hold) -> tuple[SeenCode | None, datetime | None]:
        """:meth:`e_mailed`'s code and account as columns (a Core statement: no ORM session,
        no objects), and the ``hold.count``-th latest event of ``hold`` (None: not held), in
        one statement."""
        (row,) = await self._core_rows(
            _seen(hold.scope, hold.count),
            {"digest": digest, "key": hold.key, "since": hold.since},
        )
        purpose, expires_at, used_at, cancelled_at, status, email, held = row
        if purpose is None:
            return None, held
        live = used_at is None and cancelled_at is None
        return SeenCode(purpose, expires_at, live, status, email), held

    async def use(self, code_id: int, now: datetime) -> bool:
        """Mark the code used, atomically: of two kiosks, exactly one gets True."""
        result = await self._session.execute(
            update(Code)
            .where(Code.id == code_id, Code.used_at.is_(None), Code.cancelled_at.is_(None))
            .values(used_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def cancel(self, account_id: int, purpose: CodePurpose, now: datetime) -> None:
        """Cancel the account's live codes of ``purpose``."""
        await self._session.execute(
            update(Code)
            .where(
                Code.account_id == account_id,
                Code.purpose == purpose,
                Code.used_at.is_(None),
                Code.cancelled_at.is_(None),
            )
            .values(cancelled_at=now)
        )

    async def delete_expired_before(self, cutoff: datetime) -> int:
        """Delete the codes that expired before ``cutoff``; returns how many."""
        result = await self._session.execute(delete(Code).where(Code.expires_at <= cutoff))
        return int(getattr(result, "rowcount", 0))
