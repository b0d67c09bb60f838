"""The delivery worker: claims due outbox messages, sends them, records the outcome."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from kiosk.domain.clock import Clock
from kiosk.domain.errors import ServiceUnavailable
from kiosk.domain.states import DeliveryOutcome
from kiosk.mail import outbox
from kiosk.mail.messages import to_email_message
from kiosk.mail.transports import MaildirTransport, SmtpTransport, TransportError
from kiosk.storage.unit_of_work import SessionFactory, UnitOfWork

log = logging.getLogger("kiosk.mail")

MAX_PAUSE_SECONDS = 60.0
"""Longest wait between two polls when the outbox cannot be read."""
LEASE_MARGIN = timedelta(seconds=40)
"""Time kept in hand at the end of a claim: one SMTP timeout (30 s) and the recording."""


@dataclass(frozen=True)
class BatchReport:
    sent: int = 0
    retried: int = 0
    abandoned: int = 0


class _SentRecorder:
    """Marks delivered messages sent while the next ones are being sent.

    Deliveries are recorded in groups of :attr:`GROUP` (one short transaction each), so that
    the database costs little per message and a crash re-sends at most one group.
    """

    GROUP = 25

    def __init__(self, worker: OutboxWorker) -> None:
        self.worker = worker
        self.waiting: list[int] = []
        self.task: asyncio.Task[None] | None = None

    def add(self, message_id: int) -> None:
        self.waiting.append(message_id)
        if len(self.waiting) >= self.GROUP and (self.task is None or self.task.done()):
            self.task = asyncio.create_task(self._record())

    async def _record(self) -> None:
        while self.waiting:
            ids, self.waiting = self.waiting, []
            async with self.worker.unit_of_work() as uow:
                await uow.outbox.mark_sent(ids, self.worker.name, self.worker.clock())
                await uow.commit()

    async def close(self) -> None:
        while self.task is not None and not self.task.done():
            await self.task
        if self.task is not None:
            self.task.result()  # a database error surfaces here
        if self.waiting:
            self.task = asyncio.create_task(self._record())
            await self.task


class OutboxWorker:
    """Delivers the outbox; several workers (kiosks, ``kiosk mailer`` processes) may share it."""

    def __init__(
        self,
        sessions: SessionFactory,
        transport: SmtpTransport | MaildirTransport,
        *,
        sender: str,
        clock: Clock,
        batch_size: int = 50,
        poll_seconds: float = 2.0,
        name: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.transport = transport
        self.sender = sender
        self.clock = clock
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    async def deliver_due(self) -> BatchReport:
        """Deliver one batch of due messages over one connection."""
        claimed_at = self.clock()
        async with self.unit_of_work() as uow:
            claimed = await uow.outbox.claim_due(
                self.name, claimed_at, self.batch_size, outbox.CLAIM_LEASE
            )
            await uow.commit()
        if not claimed:
            return BatchReport()
        # Past this, another mailer may take the rest of the batch: stop before, not after.
        send_until = claimed_at + outbox.CLAIM_LEASE - LEASE_MARGIN
        sent = retried = abandoned = 0
        failures: dict[int, str] = {}
        delivered: list[int] = []
        recorder = _SentRecorder(self)
        try:
            async with self.transport.connect() as connection:
                for message in claimed:
                    if self.clock() >= send_until:
                        log.warning("slow relay: the rest of the batch goes back to the outbox")
                        break
                    email = to_email_message(
                        self.sender,
                        message.recipient,
                        message.subject,
                        message.body_text,
                        message.body_html,
                        self.clock(),
                    )
                    try:
                        await connection.send(email)
                    except TransportError as error:
                        failures[message.id] = str(error)
                        continue
                    delivered.append(message.id)
                    recorder.add(message.id)
        except TransportError as error:
            for message in claimed:
                if message.id not in delivered:
                    failures.setdefault(message.id, str(error))
        finally:
            await recorder.close()
        sent = len(delivered)
        if failures:
            async with self.unit_of_work() as uow:
                for message_id, error_text in failures.items():
                    outcome = await uow.outbox.mark_failed(
                        message_id, self.name, self.clock(), error_text, outbox.RETRY_DELAYS
                    )
                    if outcome is DeliveryOutcome.ABANDONED:
                        abandoned += 1
                        log.error(
                            "mail %d abandoned after %d attempts: %s",
                            message_id,
                            outbox.MAX_ATTEMPTS,
                            error_text,
                        )
                    else:
                        retried += 1
                        log.warning("mail %d not delivered, will retry: %s", message_id, error_text)
                await uow.commit()
        return BatchReport(sent, retried, abandoned)

    async def deliver_all_due(self) -> BatchReport:
        """Deliver batches until nothing is due now."""
        total = BatchReport()
        while True:
            report = await self.deliver_due()
            total = BatchReport(
                total.sent + report.sent,
                total.retried + report.retried,
                total.abandoned + report.abandoned,
            )
            if report == BatchReport():
                return total
            if report.sent == 0 and report.retried + report.abandoned > 0:
                return total

    async def run_forever(self) -> None:
        """Poll the outbox until cancelled. While the database is away, wait longer each time
        (up to a minute) and say so once, not at every poll."""
        pause, away = self.poll_seconds, False
        while True:
            try:
                report = await self.deliver_all_due()
                if report.sent:
                    log.info("delivered %d e-mail(s)", report.sent)
                if away:
                    log.warning("outbox: the database answers again")
                pause, away = self.poll_seconds, False
            except asyncio.CancelledError:
                raise
            except ServiceUnavailable:
                if not away:
                    log.warning("outbox: the database does not answer; waiting for it")
                away = True
                pause = min(pause * 2, MAX_PAUSE_SECONDS)
            except Exception:
                log.exception("outbox delivery failed; will try again")
                pause = min(pause * 2, MAX_PAUSE_SECONDS)
            await asyncio.sleep(pause)
