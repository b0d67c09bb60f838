"""Dashboard: change the password (F6), sign out (F10), the session's 15 minutes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.domain.errors import SessionExpired
from kiosk.services import KioskServices
from screens.change_password import ChangePasswordScreen
from screens.dashboard import DashboardScreen
from screens.welcome import WelcomeScreen
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, activate_demo
from tests.support.mail import SmtpSink
from tests.support.ui import SIZE, fill, notified, shown, wait_for, workers_done


async def signed_in(pilot: Any) -> None:
    app = pilot.app
    await pilot.press("f3")
    await fill(pilot, "#email", DEMO_EMAIL)
    await fill(pilot, "#password", DEMO_PASSWORD)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
    await wait_for(pilot, lambda: "Velaux" in shown(app, "#contract-summary"))


@pytest.fixture
async def active(
    services: KioskServices, smtp: SmtpSink, deliver: Callable[[], Awaitable[Any]]
) -> None:
    await activate_demo(services, smtp, deliver)


@pytest.mark.usefixtures("active")
async def test_dashboard_then_sign_out_with_f10(
    make_app: Callable[..., KioskApp], services: KioskServices
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await signed_in(pilot)
        assert shown(app, "#welcome-banner") == "Bonjour Marie Dupont"
        assert app.attendance.session is not None
        token = app.attendance.session.token
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
        assert app.attendance.session is None
        await wait_for(pilot, lambda: workers_done(app))  # the sign-out, in a worker
        with pytest.raises(SessionExpired):
            await services.sessions.dashboard(token)


@pytest.mark.usefixtures("active")
async def test_change_password_with_f6(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await signed_in(pilot)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, ChangePasswordScreen))
        await fill(pilot, "#current-password", "Pas-le-bon-1")
        await fill(pilot, "#password", "Fontaine-77!")
        await fill(pilot, "#password-confirm", "Fontaine-77!")
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#current-password-error") != "")
        assert shown(app, "#current-password-error") == text("current_password_wrong")
        await fill(pilot, "#current-password", DEMO_PASSWORD)
        await pilot.press("enter", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        assert notified(app, "Votre mot de passe a été mis à jour.")


@pytest.mark.usefixtures("active")
async def test_the_session_ends_after_its_minutes(make_app: Callable[..., KioskApp]) -> None:
    app = make_app(session_minutes=0.01)  # 0.6 s
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # The 0.6 s start with the sign-in: on a loaded machine the Dashboard may come and go
        # between two looks, so only the end is waited for (it follows a signed-in session).
        await pilot.press("f3")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", DEMO_PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: notified(app, text("session_expired")))
        assert isinstance(app.screen, WelcomeScreen)
        assert app.attendance.session is None
