"""The outbox's rules: an e-mail is written with the transaction that causes it, then claimed
by a mailer for two minutes, and retried four times before it is abandoned.

The statements are :class:`kiosk.storage.repositories.outbox.OutboxRepository`'s; this module
says what to write and when.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.mail.messages import OutgoingMail
from kiosk.storage.unit_of_work import UnitOfWork

RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
)
"""Wait after attempts 1 to 4; the fifth failure abandons the message."""
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
CLAIM_LEASE = timedelta(minutes=2)
"""How long a claimed batch is a mailer's own; past it, another mailer may take it."""


def enqueue(uow: UnitOfWork, mail: OutgoingMail, now: datetime) -> None:
    """Add ``mail`` to the unit of work: it exists only if the unit of work commits."""
    uow.outbox.add(
        mail.kind,
        mail.recipient,
        mail.subject,
        mail.body_text,
        mail.body_html,
        now,
        attachment=mail.attachment,
    )
