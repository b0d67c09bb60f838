"""A hostile paste into every field of every screen: refused whole with the rule (forbidden
characters, or longer than the field takes), or kept as pasted and then refused on submit with
a catalogue message; nothing stored, nothing crashes.

Pasted through Textual's own path: a ``Paste`` event posted to the app, which forwards it to
the focused widget, as the terminal driver does.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import func, select
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from kiosk.app import KioskApp
from kiosk.domain.catalogue import FRENCH, text
from kiosk.runtime import Runtime
from kiosk.services import KioskServices
from kiosk.storage.models import Account, OutboxMessage
from screens.agent import AgentPinScreen
from screens.change_password import ChangePasswordScreen
from screens.code import CodeScreen
from screens.commune import CommuneScreen
from screens.contract import ContractScreen
from screens.form import FormScreen
from screens.identity import IdentityScreen
from screens.reset import ResetScreen
from screens.widgets.field_input import FieldInput
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, activate_demo
from tests.support.mail import SmtpSink, read_code
from tests.support.ui import SIZE, fill, shown, wait_for

REFUSED_WHOLE = {
    "control": "Dup\x07ont",
    "c1": "Dup\x85ont",
    "del": "Dupont\x7f",
    "bidi-override": "\u202egnp.exe",
    "zero-width": "Dup\u200bont",
    "line-break": "Dupont\nMarie",
    "header-injection": "a@b.c\r\nBcc: x@y",
    "paragraph-separator": "Dupont\u2029Marie",
}
"""Pastes holding a character no field accepts: the field refuses them as a whole."""

KEPT_AS_PASTED = {
    "sql-drop": "'; DROP TABLE accounts; --",
    "sql-or": "1234567' OR '1'='1",
}
"""Pastes of allowed characters: the field keeps them exactly; the submit refuses them."""

TOO_LONG = {
    "10000-characters": "x" * 10_000,
    "100-kilobytes": "é" * 100_000,
}
"""Pastes longer than any field takes: refused whole, with the field's rule."""

TOO_LONG_HERE = {"contract": {"sql-drop", "sql-or"}, "meter": {"sql-drop"}}
"""Pastes of KEPT_AS_PASTED too long for a field: 9 characters for a contract ('1234567 K'),
20 letters or digits for a meter (spaces not counted)."""

LENGTH_RULE = {
    "last-name": text("name_format"),
    "first-name": text("name_format"),
    "email": text("email_format"),
    "password": text("password_too_long"),
    "password-confirm": text("password_too_long"),
    "current-password": text("password_too_long"),
    "contract": text("contract_format"),
    "meter": text("meter_format"),
    "code": text("paste_too_long", maximum=512),
    "commune": text("paste_too_long", maximum=60),
    "agent-pin": text("paste_too_long", maximum=128),
}
"""What a field says of a paste longer than it takes."""

CATALOGUE = frozenset(FRENCH.values())


async def paste(pilot: Pilot[None], selector: str, value: str) -> Input:
    """Empty the field, focus it, and paste ``value`` into it."""
    field = pilot.app.screen.query_one(selector, Input)
    field.value = ""
    field.focus()  # applied before the paste arrives: both go through the app's queue
    pilot.app.post_message(events.Paste(value))
    await pilot.pause()
    assert pilot.app.focused is field
    return field


def messages(app: App[Any]) -> list[str]:
    """Every error line the screen shows."""
    lines = app.screen.query(".field-error.-shown, #form-error.-shown").results(Static)
    return [str(line.render()) for line in lines]


async def refused_whole_everywhere(pilot: Pilot[None], field_id: str) -> None:
    """Each forbidden or too long paste leaves the field empty and shows why under it."""
    app = pilot.app
    refusals = {
        name: (value, text("forbidden_characters")) for name, value in REFUSED_WHOLE.items()
    }
    refusals.update({name: (value, LENGTH_RULE[field_id]) for name, value in TOO_LONG.items()})
    refusals.update(
        {
            name: (KEPT_AS_PASTED[name], LENGTH_RULE[field_id])
            for name in TOO_LONG_HERE.get(field_id, ())
        }
    )
    for name, (value, reason) in refusals.items():
        if isinstance(app.screen, FormScreen):
            app.screen.clear_errors()
        field = await paste(pilot, f"#{field_id}", value)
        assert field.value == "", (field_id, name)
        assert shown(app, f"#{field_id}-error") == reason, (field_id, name)
        app.screen.query_one(f"#{field_id}-error").remove_class("-shown")


async def stored(runtime: Runtime) -> tuple[int, int, list[str]]:
    """Accounts, outbox messages, and the password hashes."""
    async with runtime.engine.connect() as connection:
        accounts = await connection.scalar(select(func.count()).select_from(Account))
        outbox = await connection.scalar(select(func.count()).select_from(OutboxMessage))
        hashes = sorted(await connection.scalars(select(Account.password_hash)))
    return accounts or 0, outbox or 0, hashes


