"""The dashboard's services on both engines: invoices, PDF, consumption, readings, the alert."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kiosk.domain.billing_rules import InvoiceStatus
from kiosk.domain.errors import (
    InvalidInput,
    InvoiceNotFound,
    ReadingBelowLast,
    ReadingNeedsConfirmation,
    SessionExpired,
)
from kiosk.domain.refusals import describe
from kiosk.runtime import Runtime
from kiosk.services import KioskServices
from tests.support.billing import AFTER_THE_DEMO, LEAKING, pdf_text, signed_in_customer
from tests.support.clock import MovableClock
from tests.support.mail import SmtpSink, plain_text

Deliver = Callable[[], Awaitable[Any]]


@pytest.fixture
async def token(services: KioskServices, smtp: SmtpSink, deliver: Deliver) -> str:
    """The Velaux demo customer (contract 1234567), signed in."""
    return await signed_in_customer(services, smtp, deliver)


async def test_six_invoices_newest_first_in_french_form(
    services: KioskServices, token: str
) -> None:
    invoices = await services.billing.invoices(token)
    assert len(invoices) == 6
    assert [invoice.issued_on for invoice in invoices] == sorted(
        (invoice.issued_on for invoice in invoices), reverse=True
    )
    newest = invoices[0]
    assert newest.number == "F202607-000006"
    assert newest.amount_incl_tax == Decimal("171.29")
    assert newest.amount_text == "171,29 €"
    assert newest.status is InvoiceStatus.DUE
    assert newest.status_text == "À payer (échéance le 14/08/2026)"
    assert invoices[-1].status_text == "Payée"


async def test_another_contracts_invoice_is_unknown(services: KioskServices, token: str) -> None:
    for number in ("F202607-000012", "F999999-999999", "", "F202607-000006/../x", "x" * 500):
        with pytest.raises(InvoiceNotFound):
            await services.billing.invoice(token, number)
        with pytest.raises(InvoiceNotFound):
            await services.billing.send_invoice(token, number)
    assert describe(InvoiceNotFound()) == "Cette facture n'existe pas."


async def test_an_ended_session_reaches_nothing(services: KioskServices, token: str) -> None:
    await services.sessions.sign_out(token)
    with pytest.raises(SessionExpired):
        await services.billing.invoices(token)
    with pytest.raises(SessionExpired):
        await services.billing.invoice_pdf(token, "F202607-000006")
    with pytest.raises(SessionExpired):
        await services.billing.record_reading(token, "500")


async def test_the_pdf_reads_back_with_every_field(services: KioskServices, token: str) -> None:
    name, content = await services.billing.invoice_pdf(token, "F202607-000006")
    assert name == "facture-F202607-000006.pdf" and content.startswith(b"%PDF-")
    shown = pdf_text(content)
    for expected in (
        "F202607-000006",
        "DUPONT Marie",
        "Velaux",
        "Eaux de Marseille",
        "1234567",
        "A12B345678",
        "du 01/01/2026 au 30/06/2026",
        "38 m³",
        "162,36 €",
        "171,29 €",
        "À payer",
        "14/08/2026",
    ):
        assert expected in shown, expected


async def test_send_invoice_mails_the_pdf_to_the_account(
    services: KioskServices, token: str, smtp: SmtpSink, deliver: Deliver
) -> None:
    masked = await services.billing.send_invoice(token, "F202601-000005")
    assert "@" in masked and masked != "marie.dupont@example.fr"
    await deliver()
    [*_, mail] = await smtp.wait_for(3)
    assert mail["To"] == "marie.dupont@example.fr"
    assert "F202601-000005" in mail["Subject"]
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "facture-F202601-000005.pdf"
    assert "144,56 €" in pdf_text(attachment.get_content())
    body = plain_text(mail)
    assert "http" not in body and "code" not in body.lower()


async def test_consumption_draws_three_years(services: KioskServices, token: str) -> None:
    bars = await services.billing.consumption(token)
    assert [bar.volume_m3 for bar in bars] == [32, 34, 34, 34, 31, 38]
    assert bars[0].period_start == date(2023, 7, 1)


async def test_the_alert_shows_for_the_unusual_period_only(
    services: KioskServices, token: str, smtp: SmtpSink, deliver: Deliver
) -> None:
    assert await services.billing.unusual_consumption(token) is False
    leaking = await signed_in_customer(
        services,
        smtp,
        deliver,
        commune="marseille",
        first_name="Paul",
        last_name="Martin",
        **LEAKING,
    )
    assert await services.billing.unusual_consumption(leaking) is True


HEADER = (
    "contract,number,issued_on,period_start,period_end,volume_m3,amount_excl_tax,"
    "amount_incl_tax,due_on,status\n"
)


@pytest.mark.parametrize(("volume", "unusual"), [(66, False), (67, True)])
async def test_the_alert_threshold_on_both_sides(
    runtime: Runtime, services: KioskServices, token: str, volume: int, unusual: bool
) -> None:
    """The five periods before average 33 m³: 66 is twice that, not more; 67 is more."""
    line = (
        f"1234567,F202607-000006,2026-07-15,2026-01-01,2026-06-30,{volume},"
        "1.00,1.00,2026-08-14,a_payer\n"
    )
    await runtime.billing_imports.import_invoices(io.StringIO(HEADER + line))
    assert await services.billing.unusual_consumption(token) is unusual


@pytest.fixture
async def later_token(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, clock: MovableClock
) -> str:
    """Signed in on 3 December 2026, after the demo's last reading (486 m³ on 30 June)."""
    clock.now = AFTER_THE_DEMO
    return await signed_in_customer(services, smtp, deliver)


