"""Registration drafts of the web (only their token digests): started, found, moved, dropped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from kiosk.storage.models import RegistrationDraft
from kiosk.storage.repositories.base import Repository


class DraftRepository(Repository):
    """The ``registration_drafts`` table."""

    def add(self, token_digest: str, step: str, commune_id: int, expires_at: datetime) -> None:
        self._session.add(
            RegistrationDraft(
                token_digest=token_digest,
                step=step,
                commune_id=commune_id,
                last_name="",
                first_name="",
                email="",
                sealed_password=None,
                expires_at=expires_at,
            )
        )

    async def live(self, token_digest: str, now: datetime) -> RegistrationDraft | None:
        """The draft of this digest, unless it has expired."""
        return await self._session.scalar(
            select(RegistrationDraft).where(
                RegistrationDraft.token_digest == token_digest,
                RegistrationDraft.expires_at > now,
            )
        )

    async def drop(self, token_digest: str) -> int:
        """Delete the draft of this digest; returns how many rows went (0 or 1)."""
        result = await self._session.execute(
            delete(RegistrationDraft).where(RegistrationDraft.token_digest == token_digest)
        )
        return int(getattr(result, "rowcount", 0))

    async def delete_expired(self, now: datetime) -> int:
        """Delete every draft whose time is up; returns how many."""
        result = await self._session.execute(
            delete(RegistrationDraft).where(RegistrationDraft.expires_at <= now)
        )
        return int(getattr(result, "rowcount", 0))