async def attack_form(
    pilot: Pilot[None],
    valid: dict[str, str],
    *,
    leave_empty_when_attacked: frozenset[str] = frozenset(),
) -> None:
    """Attack each field of the current form, the others holding ``valid`` values.

    A forbidden paste is refused whole; an allowed one is kept exactly, and the submit (Enter
    in the last field) answers with catalogue messages that never quote it.
    """
    app = pilot.app
    assert isinstance(app, KioskApp) and isinstance(app.screen, FormScreen)
    screen: FormScreen = app.screen
    for target in screen.FIELDS:
        await refused_whole_everywhere(pilot, target)
        for name, value in KEPT_AS_PASTED.items():
            if name in TOO_LONG_HERE.get(target, ()):
                continue
            screen.clear_errors()
            for field_id, good in valid.items():
                if field_id != target:
                    empty = field_id in leave_empty_when_attacked
                    screen.query_one(f"#{field_id}", Input).value = "" if empty else good
            field = await paste(pilot, f"#{target}", value)
            assert field.value == value, (target, name)
            screen.query_one(f"#{screen.FIELDS[-1]}", Input).focus()
            await pilot.press("enter")
            await wait_for(pilot, lambda: not screen.busy and bool(messages(app)))
            assert app.screen is screen, (target, name)  # refused, not gone on
            for message in messages(app):
                assert message in CATALOGUE, (target, name, message)
                assert value not in message
            assert app.recovery.unexpected_errors == []


async def test_identity_and_contract(make_app: Callable[..., KioskApp], runtime: Runtime) -> None:
    before = await stored(runtime)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        await pilot.press(*"velaux", "enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "continue")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, IdentityScreen))
        identity = {
            "last-name": "Dupont",
            "first-name": "Marie",
            "email": DEMO_EMAIL,
            "password": DEMO_PASSWORD,
            "password-confirm": DEMO_PASSWORD,
        }
        await attack_form(pilot, identity)
        for field_id, good in identity.items():
            await fill(pilot, f"#{field_id}", good)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await attack_form(pilot, {"contract": "1234567", "meter": "A12B345678"})
    assert await stored(runtime) == before


async def test_code_login_and_forgot(make_app: Callable[..., KioskApp], runtime: Runtime) -> None:
    before = await stored(runtime)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        assert isinstance(app.screen, CodeScreen)
        await attack_form(pilot, {"code": ""})
        await pilot.press("escape", "f3")
        await attack_form(pilot, {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
        await pilot.press("escape", "f4")
        await attack_form(pilot, {"email": DEMO_EMAIL})
    assert await stored(runtime) == before


async def accepted_reset_code(
    services: KioskServices, smtp: SmtpSink, deliver: Callable[[], Awaitable[Any]]
) -> str:
    await activate_demo(services, smtp, deliver)
    await services.password_reset.request(DEMO_EMAIL)
    await deliver()
    messages = await smtp.wait_for(3)
    redeemed = await services.redemption.redeem(read_code(messages[-1]))
    assert redeemed.reset_code is not None
    return redeemed.reset_code


async def test_reset_and_change_password(
    make_app: Callable[..., KioskApp],
    runtime: Runtime,
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    code = await accepted_reset_code(services, smtp, deliver)
    session = await services.sessions.sign_in(DEMO_EMAIL, DEMO_PASSWORD)
    before = await stored(runtime)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(ResetScreen(services, code))
        await attack_form(
            pilot,
            {"password": "Nouveau-77!", "password-confirm": "Nouveau-77!"},
            leave_empty_when_attacked=frozenset({"password", "password-confirm"}),
        )
        await app.push_screen(ChangePasswordScreen(services, session.token))
        await attack_form(
            pilot,
            {
                "current-password": DEMO_PASSWORD,
                "password": "Nouveau-77!",
                "password-confirm": "Nouveau-77!",
            },
            leave_empty_when_attacked=frozenset({"password-confirm"}),
        )
    assert await stored(runtime) == before  # the password hash is the same


async def test_commune_search(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        await refused_whole_everywhere(pilot, "commune")
        options = app.screen.query_one("#commune-list", OptionList)
        for name, value in KEPT_AS_PASTED.items():
            field = await paste(pilot, "#commune", value)
            assert field.value == value, name
            await pilot.press("enter")
            await wait_for(pilot, lambda: shown(app, "#commune-none") != "")
            assert shown(app, "#commune-none") == text("commune_none"), name
            assert options.option_count == 0
            assert shown(app, "#operator") == ""
        await paste(pilot, "#commune", "velaux")  # the search still works
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#operator") != "")
    assert app.recovery.unexpected_errors == []


async def test_agent_pin(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        assert isinstance(app.screen, AgentPinScreen)
        await refused_whole_everywhere(pilot, "agent-pin")
        error = app.screen.query_one("#agent-pin-error", Static)
        for name, value in KEPT_AS_PASTED.items():
            error.update("")
            field = await paste(pilot, "#agent-pin", value)
            assert field.value == value, name
            await pilot.press("enter")
            await wait_for(pilot, lambda: shown(app, "#agent-pin-error") != "")
            assert shown(app, "#agent-pin-error") == text("agent_pin_wrong"), name
        assert app.is_running and isinstance(app.screen, AgentPinScreen)
    assert app.recovery.unexpected_errors == []


async def test_a_100_kilobyte_paste_is_refused_within_a_frame(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(IdentityScreen())
        field = app.screen.query_one("#last-name", FieldInput)
        started = time.perf_counter()
        field.on_paste(events.Paste("é" * 100_000))  # the kiosk's whole work for the paste
        elapsed = time.perf_counter() - started
        await pilot.pause()
        assert field.value == ""
        assert shown(app, "#last-name-error") == text("name_format")
    assert elapsed < 0.016  # within a frame: the length is looked at before anything else
