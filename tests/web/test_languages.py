"""SPEC §11 on the web: every page in French and in English, the link to the other language
on each, the cookie that remembers it, ``Accept-Language`` on a first visit; the account's
language follows its sign-ins and writes its e-mails."""

from __future__ import annotations

import httpx
import pytest

from kiosk.runtime import Runtime
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, register_demo
from tests.support.mail import SmtpSink, plain_text
from tests.support.web import (
    activated_customer,
    client_for,
    delivered,
    link_path,
    parse,
    post_form,
)
from web.app import WebCompanion

PAGES = ["/", "/connexion", "/mot-de-passe-oublie", "/code", "/page-inconnue"]
"""The pages anybody can open (the last one: the 404 page)."""
SIGNED_IN_PAGES = ["/tableau-de-bord", "/mot-de-passe"]
ENGLISH_WORDS = {
    "/": "Create your customer space, activate it, sign in or choose a new password.",
    "/connexion": "Sign in with the e-mail address and password of your customer space.",
    "/mot-de-passe-oublie": "you will receive a code to choose a new password",
    "/code": "Enter the code received by e-mail",
    "/page-inconnue": "This page does not exist.",
    "/tableau-de-bord": "Contract number",
    "/mot-de-passe": "For security reasons, your password must contain:",
}
FRENCH_WORDS = {
    "/": "Créez votre espace client, activez-le, connectez-vous ou choisissez un nouveau mot "
    "de passe.",
    "/connexion": "Connectez-vous avec l'adresse e-mail et le mot de passe de votre espace.",
    "/mot-de-passe-oublie": "vous recevrez un code pour choisir un nouveau mot de passe",
    "/code": "Saisissez le code reçu par e-mail",
    "/page-inconnue": "Cette page n'existe pas.",
    "/tableau-de-bord": "Numéro de contrat",
    "/mot-de-passe": "Pour des raisons de sécurité, votre mot de passe doit contenir :",
}


def language_link(page: str) -> dict[str, str]:
    link = parse(page).by_id("language")
    assert link is not None, "no language link"
    return link


def check_page(page: str, path: str, language: str) -> None:
    """``page`` is written in ``language`` and offers the other one."""
    other = "fr" if language == "en" else "en"
    words = ENGLISH_WORDS if language == "en" else FRENCH_WORDS
    assert f'<html lang="{language}">' in page
    assert words[path] in parse(page).text
    link = language_link(page)
    assert link["lang"] == other and link["hreflang"] == other
    assert link["href"].endswith(f"?lang={other}")
    assert parse(page).text.count("English" if language == "fr" else "Français") >= 1


async def sign_in(browser: httpx.AsyncClient, runtime: Runtime, smtp: SmtpSink) -> None:
    """The demo customer, registered and activated at the kiosk, signs in with ``browser``."""
    await activated_customer(runtime, smtp)
    login = await browser.get("/connexion")
    await post_form(
        browser, "/connexion", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}, page=login.text
    )


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_every_page_in_both_languages(
    web_app: WebCompanion, runtime: Runtime, smtp: SmtpSink, language: str
) -> None:
    async with client_for(web_app) as browser:
        await sign_in(browser, runtime, smtp)
        for path in PAGES + SIGNED_IN_PAGES:
            response = await browser.get(f"{path}?lang={language}")
            check_page(response.text, path, language)
            # The cookie keeps the choice: the same page without the parameter.
            check_page((await browser.get(path)).text, path, language)


async def test_french_pages_show_no_english_and_english_pages_no_french(
    client: httpx.AsyncClient,
) -> None:
    french = parse((await client.get("/connexion")).text).text
    english = parse((await client.get("/connexion?lang=en")).text).text
    assert "Se connecter" in french and "Sign in" not in french
    assert "Sign in" in english
    for word in ("Se connecter", "Mot de passe", "Adresse e-mail", "Accueil", "Connexion"):
        assert word not in english


