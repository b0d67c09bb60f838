"""Every route on the real services, on SQLite and PostgreSQL, codes read from delivered e-mails."""

from __future__ import annotations

from datetime import timedelta

import httpx

from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.mail import SmtpSink, read_code
from tests.support.web import (
    NEW_PASSWORD,
    activated_customer,
    client_for,
    delivered,
    link_path,
    parse,
    post_form,
    register_at_kiosk,
)
from web.app import WebCompanion

BOTH_ENGINES = True


async def test_home_leads_to_every_flow(client: httpx.AsyncClient) -> None:
    page = parse((await client.get("/")).text)
    assert "Espace Client · Agence en Ligne" in page.text
    links = {attrs.get("href") for tag, attrs in page.elements if tag == "a"}
    assert {"/inscription", "/connexion", "/mot-de-passe-oublie", "/code"} <= links


async def test_the_activation_link_signs_in_and_welcomes(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient
) -> None:
    await register_at_kiosk(runtime)
    activation = await delivered(runtime, smtp, 1)
    code = read_code(activation)

    landing = await client.get(link_path(activation))
    assert landing.status_code == 303 and landing.headers["location"] == "/code"
    assert code not in landing.headers["location"]
    code_cookie = landing.headers["set-cookie"]
    assert code_cookie.startswith("__Host-ec_code=")  # https: Path=/, as the prefix requires
    assert "HttpOnly" in code_cookie and "Secure" in code_cookie and "Max-Age" not in code_cookie

    page = await client.get("/code")
    assert page.status_code == 200
    assert code not in page.text  # not even in the page's source
    shown = parse(page.text)
    assert shown.by_id("activate") is not None
    assert "Activer mon espace client" in shown.text

    done = await post_form(client, "/code", {"step": "activate"}, page=page.text)
    assert done.status_code == 303 and done.headers["location"] == "/tableau-de-bord"
    assert "ec_session=" in done.headers.get("set-cookie", "")

    dashboard = parse((await client.get("/tableau-de-bord")).text)
    assert "Bienvenue sur votre Agence en Ligne" in dashboard.text
    assert "Votre compte a été validé." in dashboard.text
    assert "Bonjour Marie Dupont" in dashboard.text
    for value in ("Velaux", "1234567", "A12B345678", DEMO_EMAIL, "Eaux de Marseille"):
        assert value in dashboard.text
    confirmation = await delivered(runtime, smtp, 2)
    assert confirmation["Subject"] == "Votre espace client est activé"
    # The welcome is told once.
    again = parse((await client.get("/tableau-de-bord")).text)
    assert "Votre compte a été validé." not in again.text and "Bonjour Marie" in again.text


async def test_mail_scanners_leave_the_code_usable_once(
    runtime: Runtime, smtp: SmtpSink, web_app: WebCompanion
) -> None:
    await register_at_kiosk(runtime)
    path = link_path(await delivered(runtime, smtp, 1))

    # A scanner: HEAD, then GET twice, following the redirect with its cookie each time.
    async with client_for(web_app, "198.51.100.20") as scanner:
        head = await scanner.head(path)
        assert head.status_code == 303
        for _ in range(2):
            assert (await scanner.get(path)).status_code == 303
            preview = await scanner.get("/code")
            assert "Activer mon espace client" in parse(preview.text).text
    # Then the customer, once.
    async with client_for(web_app) as customer:
        await customer.get(path)
        page = await customer.get("/code")
        done = await post_form(customer, "/code", {"step": "activate"}, page=page.text)
        assert done.headers["location"] == "/tableau-de-bord"
    # Used: the same link now says so.
    async with client_for(web_app, "198.51.100.21") as late:
        await late.get(path)
        used = parse((await late.get("/code")).text)
        assert text("code_invalid") in used.text
        assert used.by_id("activate") is None


