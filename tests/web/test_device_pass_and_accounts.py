"""The browser's device pass (a stranger's wrong passwords do not hold the owner there), the
account an e-mailed link is for shown before the customer acts, and a session token that a
change of password renews."""

from __future__ import annotations

import httpx

from kiosk.runtime import Runtime
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.mail import SmtpSink, read_code
from tests.support.web import (
    NEW_PASSWORD,
    activated_customer,
    client_for,
    csrf_token,
    delivered,
    link_path,
    parse,
    post_form,
    register_at_kiosk,
)
from web.app import WebCompanion

BOTH_ENGINES = True
TOO_MANY = "Trop de tentatives. Veuillez réessayer dans"
MASKED = "m***@example.fr"


async def sign_in(browser: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    page = await browser.get("/connexion")
    return await browser.post(
        "/connexion",
        data={"csrf_token": csrf_token(page.text), "email": email, "password": password},
    )


async def reset_in_browser(runtime: Runtime, smtp: SmtpSink, browser: httpx.AsyncClient) -> None:
    await post_form(browser, "/mot-de-passe-oublie", {"email": DEMO_EMAIL})
    reset_code = read_code(await delivered(runtime, smtp, 3))
    await post_form(browser, "/code", {"step": "type", "code": reset_code})
    form = await browser.get("/code")
    assert MASKED in parse(form.text).text  # the reset page names the account
    done = await post_form(
        browser,
        "/code",
        {"step": "reset", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        page=form.text,
    )
    assert done.headers["location"] == "/connexion"


async def test_the_owner_who_reset_in_this_browser_is_not_held_by_a_stranger(
    runtime: Runtime, smtp: SmtpSink, web_app: WebCompanion
) -> None:
    await activated_customer(runtime, smtp)
    async with (
        client_for(web_app, "203.0.113.7") as stranger,
        client_for(web_app, "198.51.100.9") as owner,
        client_for(web_app, "192.0.2.44") as owner_elsewhere,
    ):
        await reset_in_browser(runtime, smtp, owner)
        for _ in range(5):  # under a second, as the audit did
            await sign_in(stranger, DEMO_EMAIL, "Faux#Mot2Passe")
        held = parse((await sign_in(owner_elsewhere, DEMO_EMAIL, NEW_PASSWORD)).text).text
        assert TOO_MANY in held  # a browser without the pass is an untrusted client
        signed_in = await sign_in(owner, DEMO_EMAIL, NEW_PASSWORD)
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == "/tableau-de-bord"


async def test_a_browser_that_signed_in_before_keeps_its_pass(
    runtime: Runtime, smtp: SmtpSink, web_app: WebCompanion
) -> None:
    await activated_customer(runtime, smtp)
    async with (
        client_for(web_app, "203.0.113.7") as stranger,
        client_for(web_app, "198.51.100.9") as owner,
    ):
        first = await sign_in(owner, DEMO_EMAIL, DEMO_PASSWORD)
        assert first.headers["location"] == "/tableau-de-bord"
        cookies = first.headers.get_list("set-cookie")
        device = [line for line in cookies if line.startswith("__Host-ec_device=")]
        assert device and "HttpOnly" in device[0] and "Max-Age=" in device[0]
        for _ in range(5):
            await sign_in(stranger, DEMO_EMAIL, "Faux#Mot2Passe")
        assert TOO_MANY in parse((await sign_in(stranger, DEMO_EMAIL, DEMO_PASSWORD)).text).text
        again = await sign_in(owner, DEMO_EMAIL, DEMO_PASSWORD)
        assert again.headers["location"] == "/tableau-de-bord"


async def test_the_activation_page_names_the_account_before_the_customer_acts(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient
) -> None:
    await register_at_kiosk(runtime)
    activation = await delivered(runtime, smtp, 1)
    await client.get(link_path(activation))
    page = parse((await client.get("/code")).text)
    assert page.by_id("activate") is not None
    assert f"Compte concerné : {MASKED}" in page.text
    assert DEMO_EMAIL not in page.text  # masked, as the kiosk's Code screen shows it


async def test_a_change_of_password_renews_the_session_token(
    runtime: Runtime, smtp: SmtpSink, web_app: WebCompanion
) -> None:
    await activated_customer(runtime, smtp)
    async with client_for(web_app) as browser:
        await sign_in(browser, DEMO_EMAIL, DEMO_PASSWORD)
        before = browser.cookies.get("__Host-ec_session")
        assert before
        changed = await post_form(
            browser,
            "/mot-de-passe",
            {
                "current_password": DEMO_PASSWORD,
                "password": NEW_PASSWORD,
                "password_confirm": NEW_PASSWORD,
            },
        )
        assert changed.headers["location"] == "/tableau-de-bord"
        after = browser.cookies.get("__Host-ec_session")
        assert after and after != before
        assert (await browser.get("/tableau-de-bord")).status_code == 200
    async with client_for(web_app) as thief:  # the token seen before the change
        thief.cookies.set("__Host-ec_session", before, domain="espaceclients.example.fr")
        stale = await thief.get("/tableau-de-bord")
        assert stale.status_code == 303 and stale.headers["location"] == "/connexion"
        # Sent and found ended (not merely absent): the page clears it.
        assert "__Host-ec_session=;" in stale.headers.get("set-cookie", "")