async def test_reading_rules(services: KioskServices, later_token: str) -> None:
    state = await services.billing.reading_state(later_token)
    assert (
        state.last_index == 486
        and state.last_text == "Dernier index connu : 486 m³, le 30/06/2026."
    )
    with pytest.raises(InvalidInput) as typed_wrong:
        await services.billing.record_reading(later_token, "48a")
    assert describe(typed_wrong.value).startswith("L'index comporte uniquement des chiffres")
    for wrong in ("", "-5", "4,5", "١٢٣", "1" * 10):
        with pytest.raises(InvalidInput):
            await services.billing.record_reading(later_token, wrong)
    with pytest.raises(ReadingBelowLast) as below:
        await services.billing.record_reading(later_token, "485")
    assert "486 m³" in describe(below.value)
    # 203 m³ in 1096 days, 156 days since: twice the usual is 57.8 m³, so up to 543.
    with pytest.raises(ReadingNeedsConfirmation):
        await services.billing.record_reading(later_token, "544")
    recorded = await services.billing.record_reading(later_token, "543")
    assert recorded.index_m3 == 543 and recorded.read_on == date(2026, 12, 3)
    assert recorded.message == "Votre index de 543 m³ a bien été enregistré le 03/12/2026."


async def test_a_confirmed_reading_is_recorded_and_exported(
    runtime: Runtime, services: KioskServices, later_token: str
) -> None:
    await services.billing.record_reading(later_token, "600", confirmed=True)
    await services.billing.record_reading(later_token, "520")  # the same day: replaces it
    assert (await services.billing.reading_state(later_token)).last_index == 520
    output = io.StringIO()
    assert await runtime.billing_imports.export_readings(date(2026, 12, 1), output) == 1
    assert output.getvalue().splitlines()[1] == "1234567,A12B345678,2026-12-03,520,autoreleve"


async def test_a_contract_without_invoices_has_empty_services(
    runtime: Runtime, services: KioskServices, token: str
) -> None:
    async with runtime.engine.begin() as connection:
        await connection.exec_driver_sql("DELETE FROM invoices WHERE contract = '1234567'")
    assert await services.billing.invoices(token) == []
    assert await services.billing.consumption(token) == []
    assert await services.billing.unusual_consumption(token) is False
    await services.sessions.sign_out(token)
    with pytest.raises(SessionExpired):
        await services.billing.invoices(token)  # no invoice, and no session: still refused
