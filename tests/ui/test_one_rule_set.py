"""One rule set: the same inputs typed at the kiosk and posted to the web companion are
refused under the same fields with the same sentences (SPEC §3; STYLE.md "two front ends, one
rule set")."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from textual.screen import Screen

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from screens.change_password import ChangePasswordScreen
from screens.code import CodeScreen
from screens.forgot import ForgotScreen
from screens.form import FormScreen
from screens.login import LoginScreen
from screens.reset import ResetScreen
from screens.widgets.error_line import ErrorLine
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.mail import SmtpSink
from tests.support.ui import SIZE, fill, wait_for
from tests.support.web import activated_customer, client_for, post_form
from web.app import create_app
from web.security import CODE_COOKIE, CODE_PATH, HOST_PREFIX

Refusals = dict[str, str]
"""What a form says after a submit: the id of each error line shown (``email-error``,
``password-confirm-error``, ``form-error``...) and its sentence."""

NEW = "Nouveau*Mot2Passe"

SIGN_IN = [
    {"email": "", "password": ""},
    {"email": "pas-une-adresse", "password": ""},
    {"email": "x@example.fr", "password": ""},
    {"email": "", "password": "Mauvais-1!"},
    {"email": "inconnu@example.fr", "password": "Mauvais-1!"},
]
CODES = [{"code": ""}, {"code": "   "}, {"code": "ABCD"}]
ADDRESSES = [{"email": ""}, {"email": "pas-une-adresse"}, {"email": "x@"}]
NEW_PASSWORDS = [
    {"password": "", "password_confirm": ""},
    {"password": "abc", "password_confirm": ""},
    {"password": "abc", "password_confirm": "abc"},
    {"password": NEW, "password_confirm": NEW + "2"},
    {"password": "", "password_confirm": NEW},
]
CHANGES = [{"current_password": "", **fields} for fields in NEW_PASSWORDS] + [
    {"current_password": DEMO_PASSWORD, **fields} for fields in NEW_PASSWORDS[1:]
]


def answered(form: FormScreen) -> bool:
    return not form.busy and bool(kiosk_refusals(form))


def kiosk_refusals(screen: Screen[Any]) -> Refusals:
    return {
        str(line.id): str(line.render())
        for line in screen.query(ErrorLine).results(ErrorLine)
        if line.shown
    }


ERROR_LINE = re.compile(r'<p class="(?:field|form)-error" id="([a-z-]+)"[^>]*>(.*?)</p>')


def web_refusals(page: str) -> Refusals:
    return {element: html.unescape(message) for element, message in ERROR_LINE.findall(page)}


async def at_the_kiosk(
    make_app: Callable[..., KioskApp],
    screen: Callable[[], FormScreen],
    inputs: list[dict[str, str]],
) -> list[Refusals]:
    app = make_app()
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        for fields in inputs:
            form = screen()
            await app.push_screen(form)
            for name, value in fields.items():
                await fill(pilot, "#" + name.replace("_", "-"), value)
            await pilot.press("enter")
            await wait_for(pilot, functools.partial(answered, form))
            seen.append(kiosk_refusals(form))
            app.pop_screen()
    return seen


@pytest.fixture
async def browser(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(create_app(runtime.services, runtime.settings)) as client:
        yield client


async def on_the_web(
    browser: httpx.AsyncClient, path: str, inputs: list[dict[str, str]], **hidden: str
) -> list[Refusals]:
    seen = []
    for fields in inputs:
        page = await post_form(browser, path, {**hidden, **fields})
        assert page.status_code == 200
        seen.append(web_refusals(page.text))
    return seen


async def test_sign_in(
    make_app: Callable[..., KioskApp], runtime: Runtime, browser: httpx.AsyncClient
) -> None:
    services = runtime.services
    kiosk = await at_the_kiosk(make_app, lambda: LoginScreen(services), SIGN_IN)
    web = await on_the_web(browser, "/connexion", SIGN_IN)
    assert kiosk == web
    assert kiosk[0] == {"email-error": text("required"), "password-error": text("required")}
    assert kiosk[-1] == {"form-error": text("invalid_credentials")}


async def test_forgotten_password(
    make_app: Callable[..., KioskApp], runtime: Runtime, browser: httpx.AsyncClient
) -> None:
    services = runtime.services
    kiosk = await at_the_kiosk(make_app, lambda: ForgotScreen(services), ADDRESSES)
    web = await on_the_web(browser, "/mot-de-passe-oublie", ADDRESSES)
    assert kiosk == web
    assert kiosk[0] == {"email-error": text("required")}
    assert kiosk[1] == {"email-error": text("email_format")}


async def test_code(
    make_app: Callable[..., KioskApp], runtime: Runtime, browser: httpx.AsyncClient
) -> None:
    services = runtime.services
    kiosk = await at_the_kiosk(make_app, lambda: CodeScreen(services), CODES)
    web = await on_the_web(browser, CODE_PATH, CODES, step="type")
    # The web shows a refused code above the form, where its link's refusal goes too.
    web = [{"code-error": refusals.pop("form-error")} | refusals for refusals in web[2:]]
    assert kiosk[2:] == web
    assert kiosk[:2] == [{"code-error": text("required")}] * 2
    assert kiosk[2] == {"code-error": text("code_invalid")}


async def test_new_password_after_a_reset_code(
    make_app: Callable[..., KioskApp], runtime: Runtime, browser: httpx.AsyncClient
) -> None:
    services = runtime.services
    kiosk = await at_the_kiosk(
        make_app, lambda: ResetScreen(services, "ABCD-EFGH-JKMN"), NEW_PASSWORDS
    )
    # On https the code's cookie is __Host- (Path=/), as the landing of a link sets it.
    browser.cookies.set(HOST_PREFIX + CODE_COOKIE, "ABCD-EFGH-JKMN", path="/")
    web = await on_the_web(browser, CODE_PATH, NEW_PASSWORDS, step="reset")
    assert kiosk == web
    assert kiosk[1] == {"password-confirm-error": text("required")}
    assert kiosk[2] == {"password-error": text("password_checklist")}
    assert kiosk[3] == {"password-confirm-error": text("password_checklist")}


async def test_change_of_password(
    make_app: Callable[..., KioskApp],
    runtime: Runtime,
    smtp: SmtpSink,
    browser: httpx.AsyncClient,
) -> None:
    await activated_customer(runtime, smtp)
    services = runtime.services
    session = await services.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    kiosk = await at_the_kiosk(
        make_app, lambda: ChangePasswordScreen(services, session.token), CHANGES
    )
    signed_in = await post_form(
        browser, "/connexion", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 303
    web = await on_the_web(browser, "/mot-de-passe", CHANGES)
    assert kiosk == web
    assert kiosk[0] == {
        "current-password-error": text("required"),
        "password-error": text("required"),
        "password-confirm-error": text("required"),
    }