async def test_forgotten_password_by_the_links(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient
) -> None:
    await activated_customer(runtime, smtp)
    asked = await post_form(client, "/mot-de-passe-oublie", {"email": DEMO_EMAIL.upper()})
    assert asked.status_code == 200
    assert text("reset_requested") in parse(asked.text).text
    reset_mail = await delivered(runtime, smtp, 3)
    assert reset_mail["Subject"] == "Réinitialisation de votre mot de passe"

    assert (await client.get(link_path(reset_mail))).headers["location"] == "/code"
    form = await client.get("/code")
    shown = parse(form.text)
    assert {field.get("name") for field in shown.inputs()} >= {"password", "password_confirm"}
    rules = shown.by_id("password-rules")
    assert rules is not None
    assert "8 caractères minimum, contenant un nombre et un caractère spécial" in shown.text
    for line in ("Un nombre", "8 caractères", "Un caractère spécial"):
        assert line in shown.text

    # A password that misses a rule: refused, the checklist says which, the code stays good.
    weak = await post_form(
        client,
        "/code",
        {"step": "reset", "password": "abc", "password_confirm": "abc"},
        page=form.text,
    )
    weak_page = parse(weak.text)
    assert text("password_checklist") in weak_page.text
    lines = {
        attrs["data-rule"]: attrs["class"]
        for tag, attrs in weak_page.elements
        if "data-rule" in attrs
    }
    assert lines == {"digit": "unmet", "length": "unmet", "special": "unmet", "confirmation": "met"}

    done = await post_form(
        client,
        "/code",
        {"step": "reset", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        page=weak.text,
    )
    assert done.status_code == 303 and done.headers["location"] == "/connexion"
    login = parse((await client.get("/connexion")).text)
    assert "Votre mot de passe a été mis à jour." in login.text
    updated = await delivered(runtime, smtp, 4)
    assert updated["Subject"] == "Votre mot de passe a été mis à jour"

    signed_in = await post_form(
        client, "/connexion", {"email": DEMO_EMAIL, "password": NEW_PASSWORD}
    )
    assert signed_in.headers["location"] == "/tableau-de-bord"
    old = await post_form(client, "/connexion", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert text("invalid_credentials") in parse(old.text).text


async def test_a_typed_code_activates_and_a_typed_reset_code_opens_the_form(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient
) -> None:
    await register_at_kiosk(runtime)
    code = read_code(await delivered(runtime, smtp, 1))
    typed = await post_form(
        client, "/code", {"step": "type", "code": code.lower().replace("-", " ")}
    )
    assert typed.headers["location"] == "/tableau-de-bord"
    assert "Votre compte a été validé." in parse((await client.get("/tableau-de-bord")).text).text

    await post_form(client, "/mot-de-passe-oublie", {"email": DEMO_EMAIL})
    reset_code = read_code(await delivered(runtime, smtp, 3))
    opened = await post_form(client, "/code", {"step": "type", "code": reset_code})
    assert opened.headers["location"] == "/code"
    form = await client.get("/code")
    assert parse(form.text).by_id("password-confirm") is not None
    done = await post_form(
        client,
        "/code",
        {"step": "reset", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        page=form.text,
    )
    assert done.headers["location"] == "/connexion"


async def test_wrong_and_expired_codes_get_the_kiosks_messages(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient, clock: MovableClock
) -> None:
    empty = await post_form(client, "/code", {"step": "type", "code": " "})
    assert text("required") in parse(empty.text).text
    wrong = await post_form(client, "/code", {"step": "type", "code": "ABCD-EFGH-JKMN"})
    assert text("code_invalid") in parse(wrong.text).text
    garbage = await client.get("/code?c=pas-un-code")
    assert garbage.headers["location"] == "/code"
    assert text("code_invalid") in parse((await client.get("/code")).text).text

    await register_at_kiosk(runtime)
    path = link_path(await delivered(runtime, smtp, 1))
    clock.advance(timedelta(hours=48, seconds=1))
    await client.get(path)
    expired = parse((await client.get("/code")).text)
    assert text("code_expired_activation") in expired.text
    assert expired.by_id("activate") is None


async def test_sign_in_dashboard_change_password_sign_out(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient
) -> None:
    await activated_customer(runtime, smtp)
    assert (await client.get("/tableau-de-bord")).headers["location"] == "/connexion"
    assert (await client.get("/mot-de-passe")).headers["location"] == "/connexion"

    bad_address = await post_form(
        client, "/connexion", {"email": "pas-une-adresse", "password": "x"}
    )
    assert text("email_format") in parse(bad_address.text).text
    signed_in = await post_form(
        client, "/connexion", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    )
    assert signed_in.headers["location"] == "/tableau-de-bord"
    assert "Bonjour Marie Dupont" in parse((await client.get("/tableau-de-bord")).text).text

    form = await client.get("/mot-de-passe")
    names = {field.get("name") for field in parse(form.text).inputs()}
    assert names >= {"current_password", "password", "password_confirm"}
    wrong = await post_form(
        client,
        "/mot-de-passe",
        {
            "current_password": "Pas#LeBon1",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        page=form.text,
    )
    assert text("current_password_wrong") in parse(wrong.text).text
    changed = await post_form(
        client,
        "/mot-de-passe",
        {
            "current_password": DEMO_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        page=form.text,
    )
    assert changed.headers["location"] == "/tableau-de-bord"
    assert (
        "Votre mot de passe a été mis à jour."
        in parse((await client.get("/tableau-de-bord")).text).text
    )
    assert (await delivered(runtime, smtp, 3))["Subject"] == "Votre mot de passe a été mis à jour"

    dashboard = await client.get("/tableau-de-bord")
    out = await post_form(client, "/deconnexion", {}, page=dashboard.text)
    assert out.headers["location"] == "/"
    assert text("signed_out") in parse((await client.get("/")).text).text
    assert (await client.get("/tableau-de-bord")).headers["location"] == "/connexion"


async def test_an_ended_session_sends_back_to_sign_in(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient, clock: MovableClock
) -> None:
    await activated_customer(runtime, smtp)
    await post_form(client, "/connexion", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    clock.advance(timedelta(minutes=15, seconds=1))
    ended = await client.get("/tableau-de-bord")
    assert ended.headers["location"] == "/connexion"
    assert text("session_expired") in parse((await client.get("/connexion")).text).text
