"""Every response carries the headers of SPEC §8; errors are short French pages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kiosk.domain.catalogue import text
from tests.support.web import client_for, csrf_token, parse
from web.app import WebCompanion
from web.middleware import CONTENT_SECURITY_POLICY, MAX_BODY_BYTES

EXPECTED = {
    "content-security-policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
}


def assert_secure_headers(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    assert "server" not in response.headers


def test_the_policy_is_the_one_of_the_spec() -> None:
    assert EXPECTED["content-security-policy"] == CONTENT_SECURITY_POLICY


async def test_every_route_and_method_sends_the_headers(
    web_app: WebCompanion, client: httpx.AsyncClient
) -> None:
    answered = 0
    for route in web_app.routes:
        if not isinstance(route, Route):
            continue
        for method in sorted(route.methods or ()):
            response = await client.request(method, route.path)
            assert_secure_headers(response)
            answered += 1
    assert answered >= 14  # GET and HEAD of every page, the POSTs
    for path in ("/static/site.css", "/static/checklist.js", "/nulle-part", "/static/absent.js"):
        assert_secure_headers(await client.get(path))
    assert_secure_headers(await client.request("DELETE", "/connexion"))
    big = await client.post("/connexion", content=b"a" * (MAX_BODY_BYTES + 1))
    assert_secure_headers(big)


async def test_no_hsts_and_no_secure_cookie_over_plain_http(make_web_app) -> None:  # type: ignore[no-untyped-def]
    app = make_web_app(public_url="http://espaceclients.example.fr")
    async with client_for(app) as browser:
        response = await browser.get("/connexion")
    assert "strict-transport-security" not in response.headers
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


async def test_cookies_are_httponly_lax_and_secure_over_https(client: httpx.AsyncClient) -> None:
    response = await client.get("/connexion")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-ec_browser=") and "Path=/;" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie


@pytest.mark.parametrize(
    ("method", "path", "status", "key"),
    [
        ("GET", "/nulle-part", 404, "web_error_404"),
        ("GET", "/static/absent.css", 404, "web_error_404"),
        ("DELETE", "/connexion", 405, "web_error_405"),
        ("POST", "/", 405, "web_error_405"),
    ],
)
async def test_error_pages_are_short_and_french(
    client: httpx.AsyncClient, method: str, path: str, status: int, key: str
) -> None:
    response = await client.request(method, path)
    assert response.status_code == status
    page = parse(response.text)
    assert page.html_lang == "fr"
    assert text(key) in page.text
    assert f"Erreur {status}" in page.text
    assert "Traceback" not in response.text and "starlette" not in response.text.lower()


async def test_an_unexpected_error_is_a_french_500_without_a_traceback(
    web_app: WebCompanion,
) -> None:
    async def broken(request: Request) -> Response:
        raise RuntimeError("valeur-secrète-42 in the middle of the work")

    web_app.router.routes.append(Route("/casse", broken))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web_app, raise_app_exceptions=False),
        base_url="https://espaceclients.example.fr",
    ) as browser:
        response = await browser.get("/casse")
    assert response.status_code == 500
    assert text("web_error_500") in parse(response.text).text
    assert "valeur-secrète-42" not in response.text and "Traceback" not in response.text
    assert_secure_headers(response)


async def test_a_body_over_16_kib_is_refused_with_a_french_413(client: httpx.AsyncClient) -> None:
    page = (await client.get("/connexion")).text
    fields = {"csrf_token": csrf_token(page), "email": "a@example.fr", "password": "x"}
    fields["padding"] = "p" * MAX_BODY_BYTES
    response = await client.post("/connexion", data=fields)
    assert response.status_code == 413
    assert text("web_error_413") in parse(response.text).text

    # Announced or not (chunked), the limit holds.
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(20):
            yield b"x" * 1024

    chunked = await client.post("/connexion", content=chunks())
    assert chunked.status_code == 413
    # Just under the limit is read (and refused for its missing token, not its size).
    fitting = await client.post("/connexion", content=b"a=" + b"b" * (MAX_BODY_BYTES - 2))
    assert fitting.status_code == 403


@pytest.mark.parametrize(
    "path", ["/connexion", "/mot-de-passe-oublie", "/code", "/mot-de-passe", "/deconnexion"]
)
async def test_a_post_without_the_browsers_token_is_refused(
    client: httpx.AsyncClient, path: str
) -> None:
    page = (await client.get("/connexion")).text
    token = csrf_token(page)
    missing = await client.post(path, data={"email": "a@example.fr", "code": "x"})
    # Another last character, whatever the token ends with ("AA" written over a token that
    # ended with "AA" was the right token: a failure once in 4,096 runs).
    forged = token[:-1] + ("B" if token.endswith("A") else "A")
    wrong = await client.post(path, data={"csrf_token": forged, "code": "x"})
    for response in (missing, wrong):
        assert response.status_code == 403
        assert text("web_error_403") in parse(response.text).text
    # The right token from another browser (another cookie) is refused too.
    async with client_for(client._transport.app) as other:  # type: ignore[attr-defined]
        await other.get("/connexion")
        stolen = await other.post(path, data={"csrf_token": token, "code": "x"})
    assert stolen.status_code == 403


async def test_what_the_customer_typed_is_shown_back_escaped(client: httpx.AsyncClient) -> None:
    page = (await client.get("/connexion")).text
    hostile = '"><script>alert(1)</script><input value="'
    response = await client.post(
        "/connexion", data={"csrf_token": csrf_token(page), "email": hostile, "password": "x"}
    )
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert text("email_format") in parse(response.text).text