async def test_the_link_sets_a_cookie_that_outlives_the_visit(client: httpx.AsyncClient) -> None:
    response = await client.get("/?lang=en")
    cookie = next(
        line
        for line in response.headers.get_list("set-cookie")
        if line.startswith("__Host-ec_lang=")
    )
    assert cookie.startswith("__Host-ec_lang=en;") and "Max-Age=31536000" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert '<html lang="en">' in (await client.get("/connexion")).text
    # Back to French with the link of the English page.
    back = language_link((await client.get("/connexion")).text)["href"]
    assert back == "/connexion?lang=fr"
    assert '<html lang="fr">' in (await client.get(back)).text
    assert '<html lang="fr">' in (await client.get("/")).text


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [("en-GB,en;q=0.9", "en"), ("fr-FR,fr;q=0.9,en;q=0.8", "fr"), ("de-DE", "fr"), ("", "fr")],
)
async def test_accept_language_chooses_on_a_first_visit(
    web_app: WebCompanion, accept_language: str, language: str
) -> None:
    async with client_for(web_app) as browser:
        headers = {"accept-language": accept_language} if accept_language else {}
        page = await browser.get("/", headers=headers)
        assert f'<html lang="{language}">' in page.text
        assert not any(
            line.startswith("__Host-ec_lang=") for line in page.headers.get_list("set-cookie")
        )  # only a choice is remembered


async def test_the_cookie_wins_over_accept_language(web_app: WebCompanion) -> None:
    async with client_for(web_app) as browser:
        await browser.get("/?lang=fr")
        page = await browser.get("/", headers={"accept-language": "en-GB,en"})
        assert '<html lang="fr">' in page.text


async def test_an_error_message_and_the_checklist_in_english(client: httpx.AsyncClient) -> None:
    page = await client.get("/connexion?lang=en")
    wrong = await post_form(
        client, "/connexion", {"email": DEMO_EMAIL, "password": "Nope-1234!"}, page=page.text
    )
    assert "Incorrect e-mail address or password." in parse(wrong.text).text
    assert '<html lang="en">' in wrong.text


async def test_a_sign_in_in_english_makes_the_account_english(
    web_app: WebCompanion, runtime: Runtime, smtp: SmtpSink
) -> None:
    await activated_customer(runtime, smtp)  # registered in French: two French e-mails
    async with client_for(web_app) as browser:
        login = await browser.get("/connexion?lang=en")
        await post_form(
            browser, "/connexion", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}, page=login.text
        )
        forgot = await browser.get("/mot-de-passe-oublie")
        await post_form(browser, "/mot-de-passe-oublie", {"email": DEMO_EMAIL}, page=forgot.text)
    reset = await delivered(runtime, smtp, 3)
    assert reset["Subject"] == "Resetting your password"
    assert "You asked to reset the password of your customer space." in plain_text(reset)
    path = link_path(reset)
    assert path.endswith("&lang=en")
    async with client_for(web_app) as stranger_browser:  # another browser: no cookie yet
        landing = await stranger_browser.get(path)
        assert any(
            line.startswith("__Host-ec_lang=en;") for line in landing.headers.get_list("set-cookie")
        )
        page = await stranger_browser.get(landing.headers["location"])
    assert '<html lang="en">' in page.text
    assert "Choose a new password" in parse(page.text).text


async def test_an_account_registered_in_english_gets_english_mails_on_the_web(
    web_app: WebCompanion, runtime: Runtime, smtp: SmtpSink
) -> None:
    await register_demo(runtime.services, language="en")
    activation = await delivered(runtime, smtp, 1)
    assert activation["Subject"] == "Activate your customer space"
    async with client_for(web_app) as browser:
        landing = await browser.get(link_path(activation))
        page = await browser.get(landing.headers["location"])
        assert "Your code is valid. Confirm the activation of your customer space." in page.text
        done = await post_form(browser, "/code", {"step": "activate"}, page=page.text)
        dashboard = await browser.get(done.headers["location"])
    assert "Welcome to your Online Agency" in parse(dashboard.text).text
    confirmed = await delivered(runtime, smtp, 2)
    assert confirmed["Subject"] == "Your customer space is activated"
    assert plain_text(confirmed).startswith("Hello Marie,")
