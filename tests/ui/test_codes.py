"""The Code screen: resend with its countdown, expired and wrong codes, the pasted link."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.widgets import Button

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from kiosk.services import KioskServices
from screens.code import CodeScreen
from screens.contract import ContractScreen
from screens.dashboard import DashboardScreen
from screens.welcome import WelcomeScreen
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_CONTRACT, DEMO_METER, register_demo
from tests.support.mail import SmtpSink, read_code
from tests.support.ui import SIZE, fill, identity_screen, shown, submit_identity, wait_for


class SteppedClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def open_code_screen(
    app: KioskApp, services: KioskServices, clock: SteppedClock | None = None
) -> None:
    receipt = await register_demo(services)
    await app.push_screen(CodeScreen(services, receipt=receipt, clock=clock or SteppedClock()))


async def test_the_pasted_link_activates(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_code_screen(app, services)
        await deliver()
        [mail] = await smtp.wait_for(1)
        assert text("code_explanation", hours="48") in shown(app, ".intro")
        assert "48 heures" in shown(app, ".intro")
        await fill(pilot, "#code", f"https://espaceclients.example.fr/code?c={read_code(mail)}")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def test_resend_counts_down_from_the_email_just_sent(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(CodeScreen, "TICK_SECONDS", 0.02)
    clock = SteppedClock()
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_code_screen(app, services, clock)
        resend = app.screen.query_one("#resend", Button)
        seen = [str(resend.label)]
        # 0.5, 1.1, 21.1, 59.1, 59.6 s after sending
        for step, seconds in zip((0.5, 0.6, 20.0, 38.0, 0.5), (60, 59, 39, 1, 1), strict=True):
            clock.advance(step)
            shows = text("resend_wait", seconds=seconds)

            def showing(shows: str = shows) -> bool:
                return str(resend.label) == shows

            await wait_for(pilot, showing)
            seen.append(str(resend.label))
        assert seen == [text("resend_wait", seconds=seconds) for seconds in (60, 60, 59, 39, 1, 1)]
        assert resend.disabled
        resend.press()  # a disabled button: nothing is sent
        clock.advance(0.4)
        await wait_for(pilot, lambda: not resend.disabled)
        assert str(resend.label) == text("button_resend")
        await deliver()
        assert len(await smtp.wait_for(1)) == 1  # the registration's e-mail only
        resend.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: resend.disabled)
        assert str(resend.label) == text("resend_wait", seconds=60)  # again, from this e-mail
        await deliver()
        first, second = await smtp.wait_for(2)
        assert read_code(first) != read_code(second)


async def test_the_code_screen_states_the_configured_validity(
    make_runtime: Callable[..., Runtime],
) -> None:
    # The validity is the services' (the one the e-mail states), handed over in the receipt.
    runtime = make_runtime(activation_ttl_hours=1.5)
    app = KioskApp(runtime.services, runtime.settings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await identity_screen(pilot)
        await submit_identity(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await fill(pilot, "#contract", DEMO_CONTRACT)
        await fill(pilot, "#meter", DEMO_METER)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        intro = shown(app, ".intro")
        assert "valable que 1,5 heures" in intro and "48" not in intro
    await runtime.engine.dispose()


async def test_an_expired_activation_code_says_start_again(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
    clock: MovableClock,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_code_screen(app, services)
        await deliver()
        [mail] = await smtp.wait_for(1)
        clock.advance(timedelta(hours=49))
        await fill(pilot, "#code", read_code(mail))
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#form-error") != "")
        assert shown(app, "#form-error") == text("code_expired_activation")
        assert app.focused is not None and app.focused.id == "restart"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))


async def test_a_wrong_code_is_refused_then_throttled(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert not app.screen.query("#resend")
        for _ in range(5):
            await fill(pilot, "#code", "ABCD-EFGH-JKMN")
            await pilot.press("enter")
            await wait_for(pilot, lambda: shown(app, "#code-error") != "")
            assert shown(app, "#code-error") == text("code_invalid")
        await fill(pilot, "#code", "ABCD-EFGH-JKMN")
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#code-error") != "")
        assert shown(app, "#code-error") == text("too_many_attempts", minutes=10)
