"""Throttles of SPEC §5 keyed by the client's address, read behind trusted proxies only."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from kiosk.domain.catalogue import text
from tests.support.web import client_for, csrf_token, parse
from web.app import WebCompanion

BOTH_ENGINES = True
WRONG_CODE = "ABCD-EFGH-JKMN"
TOO_MANY = "Trop de tentatives. Veuillez réessayer dans"


async def wrong_code(browser: httpx.AsyncClient, headers: dict[str, str] | None = None) -> str:
    page = await browser.get("/code", headers=headers)
    fields = {"step": "type", "code": WRONG_CODE}
    answer = await browser.post(
        "/code",
        data={"csrf_token": csrf_token(page.text), **fields},
        headers=headers,
    )
    return parse(answer.text).text


async def test_wrong_codes_are_counted_per_client_address(web_app: WebCompanion) -> None:
    async with (
        client_for(web_app, "203.0.113.7") as first,
        client_for(web_app, "198.51.100.9") as second,
    ):
        for _ in range(5):
            assert text("code_invalid") in await wrong_code(first)
        assert TOO_MANY in await wrong_code(first)
        # Another address is not held by the first one's mistakes.
        assert text("code_invalid") in await wrong_code(second)


async def test_behind_a_trusted_proxy_the_forwarded_address_is_the_key(
    make_web_app: Callable[..., WebCompanion],
) -> None:
    behind_proxy = make_web_app(trusted_proxies=("10.0.0.0/8",))
    async with client_for(behind_proxy, "10.0.0.2") as proxy:
        for _ in range(5):
            answer = await wrong_code(proxy, {"x-forwarded-for": "203.0.113.50"})
            assert text("code_invalid") in answer
        assert TOO_MANY in await wrong_code(proxy, {"x-forwarded-for": "203.0.113.50"})
        other = await wrong_code(proxy, {"x-forwarded-for": "203.0.113.51"})
        assert text("code_invalid") in other


async def test_without_trust_the_forwarded_header_changes_nothing(web_app: WebCompanion) -> None:
    async with client_for(web_app, "10.0.0.2") as peer:
        for number in range(5):
            answer = await wrong_code(peer, {"x-forwarded-for": f"203.0.113.{number}"})
            assert text("code_invalid") in answer
        assert TOO_MANY in await wrong_code(peer, {"x-forwarded-for": "203.0.113.99"})
