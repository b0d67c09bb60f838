"""Idle: the question, its countdown, then everything back to a pristine Welcome."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.widgets import Input

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.services import KioskServices
from screens.dashboard import DashboardScreen
from screens.idle import IdleScreen
from screens.login import LoginScreen
from screens.welcome import WelcomeScreen
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, activate_demo
from tests.support.mail import SmtpSink
from tests.support.ui import NEVER_IDLE, SIZE, fall_idle, fill, shown, wait_for, workers_done


async def test_a_key_during_the_question_keeps_everything(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app(idle_seconds=NEVER_IDLE, idle_countdown_seconds=NEVER_IDLE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await fill(pilot, "#email", DEMO_EMAIL)
        fall_idle(app)
        await wait_for(pilot, lambda: isinstance(app.screen, IdleScreen))
        await wait_for(pilot, lambda: bool(app.screen.query("#idle-countdown")))
        assert shown(app, "#idle-question") == "Êtes-vous toujours là ?"
        assert shown(app, "#idle-countdown") == text("idle_countdown", seconds=int(NEVER_IDLE))
        await pilot.press("space")
        await wait_for(pilot, lambda: not isinstance(app.screen, IdleScreen))
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#email", Input).value == DEMO_EMAIL


async def test_without_an_answer_the_kiosk_resets(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    await activate_demo(services, smtp, deliver)
    app = make_app(idle_seconds=NEVER_IDLE, idle_countdown_seconds=0.3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", DEMO_PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert app.attendance.session is not None
        token = app.attendance.session.token
        app.copy_to_clipboard("quelque chose")
        fall_idle(app)
        assert isinstance(app.screen, IdleScreen)
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        assert len(app.screen_stack) == 2
        assert app.attendance.session is None
        assert app.clipboard == ""
        await wait_for(pilot, lambda: workers_done(app))  # the sign-out, in a worker
        try:
            await services.sessions.dashboard(token)
        except Exception as error:
            assert type(error).__name__ == "SessionExpired"
        else:
            raise AssertionError("the session should have ended")
        await pilot.press("f3")
        assert app.screen.query_one("#email", Input).value == ""


async def test_the_countdown_reads_the_time_left_even_after_late_ticks(
    make_app: Callable[..., KioskApp],
) -> None:
    """A busy kiosk ticks late: the countdown still reads the seconds before the reset."""
    now = [100.0]
    question = IdleScreen(30, clock=lambda: now[0])
    app = make_app(idle_seconds=NEVER_IDLE)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(question)
        await wait_for(pilot, lambda: bool(app.screen.query("#idle-countdown")))
        assert shown(app, "#idle-countdown") == text("idle_countdown", seconds=30)
        now[0] += 7.5  # one tick, seven and a half seconds later
        question._tick()
        assert shown(app, "#idle-countdown") == text("idle_countdown", seconds=23)
        now[0] += 60
        question._tick()
        assert shown(app, "#idle-countdown") == text("idle_countdown", seconds=0)
