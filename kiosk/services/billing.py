"""The dashboard's services (SPEC §9): invoices and their PDF, consumption, meter reading,
the unusual-consumption alert. Only the signed-in session's own contract is ever reached."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from kiosk.domain import codes
from kiosk.domain.billing_rules import (
    HISTORY_YEARS,
    InvoiceStatus,
    KnownReading,
    Period,
    ReadingKind,
    is_invoice_number,
    is_unusual,
    needs_confirmation,
    parse_index,
    years_before,
)
from kiosk.domain.errors import (
    InvalidInput,
    InvoiceNotFound,
    ReadingBelowLast,
    ReadingNeedsConfirmation,
    SessionExpired,
)
from kiosk.domain.events import AuthEventName
from kiosk.domain.rules import mask_email
from kiosk.mail import messages
from kiosk.mail.outbox import enqueue
from kiosk.services.billing_results import (
    ConsumptionBar,
    InvoiceDocument,
    InvoiceLine,
    ReadingState,
    RecordedReading,
)
from kiosk.services.context import ServiceContext
from kiosk.services.invoice_pdf import invoice_pdf
from kiosk.storage.models import Account, Invoice
from kiosk.storage.unit_of_work import UnitOfWork


def _line(invoice: Invoice | Any) -> InvoiceLine:
    """From an invoice or a row of its columns (:meth:`InvoiceRepository.of_session`)."""
    return InvoiceLine(
        invoice.number,
        invoice.issued_on,
        invoice.period_start,
        invoice.period_end,
        invoice.volume_m3,
        invoice.amount_excl_tax,
        invoice.amount_incl_tax,
        invoice.due_on,
        InvoiceStatus(invoice.status),
    )


def _periods(invoices: Sequence[Any]) -> list[Period]:
    return [Period(row.period_start, row.period_end, row.volume_m3) for row in invoices]


class BillingService:
    """Invoices, consumption and meter readings of the signed-in customer's contract."""

    def __init__(self, context: ServiceContext) -> None:
        self.ctx = context

    async def _account(self, uow: UnitOfWork, token: str) -> Account:
        """The account of a live session (as :class:`SessionService` checks it)."""
        digest = codes.token_digest(self.ctx.settings.secret_key, token)
        found = await uow.sessions.with_account(digest)
        if found is None or found[0].ended_at is not None or found[0].expires_at <= self.ctx.now():
            raise SessionExpired()
        return found[1]

    async def _invoices_of_session(self, token: str) -> list[Any]:
        """The invoices of a live session's contract, newest first, read with the session in
        one statement (the dashboard's three reads, at a million invoices)."""
        digest = codes.token_digest(self.ctx.settings.secret_key, token)
        async with self.ctx.unit_of_work(one_read=True) as uow:
            rows = await uow.invoices.of_session(digest)
        if not rows or rows[0].ended_at is not None or rows[0].expires_at <= self.ctx.now():
            raise SessionExpired()
        return [row for row in rows if row.number is not None]

    async def invoices(self, session_token: str) -> list[InvoiceLine]:
        """The contract's invoices, newest first.

        Raises:
            SessionExpired.
        """
        return [_line(row) for row in await self._invoices_of_session(session_token)]

    async def invoice(self, session_token: str, number: str) -> InvoiceDocument:
        """One invoice of the contract, with the contract's holder, place and meter.

        Raises:
            SessionExpired, InvoiceNotFound (unknown, or another contract's: the same).
        """
        async with self.ctx.unit_of_work(read_only=True) as uow:
            account = await self._account(uow, session_token)
            row = None
            if is_invoice_number(number):
                row = await uow.invoices.one_of_contract(account.contract, number)
            if row is None:
                raise InvoiceNotFound()
            subscriber, commune, operator = await uow.subscribers.with_place(account.contract)
            return InvoiceDocument(
                _line(row),
                subscriber.holder,
                commune.name,
                operator.name,
                subscriber.contract,
                subscriber.meter,
            )

    async def invoice_pdf(self, session_token: str, number: str) -> tuple[str, bytes]:
        """The file name and bytes of one invoice's PDF.

        Raises:
            SessionExpired, InvoiceNotFound.
        """
        document = await self.invoice(session_token, number)
        return f"facture-{document.invoice.number}.pdf", await _pdf_of(document)

    async def send_invoice(self, session_token: str, number: str) -> str:
        """E-mail one invoice's PDF to the account's own address (through the outbox).

        Returns:
            The address, masked, for the confirmation on screen.

        Raises:
            SessionExpired, InvoiceNotFound.
        """
        document = await self.invoice(session_token, number)
        pdf = await _pdf_of(document)
        async with self.ctx.unit_of_work() as uow:
            account = await self._account(uow, session_token)
            mail = messages.invoice_mail(
                account.email, account.first_name, document.invoice.number, pdf, account.language
            )
            enqueue(uow, mail, self.ctx.now())
            self.ctx.record_event(uow, AuthEventName.INVOICE_SENT, account.email, account.id)
            await uow.commit()
            return mask_email(account.email)

    async def consumption(self, session_token: str) -> list[ConsumptionBar]:
        """The billed volume of each period of the last three years, oldest first.

        Raises:
            SessionExpired.
        """
        rows = await self._invoices_of_session(session_token)
        if not rows:
            return []
        last_end = max(row.period_end for row in rows)
        since = years_before(last_end, HISTORY_YEARS)
        bars = [
            ConsumptionBar(row.period_start, row.period_end, row.volume_m3)
            for row in rows
            if row.period_end > since
        ]
        return sorted(bars, key=lambda bar: bar.period_start)

    async def unusual_consumption(self, session_token: str) -> bool:
        """Whether the last billed period is unusual (SPEC §9): the dashboard's banner.

        Raises:
            SessionExpired.
        """
        return is_unusual(_periods(await self._invoices_of_session(session_token)))

    async def reading_state(self, session_token: str) -> ReadingState:
        """The meter and its last known index, for the reading form.

        Raises:
            SessionExpired.
        """
        async with self.ctx.unit_of_work(read_only=True) as uow:
            account = await self._account(uow, session_token)
            meter = await uow.subscribers.meter(account.contract) or ""
            last = await uow.readings.last_of_meter(account.contract, meter)
        if last is None:
            return ReadingState(meter, None, None)
        return ReadingState(meter, last.index_m3, last.read_on)

    async def record_reading(
        self, session_token: str, typed_index: str, *, confirmed: bool = False
    ) -> RecordedReading:
        """Record the index the customer read on the meter today, as ``autoreleve``.

        A second reading on the same day replaces the first.

        Raises:
            SessionExpired, InvalidInput (not whole m³), ReadingBelowLast,
            ReadingNeedsConfirmation (more than twice the usual consumption for the days
            elapsed, and not ``confirmed``).
        """
        index = parse_index(typed_index)
        if index is None:
            raise InvalidInput("index", "index_format")
        today = self.ctx.now().date()
        async with self.ctx.unit_of_work() as uow:
            account = await self._account(uow, session_token)
            meter = await uow.subscribers.meter(account.contract) or ""
            since = years_before(today, HISTORY_YEARS + 1)
            readings = [
                KnownReading(row.read_on, row.index_m3)
                for row in await uow.readings.of_meter(account.contract, meter, since=since)
                if not (row.read_on == today and row.kind == ReadingKind.SELF_READ)
            ]
            if readings:
                last = max(readings, key=lambda reading: reading.read_on)
                if index < last.index_m3:
                    raise ReadingBelowLast(last.index_m3)
                if not confirmed and needs_confirmation(readings, index, today):
                    raise ReadingNeedsConfirmation()
            existing = await uow.readings.find(meter, today, ReadingKind.SELF_READ)
            if existing is not None:
                existing.index_m3 = index
            else:
                uow.readings.add(account.contract, meter, today, index, ReadingKind.SELF_READ)
            self.ctx.record_event(uow, AuthEventName.READING_RECORDED, account.email, account.id)
            await uow.commit()
        return RecordedReading(index, today)


async def _pdf_of(document: InvoiceDocument) -> bytes:
    """The invoice's PDF, written in a worker thread: laying out a page (and loading fpdf2
    the first time) would hold the kiosk's screen or the web's other requests."""
    return await asyncio.to_thread(invoice_pdf, document)
