"""What the billing service returns (SPEC §9): plain data, importable without the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kiosk.domain.billing_rules import InvoiceStatus, euros, french_date, period_text
from kiosk.domain.catalogue import text


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice of the signed-in contract."""

    number: str
    issued_on: date
    period_start: date
    period_end: date
    volume_m3: int
    amount_excl_tax: Decimal
    amount_incl_tax: Decimal
    due_on: date
    status: InvoiceStatus

    @property
    def period_text(self) -> str:
        return period_text(self.period_start, self.period_end)

    @property
    def amount_text(self) -> str:
        """Incl. tax, in French form: ``1 234,56 €``."""
        return euros(self.amount_incl_tax)

    @property
    def status_label(self) -> str:
        return text(f"invoice_status_{self.status.value}")

    @property
    def status_text(self) -> str:
        """``À payer (échéance le 14/08/2026)``; a paid invoice reads ``Payée`` alone."""
        if self.status is InvoiceStatus.PAID:
            return self.status_label
        return text("invoice_status_due", status=self.status_label, due=french_date(self.due_on))


@dataclass(frozen=True)
class InvoiceDocument:
    """One invoice with what its PDF prints about the contract."""

    invoice: InvoiceLine
    holder: str
    commune: str
    operator: str
    contract: str
    meter: str

    def lines(self) -> list[tuple[str, str]]:
        """Label and value, in the order of the detail screen and of the PDF."""
        invoice = self.invoice
        return [
            (text("invoice_label_number"), invoice.number),
            (text("invoice_label_holder"), self.holder),
            (text("summary_commune"), self.commune),
            (text("summary_operator"), self.operator),
            (text("summary_contract"), self.contract),
            (text("summary_meter"), self.meter),
            (text("invoice_label_issued"), french_date(invoice.issued_on)),
            (text("invoice_label_period"), invoice.period_text),
            (text("invoice_label_volume"), text("invoice_volume", volume=invoice.volume_m3)),
            (text("invoice_label_excl"), euros(invoice.amount_excl_tax)),
            (text("invoice_label_incl"), euros(invoice.amount_incl_tax)),
            (text("invoice_label_status"), invoice.status_label),
            (text("invoice_label_due"), french_date(invoice.due_on)),
        ]


@dataclass(frozen=True)
class ConsumptionBar:
    """One billed period of the chart."""

    period_start: date
    period_end: date
    volume_m3: int

    @property
    def label(self) -> str:
        """``S2 2025``-like short label: the half-year or month the period starts in."""
        return f"{self.period_start.strftime('%m/%Y')}"

    @property
    def period_text(self) -> str:
        return period_text(self.period_start, self.period_end)


@dataclass(frozen=True)
class ReadingState:
    """What the reading form shows: the last known index, if any."""

    meter: str
    last_index: int | None
    last_read_on: date | None

    @property
    def last_text(self) -> str:
        if self.last_index is None or self.last_read_on is None:
            return text("reading_none")
        return text("reading_last", index=self.last_index, date=french_date(self.last_read_on))


@dataclass(frozen=True)
class RecordedReading:
    index_m3: int
    read_on: date

    @property
    def message(self) -> str:
        return text("reading_recorded", index=self.index_m3, date=french_date(self.read_on))
