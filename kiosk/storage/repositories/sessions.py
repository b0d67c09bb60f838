"""Signed-in sessions (only their token digests): opened, found, ended, purged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update

from kiosk.storage.models import Account, Session
from kiosk.storage.repositories.base import Repository


class SessionRepository(Repository):
    """The ``sessions`` table."""

    def add(
        self, token_digest: str, account_id: int, origin: str, now: datetime, expires_at: datetime
    ) -> None:
        self._session.add(
            Session(
                token_digest=token_digest,
                account_id=account_id,
                kiosk_id=origin,
                created_at=now,
                expires_at=expires_at,
            )
        )

    async def with_account(self, token_digest: str) -> tuple[Session, Account] | None:
        """The session of this digest (ended or not) and its account."""
        row = (
            await self._session.execute(
                select(Session, Account)
                .join(Account, Account.id == Session.account_id)
                .where(Session.token_digest == token_digest)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def end(self, token_digest: str, now: datetime) -> int | None:
        """End the open session of this digest; returns its account id (None: none open)."""
        session_row = await self._session.scalar(
            select(Session).where(Session.token_digest == token_digest, Session.ended_at.is_(None))
        )
        if session_row is None:
            return None
        session_row.ended_at = now
        return session_row.account_id

    async def end_all(self, account_id: int, now: datetime, *, keep: int | None = None) -> None:
        """End every open session of the account (but the one of id ``keep``)."""
        statement = update(Session).where(
            Session.account_id == account_id, Session.ended_at.is_(None)
        )
        if keep is not None:
            statement = statement.where(Session.id != keep)
        await self._session.execute(statement.values(ended_at=now))

    async def delete_finished_before(self, cutoff: datetime) -> int:
        """Delete the sessions that expired or ended before ``cutoff``; returns how many."""
        result = await self._session.execute(
            delete(Session).where(or_(Session.expires_at <= cutoff, Session.ended_at <= cutoff))
        )
        return int(getattr(result, "rowcount", 0))
