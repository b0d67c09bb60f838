"""Who the client is and which host is asked: IPv6 clients by their /64, IPv4-mapped
addresses as IPv4 (peer and hops), a malformed forwarded address never the proxy, /metrics
never to a request an unlisted proxy forwarded, the public host enforced and no slash
redirect built from it, nothing invisible echoed into a field, uvicorn's own 400 headed, a
non-ASCII CSRF token refused (a 500 before)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from starlette.requests import HTTPConnection

from kiosk.runtime import Runtime
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.live_server import LiveServer
from tests.support.mail import SmtpSink
from tests.support.web import LOOPBACK, activated_customer, client_for, csrf_token, parse
from web import security
from web.app import WebCompanion
from web.security import ClientAddress

TOO_MANY = "Trop de tentatives. Veuillez réessayer dans"
INCORRECT = "Adresse e-mail ou mot de passe incorrect."


async def sign_in(
    browser: httpx.AsyncClient, email: str, password: str, headers: dict[str, str] | None = None
) -> str:
    page = await browser.get("/connexion", headers=headers)
    answer = await browser.post(
        "/connexion",
        data={"csrf_token": csrf_token(page.text), "email": email, "password": password},
        headers=headers,
    )
    return parse(answer.text).text


def connection(peer: str, *forwarded: str) -> HTTPConnection:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return HTTPConnection({"type": "http", "client": (peer, 40000), "headers": headers})


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("2001:db8:aa::1", "2001:db8:aa::/64"),
        ("2001:db8:aa:0:ffff:1:2:3", "2001:db8:aa::/64"),
        ("2001:db8:aa:1::1", "2001:db8:aa:1::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("203.0.113.9", "203.0.113.9"),
        ("unknown", "unknown"),
    ],
)
def test_the_throttles_key_an_ipv6_client_by_its_64(address: str, key: str) -> None:
    assert security.client_key(address) == key


def test_ipv4_mapped_addresses_are_ipv4_for_the_peer_and_every_hop() -> None:
    proxies = ClientAddress(["127.0.0.1", "10.0.0.0/8"])
    assert proxies(connection("::ffff:127.0.0.1", "203.0.113.9")) == "203.0.113.9"
    assert proxies(connection("127.0.0.1", "203.0.113.9, ::ffff:10.0.0.3")) == "203.0.113.9"
    assert proxies(connection("::ffff:127.0.0.1", "::ffff:203.0.113.9")) == "203.0.113.9"
    assert ClientAddress([])(connection("::ffff:198.51.100.4")) == "198.51.100.4"


async def test_forty_addresses_of_one_64_share_the_client_limit(
    runtime: Runtime, make_web_app: Callable[..., WebCompanion]
) -> None:
    app = make_web_app(trusted_proxies=("10.0.0.0/8",))
    async with client_for(app, "10.0.0.2") as proxy:
        answers = [
            await sign_in(
                proxy,
                f"client{number}@example.fr",
                "Motdepasse1!",
                {"x-forwarded-for": f"2001:db8:aa::{number + 1:x}"},
            )
            for number in range(40)
        ]
        other_network = await sign_in(
            proxy, "autre@example.fr", "Motdepasse1!", {"x-forwarded-for": "2001:db8:bb::1"}
        )
    assert all(INCORRECT in answer for answer in answers[:20])
    assert all(TOO_MANY in answer for answer in answers[20:])
    assert INCORRECT in other_network


async def test_a_dual_stack_listener_still_reads_the_proxy_s_forwarded_address(
    runtime: Runtime, smtp: SmtpSink, make_web_app: Callable[..., WebCompanion]
) -> None:
    """``kiosk web --host ::``: the proxy arrives as ``::ffff:127.0.0.1``."""
    await activated_customer(runtime, smtp)
    app = make_web_app(trusted_proxies=("127.0.0.1",))
    async with client_for(app, "::ffff:127.0.0.1") as proxy:
        for number in range(20):
            await sign_in(
                proxy, f"c{number}@example.fr", "Motdepasse1!", {"x-forwarded-for": "203.0.113.50"}
            )
        customer = {"x-forwarded-for": "203.0.113.51"}
        page = await proxy.get("/connexion", headers=customer)
        signed_in = await proxy.post(
            "/connexion",
            data={
                "csrf_token": csrf_token(page.text),
                "email": DEMO_EMAIL,
                "password": DEMO_PASSWORD,
            },
            headers=customer,
        )
    assert signed_in.headers["location"] == "/tableau-de-bord"


async def test_metrics_refuse_what_an_unlisted_or_confused_proxy_forwarded(
    runtime: Runtime, make_web_app: Callable[..., WebCompanion]
) -> None:
    plain = make_web_app()  # trusted_proxies empty, a local proxy in front
    async with client_for(plain, LOOPBACK) as local:
        assert (await local.get("/metrics")).status_code == 200  # this machine's scraper
        forwarded = await local.get("/metrics", headers={"x-forwarded-for": "203.0.113.9"})
        assert forwarded.status_code == 404
    behind = make_web_app(trusted_proxies=("127.0.0.1",))
    async with client_for(behind, LOOPBACK) as proxy:
        garbled = await proxy.get("/metrics", headers={"x-forwarded-for": "not-an-address"})
        assert garbled.status_code == 404  # the client is unknown, not the proxy


async def test_the_public_host_is_enforced_and_no_slash_redirect_carries_a_code(
    client: httpx.AsyncClient,
) -> None:
    evil = await client.get("/code/?c=AB12-CD34-EF56", headers={"host": "evil.example"})
    assert evil.status_code == 400 and "location" not in evil.headers
    assert evil.headers["x-content-type-options"] == "nosniff"
    ours = await client.get("/code/?c=AB12-CD34-EF56")
    assert ours.status_code == 404 and "location" not in ours.headers
    elsewhere = await client.get("/connexion", headers={"host": "evil.example"})
    assert elsewhere.status_code == 400
    for path in ("/sante", "/connexion"):  # this machine's own checks name the loopback
        assert (await client.get(path, headers={"host": "127.0.0.1:8080"})).status_code == 200


async def test_an_invisible_character_is_not_echoed_into_the_field(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/connexion")
    answer = await client.post(
        "/connexion",
        data={
            "csrf_token": csrf_token(page.text),
            "email": "marie\x00.dupont@example.fr",
            "password": "x",
        },
    )
    assert answer.status_code == 200
    assert "\x00" not in answer.text
    email = parse(answer.text).by_id("email")
    assert email is not None and email.get("value") == ""  # cannot be shown as typed
    # A printable value is shown back as typed (nothing lost).
    page = await client.get("/connexion")
    typed = "marie.dupont@example"
    answer = await client.post(
        "/connexion", data={"csrf_token": csrf_token(page.text), "email": typed, "password": "x"}
    )
    email = parse(answer.text).by_id("email")
    assert email is not None and email.get("value") == typed


async def test_a_commune_search_with_a_nul_is_not_echoed(client: httpx.AsyncClient) -> None:
    """Found by ``make scan`` on the registration's commune search (#20)."""
    answer = await client.get("/inscription", params={"q": "vel\x00aux"})
    assert answer.status_code == 200
    assert "\x00" not in answer.text
    typed = await client.get("/inscription", params={"q": "velaux"})
    assert 'value="velaux"' in typed.text  # a printable query is shown back as typed


async def test_a_csrf_token_with_non_ascii_characters_is_refused_not_a_crash(
    client: httpx.AsyncClient,
) -> None:
    """Found by ``make scan`` (wapiti): compare_digest raised TypeError, a 500 page."""
    await client.get("/connexion")  # the browser cookie
    for path in ("/connexion", "/mot-de-passe-oublie", "/code"):
        answer = await client.post(path, data={"csrf_token": "jeton¿'\"(", "email": "a@b.fr"})
        assert answer.status_code == 403, path


async def test_uvicorn_s_own_400_carries_the_security_headers(runtime: Runtime) -> None:
    with LiveServer(runtime) as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n")
        await writer.drain()
        reply = (await reader.read()).decode("latin-1").lower()
        writer.close()
    assert reply.startswith("http/1.1 400")
    assert "x-content-type-options: nosniff" in reply
    assert "content-security-policy: default-src 'self'" in reply
