"""The kiosk and the web refuse the same registrations with the same messages (SPEC §10).

Each bad input is typed at the kiosk (pilot) and posted on the web (httpx), both over one set
of services; the messages each front end shows are read back and compared, field by field.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from screens.contract import ContractScreen
from screens.identity import IdentityScreen
from screens.widgets.error_line import ErrorLine
from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_METER, DEMO_PASSWORD
from tests.support.ui import SIZE, fill, identity_screen, submit_identity, wait_for
from tests.support.web import client_for
from tests.support.web_registration import (
    choose_commune,
    field_errors,
    form_error,
    give_contract,
    give_identity,
)
from web.app import create_app

Shown = dict[str, str]
"""The message under each field (by the field's id), and ``form`` for ``#form-error``."""

BAD_IDENTITIES: list[dict[str, str]] = [
    {"last_name": ""},
    {"first_name": "Marie2"},
    {"email": "pas-une-adresse"},
    {"email": "marie@exemple.fr\u202e"},
    {"password": "court1"},
    {"password": "Motdepasse!"},
    {"password": "Password1!"},
    {"password": "Ruisseau-42!", "password_confirm": "Ruisseau-43!"},
    {"password": "marie.dupont-1"},
]
"""Each changes the demo identity; each is refused at the identity step."""

BAD_NUMBERS: list[tuple[str, str]] = [
    ("12345", DEMO_METER),
    ("１２３４５６７", DEMO_METER),
    (DEMO_CONTRACT, "AB"),
    (DEMO_CONTRACT, "ZZ99999999"),
    ("7654321", DEMO_METER),
]
"""Contract and meter numbers, refused at the contract step."""

IDENTITY_IDS = {
    "last_name": "last-name",
    "first_name": "first-name",
    "email": "email",
    "password": "password",
    "password_confirm": "password-confirm",
}


def kiosk_errors(app: KioskApp) -> Shown:
    shown: Shown = {}
    for line in app.screen.query(".field-error, #form-error").results(ErrorLine):
        if line.shown:
            key = "form" if line.id == "form-error" else str(line.id).removesuffix("-error")
            shown[key] = str(line.render())
    return shown


def web_errors(page: str) -> Shown:
    shown = field_errors(page)
    if form_error(page):
        shown["form"] = form_error(page)
    if shown.get("password") == text("web_password_again"):
        del shown["password"]  # the web never writes a password back: it asks for it again
    return shown


async def kiosk_identity(pilot: Pilot[None], fields: dict[str, str]) -> Shown:
    app = pilot.app
    assert isinstance(app, KioskApp)
    for name, value in fields.items():
        await fill(pilot, "#" + IDENTITY_IDS[name], value)
    await fill(pilot, "#password-confirm", fields["password_confirm"])
    await pilot.press("enter")
    await wait_for(pilot, lambda: bool(kiosk_errors(app)))
    assert isinstance(app.screen, IdentityScreen)
    return kiosk_errors(app)


async def test_the_identity_step_refuses_alike(
    runtime: Runtime, make_app: Callable[..., KioskApp]
) -> None:
    demo = {
        "last_name": "Dupont",
        "first_name": "Marie",
        "email": DEMO_EMAIL,
        "password": DEMO_PASSWORD,
        "password_confirm": DEMO_PASSWORD,
    }
    web_app = create_app(runtime.services, runtime.settings)
    app = make_app()
    async with client_for(web_app) as browser, app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        await choose_commune(browser)
        for case in BAD_IDENTITIES:
            fields = {**demo, **case}
            if "password" in case and "password_confirm" not in case:
                fields["password_confirm"] = case["password"]
            at_kiosk = await kiosk_identity(pilot, fields)
            on_web = web_errors((await give_identity(browser, **fields)).text)
            assert at_kiosk, case
            assert on_web == at_kiosk, case


async def test_the_contract_step_refuses_alike(
    runtime: Runtime, make_app: Callable[..., KioskApp]
) -> None:
    web_app = create_app(runtime.services, runtime.settings)
    app = make_app()
    async with client_for(web_app) as browser, app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        await submit_identity(pilot, password="Eau-1234567")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await choose_commune(browser)
        await give_identity(browser, password="Eau-1234567", password_confirm="Eau-1234567")
        forms: list[str] = []
        for contract, meter in [*BAD_NUMBERS, (DEMO_CONTRACT, DEMO_METER)]:
            await fill(pilot, "#contract", contract)
            await fill(pilot, "#meter", meter)
            await pilot.press("enter")
            await wait_for(pilot, lambda: bool(kiosk_errors(app)))
            at_kiosk = kiosk_errors(app)
            on_web = web_errors((await give_contract(browser, contract, meter)).text)
            assert at_kiosk, (contract, meter)
            # The kiosk says how to go back with its keys, the web with a link: the refusal
            # itself is the same sentence.
            if "form" in on_web:
                assert at_kiosk.pop("form").startswith(on_web["form"]), (contract, meter)
                forms.append(on_web.pop("form"))
            assert on_web == at_kiosk, (contract, meter)
        # The right numbers, last: the password holds the contract number, and says so.
        assert forms[-1] == text("password_contains_contract")
        assert text("subscriber_not_found") in forms
