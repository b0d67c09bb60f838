"""The web's registration against misuse (SPEC §10, §5): steps out of order, replays, a draft
too old, no CSRF token, an address in use, throttles per client address; SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest

from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_METER, DEMO_PASSWORD
from tests.support.mail import SmtpSink, read_code
from tests.support.web import (
    BASE_URL,
    client_for,
    delivered,
    parse,
    post_form,
)
from tests.support.web_registration import (
    IDENTITY,
    choose_commune,
    commune_button,
    form_error,
    give_contract,
    give_identity,
    register_on_web,
)
from web.app import WebCompanion

BOTH_ENGINES = True
BASE_HOST = urlsplit(BASE_URL).hostname or ""


async def test_steps_out_of_order_start_again_at_the_commune(client: httpx.AsyncClient) -> None:
    home = (await client.get("/connexion")).text  # a form, for this browser's CSRF token
    for path, fields in (
        ("/inscription/identite", IDENTITY),
        ("/inscription/contrat", {"contract": DEMO_CONTRACT, "meter": DEMO_METER}),
    ):
        answer = await post_form(client, path, fields, page=home)
        assert answer.status_code == 303 and answer.headers["location"] == "/inscription"
    restarted = parse((await client.get("/inscription")).text)
    assert text("web_draft_restart") in restarted.text

    # A commune only: the contract is still out of reach, by GET or POST.
    await choose_commune(client)
    assert (await client.get("/inscription/contrat")).headers["location"] == "/inscription"
    skipped = await post_form(
        client, "/inscription/contrat", {"contract": DEMO_CONTRACT, "meter": DEMO_METER}, page=home
    )
    assert skipped.headers["location"] == "/inscription"
    # ... and the draft was forgotten: the identity must follow a new commune.
    assert (await client.get("/inscription/identite")).headers["location"] == "/inscription"


async def test_a_replayed_submit_registers_nothing_more(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient
) -> None:
    await choose_commune(client)
    await give_identity(client)
    page = (await client.get("/inscription/contrat")).text
    fields = {"contract": DEMO_CONTRACT, "meter": DEMO_METER}
    draft_token = client.cookies["__Host-ec_draft"]
    first = await post_form(client, "/inscription/contrat", fields, page=page)
    assert first.headers["location"] == "/inscription/envoye"
    assert "__Host-ec_draft" not in client.cookies
    # The same request again, the draft's cookie included (a replay, a double click).
    client.cookies.set("__Host-ec_draft", draft_token, domain=BASE_HOST, path="/")
    replay = await post_form(client, "/inscription/contrat", fields, page=page)
    assert replay.status_code == 303 and replay.headers["location"] == "/inscription"
    await delivered(runtime, smtp, 1)
    await runtime.worker.deliver_all_due()
    assert len(smtp.messages) == 1


async def test_the_draft_is_forgotten_after_thirty_minutes(
    runtime: Runtime, client: httpx.AsyncClient, clock: MovableClock
) -> None:
    await choose_commune(client)
    await give_identity(client)
    clock.advance(timedelta(minutes=29))
    page = await client.get("/inscription/contrat")
    assert page.status_code == 200
    clock.advance(timedelta(minutes=2))
    fields = {"contract": DEMO_CONTRACT, "meter": DEMO_METER}
    late = await post_form(client, "/inscription/contrat", fields, page=page.text)
    assert late.headers["location"] == "/inscription"
    assert "__Host-ec_draft=;" in late.headers["set-cookie"]
    # The purge deletes it, sealed password and all (a new draft would too).
    assert (await runtime.services.maintenance.purge()).registration_drafts == 1


async def test_a_posted_form_without_its_token_is_refused(client: httpx.AsyncClient) -> None:
    listing = await client.get("/inscription", params={"q": "velaux"})
    answer = await client.post(
        "/inscription/commune", data={"commune": commune_button(listing.text, "Velaux")}
    )
    assert answer.status_code == 403
    assert "ec_draft=" not in answer.headers.get("set-cookie", "")


async def test_an_address_in_use_gets_the_same_pages_and_its_owner_an_email(
    runtime: Runtime,
    smtp: SmtpSink,
    client: httpx.AsyncClient,
    web_app: WebCompanion,
    clock: MovableClock,
) -> None:
    first = await register_on_web(client)
    first_sent = (await client.get("/inscription/envoye")).text
    code = read_code(await delivered(runtime, smtp, 1))
    await runtime.services.redemption.redeem(code)
    await delivered(runtime, smtp, 2)

    # Another contract (Marseille), the same address: the same answers as a new one.
    clock.advance(timedelta(minutes=2))  # the address's e-mails are 60 s apart
    async with client_for(web_app) as other:
        second = await register_on_web(other, "Marseille", contract="7654321", meter="K09C112233")
        second_sent = (await other.get("/inscription/envoye")).text
    assert (second.status_code, second.headers["location"]) == (
        first.status_code,
        first.headers["location"],
    )
    assert _without_token(second_sent) == _without_token(first_sent)
    warning = await delivered(runtime, smtp, 3)
    assert warning["To"] == DEMO_EMAIL
    assert warning["Subject"] == text("mail_in_use_subject")


def _without_token(page: str) -> str:
    """A page without its CSRF token (each browser has its own)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


async def test_contract_checks_are_throttled_per_client_address(web_app: WebCompanion) -> None:
    async with (
        client_for(web_app, "203.0.113.7") as first,
        client_for(web_app, "198.51.100.9") as second,
    ):
        await choose_commune(first)
        await give_identity(first)
        for number in range(10):  # ten contracts, so that no contract reaches its own limit
            refused = await give_contract(first, contract=f"900{number:04d}")
            assert form_error(refused.text) == text("subscriber_not_found")
        held = await give_contract(first, contract="9000010")
        assert form_error(held.text).startswith("Trop de tentatives. Veuillez réessayer dans")
        held = await give_contract(first)  # even the right numbers wait
        assert form_error(held.text).startswith("Trop de tentatives.")

        # Another address is not held by the first one's mistakes.
        await choose_commune(second)
        await give_identity(second)
        refused = await give_contract(second, contract="9000011")
        assert form_error(refused.text) == text("subscriber_not_found")
        done = await give_contract(second)
        assert done.headers["location"] == "/inscription/envoye"


async def test_no_password_or_draft_token_in_any_log_record(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await choose_commune(client)
    first_token = client.cookies["__Host-ec_draft"]
    await give_identity(client, email="pas-une-adresse")  # a refusal, then the real one
    await give_identity(client)
    tokens = [first_token, client.cookies["__Host-ec_draft"]]
    await give_contract(client, meter="ZZ99999999")
    await give_contract(client)
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s")
    lines = "\n".join(
        formatter.format(record)
        for record in caplog.records
        if record.name.startswith(("kiosk", "uvicorn", "starlette"))
    )
    assert "event=register " in lines and "/inscription/contrat" in lines
    for secret in (DEMO_PASSWORD, *tokens):
        assert secret not in lines
