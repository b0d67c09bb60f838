"""The outbox: e-mails written in the transaction that causes them, then claimed for delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kiosk.mail.messages import OutgoingMail
from kiosk.storage.models import OutboxMessage

MAX_ATTEMPTS = 5
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
)
"""Wait after attempts 1 to 4; the fifth failure abandons the message."""
CLAIM_LEASE = timedelta(minutes=2)


def enqueue(session: AsyncSession, mail: OutgoingMail, now: datetime) -> None:
    """Add ``mail`` to the current transaction: it exists only if the transaction commits."""
    session.add(
        OutboxMessage(
            kind=mail.kind,
            recipient=mail.recipient,
            subject=mail.subject,
            body_text=mail.body_text,
            body_html=mail.body_html,
            status="pending",
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
    )


@dataclass(frozen=True)
class ClaimedMessage:
    id: int
    recipient: str
    subject: str
    body_text: str
    body_html: str
    attempts: int


async def claim_due(
    session: AsyncSession, worker: str, now: datetime, batch: int
) -> list[ClaimedMessage]:
    """Lease up to ``batch`` due messages to ``worker`` (the caller commits).

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` so that several mailers
    never take the same message; on SQLite the write transaction is already exclusive.
    """
    query = (
        select(
            OutboxMessage.id,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.body_text,
            OutboxMessage.body_html,
            OutboxMessage.attempts,
        )
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = [
        ClaimedMessage(
            row.id,
            row.recipient,
            row.subject,
            row.body_text or "",
            row.body_html or "",
            row.attempts,
        )
        for row in await session.execute(query)
    ]
    if claimed:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([message.id for message in claimed]))
            .values(claimed_by=worker, claimed_until=now + CLAIM_LEASE)
        )
    return claimed


async def mark_sent(
    session: AsyncSession, message_ids: list[int], worker: str, now: datetime
) -> int:
    """Record deliveries and erase the bodies; returns how many were still leased to us."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.claimed_by == worker,
            OutboxMessage.status == "pending",
        )
        .values(
            status="sent",
            sent_at=now,
            body_text=None,
            body_html=None,
            attempts=OutboxMessage.attempts + 1,
            claimed_until=None,
            last_error=None,
        )
    )
    return int(getattr(result, "rowcount", 0))


async def mark_failed(
    session: AsyncSession, message_id: int, worker: str, now: datetime, error: str
) -> str:
    """Record a failed attempt: retry later, or abandon after the fifth. Returns the new status."""
    row = await session.get(OutboxMessage, message_id)
    if row is None or row.claimed_by != worker or row.status != "pending":
        return "lost"
    row.attempts += 1
    row.last_error = error[:300]
    row.claimed_until = None
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "abandoned"
        row.body_text = None
        row.body_html = None
    else:
        row.next_attempt_at = now + RETRY_DELAYS[row.attempts - 1]
    return row.status
