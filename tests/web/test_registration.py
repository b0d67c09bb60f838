"""The four steps on the web (SPEC §10), on SQLite and PostgreSQL, e-mails from a real aiosmtpd."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy import text as sql

from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_PASSWORD
from tests.support.mail import SmtpSink, read_code
from tests.support.web import (
    client_for,
    csrf_token,
    delivered,
    link_path,
    parse,
    post_form,
)
from tests.support.web_registration import (
    choose_commune,
    commune_button,
    field_errors,
    form_error,
    give_contract,
    give_identity,
)
from web.app import WebCompanion, create_app

BOTH_ENGINES = True


async def test_home_offers_to_create_a_space_first(client: httpx.AsyncClient) -> None:
    page = parse((await client.get("/")).text)
    links = [attrs for tag, attrs in page.elements if "button" in attrs.get("class", "")]
    assert links[0]["id"] == "create" and links[0]["href"] == "/inscription"
    assert "Créer mon espace client" in page.text


async def test_a_whole_registration_then_the_emailed_link(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient
) -> None:
    listing = await client.get("/inscription", params={"q": "velaux"})
    assert "Étape 2 sur 4" in parse(listing.text).text
    chosen = await client.post(
        "/inscription/commune",
        data={
            "csrf_token": csrf_token(listing.text),
            "commune": commune_button(listing.text, "Velaux"),
        },
    )
    assert chosen.status_code == 200
    shown = parse(chosen.text)
    assert (shown.by_id("continue") or {}).get("href") == "/inscription/identite"
    assert "Eaux de Marseille" in shown.text
    cookie = chosen.headers["set-cookie"]
    assert cookie.startswith("__Host-ec_draft=") and "Path=/;" in cookie  # https: __Host-
    assert "HttpOnly" in cookie and "Secure" in cookie

    identity_page = parse((await client.get("/inscription/identite")).text)
    for field in ("last-name", "first-name", "email", "password", "password-confirm", "next"):
        assert identity_page.by_id(field) is not None, field
    assert "Étape 3 sur 4" in identity_page.text and "Velaux" in identity_page.text

    given = await give_identity(client)
    assert given.status_code == 303 and given.headers["location"] == "/inscription/contrat"
    assert DEMO_PASSWORD not in str(given.headers)
    contract_page = parse((await client.get("/inscription/contrat")).text)
    for field in ("contract", "meter", "invoice-help", "submit"):
        assert contract_page.by_id(field) is not None, field

    submitted = await give_contract(client)
    assert submitted.status_code == 303
    assert submitted.headers["location"] == "/inscription/envoye"
    sent = parse((await client.get("/inscription/envoye")).text)
    assert sent.by_id("notice") is not None
    assert text("registered") in sent.text
    assert "48 heures" in sent.text and sent.by_id("code") is not None

    activation = await delivered(runtime, smtp, 1)
    assert activation["To"] == DEMO_EMAIL
    landing = await client.get(link_path(activation))
    page = await client.get(landing.headers["location"])
    done = await post_form(client, "/code", {"step": "activate"}, page=page.text)
    assert done.headers["location"] == "/tableau-de-bord"
    dashboard = parse((await client.get("/tableau-de-bord")).text)
    assert "Votre compte a été validé." in dashboard.text
    assert "Bonjour Marie Dupont" in dashboard.text and DEMO_CONTRACT in dashboard.text
    assert read_code(activation) not in dashboard.text


async def test_the_search_ignores_accents_and_case(client: httpx.AsyncClient) -> None:
    page = (await client.get("/inscription", params={"q": "EGUIL"})).text
    assert commune_button(page, "Éguilles")
    nothing = parse((await client.get("/inscription", params={"q": "zzzz"})).text)
    assert nothing.by_id("commune-none") is not None
    assert text("commune_none") in nothing.text


async def test_a_search_too_long_or_invisible_is_told_not_searched(
    client: httpx.AsyncClient,
) -> None:
    for query in ("a" * 61, "vel\u200baux"):
        page = await client.get("/inscription", params={"q": query})
        assert page.status_code == 200
        assert field_errors(page.text) == {"commune": text("commune_query_format")}


async def test_an_operator_not_served_here_says_whom_to_contact(
    client: httpx.AsyncClient,
) -> None:
    answer = await choose_commune(client, "Aubagne")
    page = parse(answer.text)
    assert (page.by_id("operator") or {}) is not None
    assert "Régie des eaux de l'Est (démonstration)" in page.text
    assert "04 00 00 00 01" in page.text and "https://regie-est.example.fr" in page.text
    assert page.by_id("continue") is None and page.by_id("commune-list") is None
    assert "ec_draft=" not in answer.headers.get("set-cookie", "")
    # And the next step is out of reach.
    assert (await client.get("/inscription/identite")).headers["location"] == "/inscription"


async def test_a_refused_identity_keeps_names_never_the_password(
    client: httpx.AsyncClient,
) -> None:
    await choose_commune(client)
    refused = await give_identity(client, email="pas-une-adresse")
    assert refused.status_code == 200
    assert DEMO_PASSWORD not in refused.text
    page = parse(refused.text)
    assert (page.by_id("last-name") or {}).get("value") == "Dupont"
    assert (page.by_id("email") or {}).get("value") == "pas-une-adresse"
    assert (page.by_id("password") or {}).get("value") == ""
    assert (page.by_id("password-confirm") or {}).get("value") == ""
    errors = field_errors(refused.text)
    assert errors["email"] == text("email_format")
    assert errors["password"] == text("web_password_again")
    # The checklist says what the password that was sent satisfied.
    assert refused.text.count('class="met"') == 4

    weak = await give_identity(client, password="court1", password_confirm="court1")
    assert field_errors(weak.text)["password"] == text("password_checklist")
    assert weak.text.count('class="unmet"') == 2  # 8 characters and a special one
    assert "court1" not in weak.text


async def test_the_password_is_sealed_in_the_draft_and_gone_after(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    await choose_commune(client)
    given = await give_identity(client)
    assert DEMO_PASSWORD not in given.headers["set-cookie"]
    async with runtime.engine.connect() as connection:
        [(sealed, step)] = (
            await connection.execute(sql("SELECT sealed_password, step FROM registration_drafts"))
        ).all()
    assert step == "identity"
    assert DEMO_PASSWORD.encode() not in bytes(sealed)
    await choose_commune(client)  # a new draft forgets the browser's previous one
    async with runtime.engine.connect() as connection:
        [(step,)] = (await connection.execute(sql("SELECT step FROM registration_drafts"))).all()
    assert step == "commune"
    await give_identity(client)
    await give_contract(client)
    async with runtime.engine.connect() as connection:
        left = (await connection.execute(sql("SELECT count(*) FROM registration_drafts"))).scalar()
    assert left == 0


async def test_a_wrong_meter_reads_the_message_of_the_guide(client: httpx.AsyncClient) -> None:
    await choose_commune(client)
    await give_identity(client)
    refused = await give_contract(client, meter="ZZ99999999")
    assert form_error(refused.text) == text("subscriber_not_found")
    assert (parse(refused.text).by_id("meter") or {}).get("value") == "ZZ99999999"
    bad = await give_contract(client, contract="12345")
    assert field_errors(bad.text) == {"contract": text("contract_format")}
    # Still at the contract: the right numbers go through.
    assert (await give_contract(client)).headers["location"] == "/inscription/envoye"


async def test_a_password_holding_the_contract_sends_back_a_step(
    client: httpx.AsyncClient,
) -> None:
    await choose_commune(client)
    await give_identity(client, password="Eau-1234567", password_confirm="Eau-1234567")
    refused = await give_contract(client)
    assert form_error(refused.text) == text("password_contains_contract")
    page = parse(refused.text)
    assert text("web_password_go_back") in page.text
    assert "Eau-1234567" not in refused.text


async def test_each_browser_gets_its_own_token_in_the_same_search_page(
    web_app: WebCompanion,
) -> None:
    async with client_for(web_app, "203.0.113.7") as first, client_for(web_app) as second:
        tokens = []
        for browser in (first, second, first):
            await browser.get("/")  # the browser's cookie, as from the second page on
            page = (await browser.get("/inscription", params={"q": "vel"})).text
            tokens.append(csrf_token(page))
            assert commune_button(page, "Velaux")
        assert tokens[0] == tokens[2] != tokens[1]
        chosen = await first.post(
            "/inscription/commune",
            data={"csrf_token": tokens[1], "commune": commune_button(page, "Velaux")},
        )
        assert chosen.status_code == 403  # the other browser's token is no use here


async def test_each_step_may_be_answered_by_another_process(
    runtime: Runtime, make_runtime: Callable[..., Runtime], smtp: SmtpSink
) -> None:
    """``kiosk web --workers N``: two runtimes (engines, pools, services) on one database."""
    other = make_runtime()
    try:
        first_app = create_app(runtime.services, runtime.settings)
        second_app = create_app(other.services, other.settings)
        async with client_for(first_app) as first, client_for(second_app) as second:
            await choose_commune(first)
            second.cookies = first.cookies
            assert (await give_identity(second)).headers["location"] == "/inscription/contrat"
            first.cookies = second.cookies
            done = await give_contract(first)
            assert done.headers["location"] == "/inscription/envoye"
        assert (await delivered(runtime, smtp, 1))["To"] == DEMO_EMAIL
    finally:
        await other.engine.dispose()


async def test_the_language_link_of_the_search_page_stays_on_the_search(
    client: httpx.AsyncClient,
) -> None:
    await client.get("/")  # the browser's cookie: the search page is then the kept one
    for _ in range(2):  # rendered, then served from what was kept
        page = parse((await client.get("/inscription", params={"q": "velaux"})).text)
        assert (page.by_id("language") or {}).get("href") == "/inscription?lang=en"
