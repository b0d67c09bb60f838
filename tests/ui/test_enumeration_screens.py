"""No enumeration through the screens: the same keys on a database where the address has an
account and on one where it has none give the same screen, to the last character.

Each pair is two kiosks on two databases, typed exactly the same; the exported screens (SVG,
notifications included) are compared whole, masking nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from kiosk.storage.models import Account
from screens.code import CodeScreen
from screens.contract import ContractScreen
from screens.login import LoginScreen
from tests.support.demo import DEMO_EMAIL, activate_demo
from tests.support.mail import SmtpSink
from tests.support.ui import (
    SIZE,
    fill,
    identity_screen,
    notified,
    shown,
    submit_identity,
    svg_text,
    wait_for,
)

Flow = Callable[[Pilot[None]], Awaitable[None]]


@dataclass
class Kiosks:
    known: Runtime
    """The demo subscriber's space is active, with ``DEMO_EMAIL``."""
    unknown: Runtime
    """No account at all."""


@pytest.fixture
async def kiosks(make_runtime: Callable[..., Runtime], tmp_path: Path, smtp: SmtpSink) -> Kiosks:
    known = make_runtime(database_url=f"sqlite+aiosqlite:///{tmp_path / 'known.sqlite'}")
    unknown = make_runtime(database_url=f"sqlite+aiosqlite:///{tmp_path / 'unknown.sqlite'}")
    await activate_demo(known.services, smtp, known.worker.deliver_all_due)
    return Kiosks(known, unknown)


async def screen_after(runtime: Runtime, flow: Flow) -> str:
    """The exported screen once ``flow`` has run on a kiosk of ``runtime``."""
    app = KioskApp(runtime.services, runtime.settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await flow(pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()
        svg = app.export_screenshot()
    assert app.recovery.unexpected_errors == []
    return svg


def hold_the_countdown(screen: object) -> None:
    """Time stands still at the start of ``#resend``'s countdown: its label then reads the
    receipt's wait, whatever the time the screen took to be exported (on a loaded machine,
    one kiosk's export came a second later than the other's, and "60 s" met "59 s")."""
    assert isinstance(screen, CodeScreen) and screen.receipt is not None
    started = screen._resend_at - screen.receipt.resend_after_seconds
    screen._clock = lambda: started
    screen._tick()


async def test_registering_with_an_address_in_use_looks_like_a_fresh_one(
    kiosks: Kiosks,
) -> None:
    async def register_in_marseille(pilot: Pilot[None]) -> None:
        app = pilot.app
        await identity_screen(pilot, "marseille")
        await submit_identity(pilot, last_name="Martin", first_name="Paul")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await fill(pilot, "#contract", "7654321")
        await fill(pilot, "#meter", "K09C112233")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert isinstance(app, KioskApp) and notified(app, text("registered"))
        hold_the_countdown(app.screen)

    in_use = await screen_after(kiosks.known, register_in_marseille)
    fresh = await screen_after(kiosks.unknown, register_in_marseille)
    assert in_use == fresh
    seen = svg_text(in_use)  # the comparison is of what a customer reads
    assert "Étape 4 sur 4" in seen and "m***@example.fr" in seen and "Votre compte a" in seen
    # Two different things happened behind the same screen.
    assert await contract_of(kiosks.known, DEMO_EMAIL) == "1234567"
    assert await contract_of(kiosks.unknown, DEMO_EMAIL) == "7654321"


async def contract_of(runtime: Runtime, email: str) -> str | None:
    async with runtime.engine.connect() as connection:
        contract: str | None = await connection.scalar(
            select(Account.contract).where(Account.email == email)
        )
    return contract


async def test_forgot_password_looks_the_same_for_known_and_unknown_addresses(
    kiosks: Kiosks,
) -> None:
    async def ask_for_a_reset(pilot: Pilot[None]) -> None:
        app = pilot.app
        await pilot.press("f4")
        await fill(pilot, "#email", DEMO_EMAIL)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert isinstance(app, KioskApp) and notified(app, text("reset_requested"))

    known = await screen_after(kiosks.known, ask_for_a_reset)
    assert known == await screen_after(kiosks.unknown, ask_for_a_reset)
    assert "Si votre compte existe" in svg_text(known)


async def test_sign_in_looks_the_same_for_a_wrong_password_and_an_unknown_address(
    kiosks: Kiosks,
) -> None:
    async def sign_in_wrongly(pilot: Pilot[None]) -> None:
        app = pilot.app
        await pilot.press("f3")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", "Mauvais-1!")
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#form-error") != "")
        assert isinstance(app.screen, LoginScreen)
        assert shown(app, "#form-error") == text("invalid_credentials")

    known = await screen_after(kiosks.known, sign_in_wrongly)
    assert known == await screen_after(kiosks.unknown, sign_in_wrongly)
    assert text("invalid_credentials") in svg_text(known)
