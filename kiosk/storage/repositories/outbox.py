"""The outbox: e-mails written with the transaction that causes them, leased to a mailer,
marked sent or failed, purged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from kiosk.domain.states import DeliveryOutcome, OutboxStatus
from kiosk.storage.models import OutboxMessage
from kiosk.storage.repositories.base import Repository


@dataclass(frozen=True)
class ClaimedMessage:
    """A message leased to one mailer, with what it needs to send it."""

    id: int
    recipient: str
    subject: str
    body_text: str
    body_html: str
    attempts: int
    attachment_name: str | None = None
    attachment: bytes | None = None


class OutboxRepository(Repository):
    """The ``outbox`` table."""

    def add(
        self,
        kind: str,
        recipient: str,
        subject: str,
        body_text: str,
        body_html: str,
        now: datetime,
        attachment: tuple[str, bytes] | None = None,
    ) -> None:
        """Add a message, due now; it exists only if the transaction commits.

        Args:
            attachment: a file name and its bytes (an invoice PDF), erased with the bodies.
        """
        self._session.add(
            OutboxMessage(
                kind=kind,
                recipient=recipient,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                status=OutboxStatus.PENDING,
                attempts=0,
                created_at=now,
                next_attempt_at=now,
                attachment_name=attachment[0] if attachment else None,
                attachment=attachment[1] if attachment else None,
            )
        )

    async def claim_due(
        self, worker: str, now: datetime, batch: int, lease: timedelta
    ) -> list[ClaimedMessage]:
        """Lease up to ``batch`` due messages to ``worker`` until ``now + lease``.

        On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` so that several
        mailers never take the same message; on SQLite the write transaction is exclusive.
        """
        query = (
            select(
                OutboxMessage.id,
                OutboxMessage.recipient,
                OutboxMessage.subject,
                OutboxMessage.body_text,
                OutboxMessage.body_html,
                OutboxMessage.attempts,
                OutboxMessage.attachment_name,
                OutboxMessage.attachment,
            )
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(batch)
        )
        bind = self._session.bind
        if bind is not None and bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        claimed = [
            ClaimedMessage(
                row.id,
                row.recipient,
                row.subject,
                row.body_text or "",
                row.body_html or "",
                row.attempts,
                row.attachment_name,
                row.attachment,
            )
            for row in await self._session.execute(query)
        ]
        if claimed:
            await self._session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([message.id for message in claimed]))
                .values(claimed_by=worker, claimed_until=now + lease)
            )
        return claimed

    async def mark_sent(self, message_ids: list[int], worker: str, now: datetime) -> int:
        """Record deliveries and erase the bodies; returns how many were still leased to us."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(message_ids),
                OutboxMessage.claimed_by == worker,
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            .values(
                status=OutboxStatus.SENT,
                sent_at=now,
                body_text=None,
                body_html=None,
                attachment=None,
                attempts=OutboxMessage.attempts + 1,
                claimed_until=None,
                last_error=None,
            )
        )
        return int(getattr(result, "rowcount", 0))

    async def mark_failed(
        self,
        message_id: int,
        worker: str,
        now: datetime,
        error: str,
        retry_delays: Sequence[timedelta],
    ) -> DeliveryOutcome:
        """Record a failed attempt: retry after ``retry_delays[attempts - 1]``, or abandon
        (bodies erased) once there is no delay left for this attempt."""
        row = await self._session.get(OutboxMessage, message_id)
        if row is None or row.claimed_by != worker or row.status != OutboxStatus.PENDING:
            return DeliveryOutcome.LOST
        row.attempts += 1
        row.last_error = error[:300]
        row.claimed_until = None
        if row.attempts > len(retry_delays):
            row.status = OutboxStatus.ABANDONED
            row.abandoned_at = now
            row.body_text = None
            row.body_html = None
            row.attachment = None
            return DeliveryOutcome.ABANDONED
        row.next_attempt_at = now + retry_delays[row.attempts - 1]
        return DeliveryOutcome.RETRY

    async def delete_done_before(self, cutoff: datetime) -> int:
        """Delete the messages sent or abandoned, written before ``cutoff``; returns how many."""
        result = await self._session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status != OutboxStatus.PENDING, OutboxMessage.created_at <= cutoff
            )
        )
        return int(getattr(result, "rowcount", 0))
