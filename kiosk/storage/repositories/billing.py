"""Invoices and meter readings of one contract, as the dashboard's services read them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select

from kiosk.storage.models import Account, Invoice, MeterReading, Session
from kiosk.storage.repositories.base import Repository

_INVOICE_COLUMNS = (
    Invoice.number,
    Invoice.issued_on,
    Invoice.period_start,
    Invoice.period_end,
    Invoice.volume_m3,
    Invoice.amount_excl_tax,
    Invoice.amount_incl_tax,
    Invoice.due_on,
    Invoice.status,
)
_OF_SESSION = (
    select(Session.ended_at, Session.expires_at, *_INVOICE_COLUMNS)
    .join(Account, Account.id == Session.account_id)
    .outerjoin(Invoice, Invoice.contract == Account.contract)
    .where(Session.token_digest == bindparam("digest"))
    .order_by(Invoice.issued_on.desc(), Invoice.number.desc())
)
"""The session and its contract's invoices in one round trip (the dashboard's reads)."""


class InvoiceRepository(Repository):
    """The ``invoices`` table; every read is scoped to one contract."""

    async def of_session(self, token_digest: str) -> Sequence[Any]:
        """Rows of the session's end and expiry, and of one invoice of its account's contract
        each, newest first: none when no session has this digest; one whose invoice columns
        are None when the contract has no invoice. The caller checks the session. One Core
        statement: a one-read unit of work reads it (:mod:`kiosk.storage.quick_reads`)."""
        return await self._core_rows(_OF_SESSION, {"digest": token_digest})

    async def one_of_contract(self, contract: str, number: str) -> Invoice | None:
        """The invoice ``number`` if it belongs to ``contract``; None otherwise, whether it
        does not exist or belongs to another contract."""
        return await self._session.scalar(
            select(Invoice).where(Invoice.number == number, Invoice.contract == contract)
        )


class ReadingRepository(Repository):
    """The ``meter_readings`` table."""

    async def of_meter(self, contract: str, meter: str, *, since: date) -> Sequence[MeterReading]:
        """The readings of the contract's meter on or after ``since``, oldest first."""
        return (
            await self._session.scalars(
                select(MeterReading)
                .where(
                    MeterReading.contract == contract,
                    MeterReading.meter == meter,
                    MeterReading.read_on >= since,
                )
                .order_by(MeterReading.read_on, MeterReading.id)
            )
        ).all()

    async def last_of_meter(self, contract: str, meter: str) -> MeterReading | None:
        return await self._session.scalar(
            select(MeterReading)
            .where(MeterReading.contract == contract, MeterReading.meter == meter)
            .order_by(MeterReading.read_on.desc(), MeterReading.id.desc())
            .limit(1)
        )

    async def find(self, meter: str, read_on: date, kind: str) -> MeterReading | None:
        return await self._session.scalar(
            select(MeterReading).where(
                MeterReading.meter == meter,
                MeterReading.read_on == read_on,
                MeterReading.kind == kind,
            )
        )

    def add(self, contract: str, meter: str, read_on: date, index_m3: int, kind: str) -> None:
        self._session.add(
            MeterReading(
                contract=contract, meter=meter, read_on=read_on, index_m3=index_m3, kind=kind
            )
        )
