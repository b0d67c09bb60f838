"""Failed sign-ins on ``/connexion`` (SPEC §5, §8): 20 per client address per 10 minutes,
and a locked customer is told that « Mot de passe oublié ? » lifts the wait."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.mail import SmtpSink, read_code
from tests.support.web import (
    NEW_PASSWORD,
    activated_customer,
    client_for,
    csrf_token,
    delivered,
    parse,
    post_form,
)
from web.app import WebCompanion

BOTH_ENGINES = True
TOO_MANY = "Trop de tentatives. Veuillez réessayer dans"
WAY_OUT = "« Mot de passe oublié ? »"


async def sign_in(
    browser: httpx.AsyncClient, email: str, password: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    page = await browser.get("/connexion", headers=headers)
    return await browser.post(
        "/connexion",
        data={"csrf_token": csrf_token(page.text), "email": email, "password": password},
        headers=headers,
    )


async def spray(browser: httpx.AsyncClient, headers: dict[str, str] | None = None) -> None:
    """Twenty wrong sign-ins over twenty addresses, each refused as a wrong password."""
    for number in range(20):
        answer = await sign_in(browser, f"client{number}@example.fr", "Motdepasse1!", headers)
        assert text("invalid_credentials") in parse(answer.text).text


async def test_one_client_address_spraying_is_held_another_is_not(
    runtime: Runtime, smtp: SmtpSink, web_app: WebCompanion
) -> None:
    await activated_customer(runtime, smtp)
    async with (
        client_for(web_app, "203.0.113.7") as sprayer,
        client_for(web_app, "198.51.100.9") as customer,
    ):
        await spray(sprayer)
        held = parse((await sign_in(sprayer, DEMO_EMAIL, DEMO_PASSWORD)).text).text
        assert f"{TOO_MANY} 10 minutes." in held and WAY_OUT not in held
        signed_in = await sign_in(customer, DEMO_EMAIL, DEMO_PASSWORD)
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == "/tableau-de-bord"


async def test_behind_a_trusted_proxy_each_forwarded_address_has_its_own_limit(
    runtime: Runtime, smtp: SmtpSink, make_web_app: Callable[..., WebCompanion]
) -> None:
    await activated_customer(runtime, smtp)
    behind_proxy = make_web_app(trusted_proxies=("10.0.0.0/8",))
    sprayer = {"x-forwarded-for": "203.0.113.50"}
    customer = {"x-forwarded-for": "203.0.113.51"}
    async with client_for(behind_proxy, "10.0.0.2") as proxy:
        await spray(proxy, sprayer)
        held = await sign_in(proxy, DEMO_EMAIL, DEMO_PASSWORD, sprayer)
        assert TOO_MANY in parse(held.text).text
        signed_in = await sign_in(proxy, DEMO_EMAIL, DEMO_PASSWORD, customer)
        assert signed_in.headers["location"] == "/tableau-de-bord"


async def test_a_locked_customer_reads_the_way_out_and_a_reset_lifts_the_wait(
    runtime: Runtime, smtp: SmtpSink, web_app: WebCompanion
) -> None:
    await activated_customer(runtime, smtp)
    async with (
        client_for(web_app, "203.0.113.7") as stranger,
        client_for(web_app, "198.51.100.9") as customer,
    ):
        for _ in range(5):
            await sign_in(stranger, DEMO_EMAIL, "Faux#Mot2Passe")
        locked = parse((await sign_in(customer, DEMO_EMAIL, DEMO_PASSWORD)).text)
        assert f"{TOO_MANY} 1 minute." in locked.text
        assert WAY_OUT in locked.text
        assert locked.by_id("forgot") is not None  # the link it names is on the page

        await post_form(customer, "/mot-de-passe-oublie", {"email": DEMO_EMAIL})
        reset_code = read_code(await delivered(runtime, smtp, 3))
        opened = await post_form(customer, "/code", {"step": "type", "code": reset_code})
        assert opened.headers["location"] == "/code"
        form = await customer.get("/code")
        done = await post_form(
            customer,
            "/code",
            {"step": "reset", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
            page=form.text,
        )
        assert done.headers["location"] == "/connexion"
        signed_in = await sign_in(customer, DEMO_EMAIL, NEW_PASSWORD)
        assert signed_in.headers["location"] == "/tableau-de-bord"
