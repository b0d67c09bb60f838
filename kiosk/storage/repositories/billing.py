"""Invoices and meter readings of one contract, as the dashboard's services read them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kiosk.storage.models import Invoice, MeterReading


class InvoiceRepository:
    """The ``invoices`` table; every read is scoped to one contract."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def of_contract(self, contract: str, *, since: date | None = None) -> Sequence[Invoice]:
        """The contract's invoices, newest first (those issued on or after ``since``)."""
        query = select(Invoice).where(Invoice.contract == contract)
        if since is not None:
            query = query.where(Invoice.issued_on >= since)
        query = query.order_by(Invoice.issued_on.desc(), Invoice.number.desc())
        return (await self._session.scalars(query)).all()

    async def one_of_contract(self, contract: str, number: str) -> Invoice | None:
        """The invoice ``number`` if it belongs to ``contract``; None otherwise, whether it
        does not exist or belongs to another contract."""
        return await self._session.scalar(
            select(Invoice).where(Invoice.number == number, Invoice.contract == contract)
        )


class ReadingRepository:
    """The ``meter_readings`` table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

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
