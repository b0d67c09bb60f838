"""The audit trail: one row per authentication step (address masked by the caller)."""

from __future__ import annotations

from datetime import datetime

from kiosk.storage.models import AuthEvent
from kiosk.storage.repositories.base import Repository


class AuthEventRepository(Repository):
    """The ``auth_events`` table (written only)."""

    def add(
        self, at: datetime, origin: str, event: str, email_masked: str, account_id: int | None
    ) -> None:
        self._session.add(
            AuthEvent(
                at=at,
                kiosk_id=origin,
                event=event,
                email_masked=email_masked,
                account_id=account_id,
            )
        )
