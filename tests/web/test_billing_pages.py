"""The dashboard's services on the web (SPEC §9), on SQLite and PostgreSQL: invoices and their
PDF, consumption, the meter reading, the banner; another contract's invoice is the plain 404."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from kiosk.runtime import Runtime
from tests.support.billing import AFTER_THE_DEMO, LEAKING, pdf_text, signed_in_customer
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.mail import SmtpSink
from tests.support.web import client_for, parse, post_form
from web.app import WebCompanion

BOTH_ENGINES = True


async def sign_in(browser: httpx.AsyncClient, email: str = DEMO_EMAIL) -> None:
    done = await post_form(browser, "/connexion", {"email": email, "password": DEMO_PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/tableau-de-bord"


@pytest.fixture
async def browser(
    runtime: Runtime, smtp: SmtpSink, web_app: WebCompanion, clock: MovableClock
) -> AsyncIterator[httpx.AsyncClient]:
    """The Velaux demo customer (1234567), signed in on the web after the demo's readings."""
    clock.now = AFTER_THE_DEMO
    await signed_in_customer(runtime.services, smtp, runtime.worker.deliver_all_due)
    async with client_for(web_app) as client:
        await sign_in(client)
        yield client


async def test_six_invoices_newest_first_with_their_pdf(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/factures")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    shown = parse(page.text)
    links = [
        attrs["href"]
        for tag, attrs in shown.elements
        if tag == "a" and "pdf" in attrs.get("href", "")
    ]
    assert links == [
        f"/factures/F20{n}.pdf"
        for n in (
            "2607-000006",
            "2601-000005",
            "2507-000004",
            "2501-000003",
            "2407-000002",
            "2401-000001",
        )
    ]
    assert "171,29 €" in shown.text and "À payer (échéance le 14/08/2026)" in shown.text
    assert "Payée" in shown.text and shown.by_id("invoices") is not None
    pdf = await browser.get(links[0])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert 'filename="facture-F202607-000006.pdf"' in pdf.headers["content-disposition"]
    assert pdf.headers["x-content-type-options"] == "nosniff"
    text = pdf_text(pdf.content)
    assert "DUPONT Marie" in text and "171,29 €" in text and "162,36 €" in text


@pytest.mark.parametrize(
    "path",
    [
        "/factures/F202607-000012.pdf",  # 7654321's invoice
        "/factures/F999999-999999.pdf",  # made up
        "/factures/F202607-000006",  # no .pdf
        "/factures/F202607-000006.PDF",
        "/factures/..%2FF202607-000012.pdf",
        "/factures/F202607-000012%00.pdf",
        "/factures/%46202607-000012.pdf",  # F, percent-encoded
        "/factures/F202607-000012.pdf.pdf",
        "/factures/F202607-000006/../F202607-000012.pdf",
        "/factures/F202607-000012;.pdf",
        "/factures/%EF%BC%A6202607-000012.pdf",  # a full-width F
        "/factures/" + "9" * 300 + ".pdf",
    ],
)
async def test_another_contracts_or_a_made_up_invoice_is_the_ordinary_404(
    browser: httpx.AsyncClient, path: str
) -> None:
    unknown = await browser.get("/une-page-qui-n-existe-pas")
    answer = await browser.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == unknown.headers["content-type"]
    assert parse(answer.text).text == parse(unknown.text).text
    assert b"%PDF" not in answer.content


async def test_without_a_session_every_page_asks_to_sign_in(web_app: WebCompanion) -> None:
    async with client_for(web_app) as stranger:
        for path in ("/factures", "/factures/F202607-000006.pdf", "/consommation", "/releve"):
            answer = await stranger.get(path)
            assert answer.status_code == 303 and answer.headers["location"] == "/connexion"


async def test_consumption_as_svg_and_as_a_table(browser: httpx.AsyncClient) -> None:
    page = await browser.get("/consommation")
    assert page.status_code == 200
    assert "<svg" in page.text and 'role="img"' in page.text
    assert "style=" not in page.text and "<style" not in page.text  # the CSP allows neither
    shown = parse(page.text)
    rects = [attrs for tag, attrs in shown.elements if tag == "rect"]
    assert len(rects) == 6
    tallest = max(rects, key=lambda attrs: float(attrs["height"]))
    assert tallest is rects[-1]  # 38 m³, the last period
    rows = [attrs for tag, attrs in shown.elements if tag == "tr"]
    assert len(rows) == 7  # header and six periods
    assert "du 01/07/2023 au 31/12/2023 32" in shown.text


async def test_reading_refused_then_confirmed_then_exported(
    browser: httpx.AsyncClient, runtime: Runtime
) -> None:
    form = await browser.get("/releve")
    assert "Dernier index connu : 486 m³, le 30/06/2026." in parse(form.text).text
    below = await post_form(browser, "/releve", {"index": "480"}, page=form.text)
    assert below.status_code == 200 and "(486 m³)" in parse(below.text).text
    missing_token = await browser.post("/releve", data={"index": "500"})
    assert missing_token.status_code == 403
    far = await post_form(browser, "/releve", {"index": "600"}, page=form.text)
    shown = parse(far.text)
    assert shown.by_id("confirm-reading") is not None and shown.by_id("send-reading") is None
    assert "plus du double" in shown.text
    assert await _exported(runtime) == []  # nothing recorded before the confirmation
    done = await post_form(browser, "/releve", {"index": "600", "confirm": "600"}, page=far.text)
    assert done.status_code == 303 and done.headers["location"] == "/tableau-de-bord"
    dashboard = await browser.get("/tableau-de-bord")
    assert "Votre index a bien été enregistré." in parse(dashboard.text).text
    assert await _exported(runtime) == ["1234567,A12B345678,2026-12-03,600,autoreleve"]


async def _exported(runtime: Runtime) -> list[str]:
    output = io.StringIO()
    await runtime.billing_imports.export_readings(date(2026, 12, 1), output)
    return output.getvalue().splitlines()[1:]


async def test_the_banner_on_the_dashboard(
    browser: httpx.AsyncClient, runtime: Runtime, smtp: SmtpSink, web_app: WebCompanion
) -> None:
    mine = parse((await browser.get("/tableau-de-bord")).text)
    assert mine.by_id("leak-alert") is None
    assert {"/factures", "/consommation", "/releve"} <= {
        attrs.get("href") for tag, attrs in mine.elements if tag == "a"
    }
    await signed_in_customer(
        runtime.services,
        smtp,
        runtime.worker.deliver_all_due,
        commune="marseille",
        first_name="Paul",
        last_name="Martin",
        **LEAKING,
    )
    async with client_for(web_app, "198.51.100.9") as paul:
        await sign_in(paul, LEAKING["email"])
        page = parse((await paul.get("/tableau-de-bord")).text)
        assert page.by_id("leak-alert") is not None
        assert (
            "Votre consommation est inhabituellement élevée. Une fuite est peut-être en cause : "
            "vérifiez vos installations." in page.text
        )
