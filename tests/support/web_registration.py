"""Walking the web's registration (``/inscription``) with an httpx browser, step by step."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_METER, DEMO_PASSWORD
from tests.support.web import csrf_token, parse, post_form

IDENTITY: dict[str, str] = {
    "last_name": "Dupont",
    "first_name": "Marie",
    "email": DEMO_EMAIL,
    "password": DEMO_PASSWORD,
    "password_confirm": DEMO_PASSWORD,
}
"""The demo customer's identity, as the form posts it."""


def commune_button(page: str, name: str) -> str:
    """The value (commune id) of the button that chooses ``name`` in a list of communes."""
    match = re.search(rf'name="commune" value="(\d+)">{re.escape(name)}\b', page)
    assert match is not None, f"{name} is not in the list"
    return match.group(1)


async def choose_commune(browser: httpx.AsyncClient, name: str = "Velaux") -> httpx.Response:
    """Step 2: search ``name`` and press its button."""
    listing = await browser.get("/inscription", params={"q": name})
    assert listing.status_code == 200
    chosen = commune_button(listing.text, name)
    return await browser.post(
        "/inscription/commune", data={"csrf_token": csrf_token(listing.text), "commune": chosen}
    )


async def give_identity(browser: httpx.AsyncClient, **changes: str) -> httpx.Response:
    """Step 3, first part, with the demo identity (``changes`` replace fields)."""
    return await post_form(browser, "/inscription/identite", {**IDENTITY, **changes})


async def give_contract(
    browser: httpx.AsyncClient, contract: str = DEMO_CONTRACT, meter: str = DEMO_METER
) -> httpx.Response:
    """Step 3, second part (the page is read first, for its CSRF token)."""
    page = (await browser.get("/inscription/contrat")).text
    return await post_form(
        browser, "/inscription/contrat", {"contract": contract, "meter": meter}, page=page
    )


async def register_on_web(
    browser: httpx.AsyncClient, commune: str = "Velaux", **changes: Any
) -> httpx.Response:
    """The three posts of a registration; the last response (303 to the sent page)."""
    contract = changes.pop("contract", DEMO_CONTRACT)
    meter = changes.pop("meter", DEMO_METER)
    chosen = await choose_commune(browser, commune)
    assert chosen.status_code == 200, chosen.text
    identity = await give_identity(browser, **changes)
    assert identity.status_code == 303, parse(identity.text).text
    return await give_contract(browser, contract, meter)


def form_error(page: str) -> str:
    """The text of ``#form-error`` (empty when the page has none)."""
    match = re.search(r'id="form-error"[^>]*>([^<]*)<', page)
    return html.unescape(match.group(1)) if match else ""


def field_errors(page: str) -> dict[str, str]:
    """The message under each field, by the field's id."""
    found = re.findall(r'<p class="field-error" id="([a-z-]+)-error">([^<]*)</p>', page)
    return {field: html.unescape(message) for field, message in found}
