"""A read-only database: the plain apology, never a traceback, and never the outage screen
(the database answers; it refuses writes, which is a fault of the installation)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy.engine import make_url

from kiosk.app import KioskApp
from kiosk.config import Settings
from kiosk.runtime import Runtime, build_runtime
from screens.apology import ApologyScreen
from screens.welcome import WelcomeScreen
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL
from tests.support.installation import FAST_HASH
from tests.support.mail import SmtpSink
from tests.support.ui import SIZE, fill, svg_text, wait_for


@pytest.fixture
async def read_only(
    make_runtime: Callable[..., Runtime], clock: MovableClock, smtp: SmtpSink
) -> AsyncIterator[Runtime]:
    """A kiosk on a prepared database opened read-only by SQLite itself (``mode=ro``): the
    tests run as root, whom file permissions would not stop."""
    prepared = make_runtime()
    path = make_url(prepared.settings.resolved_database_url).database
    url = f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true"
    settings = Settings(**{**prepared.settings.__dict__, "database_url": url})
    runtime = build_runtime(
        settings, clock=clock, hash_parameters=FAST_HASH, transport=smtp.transport()
    )
    yield runtime
    await runtime.close()


@pytest.mark.parametrize("flow", ["login", "forgot"])
async def test_a_read_only_database_gives_the_apology(
    read_only: Runtime, flow: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = KioskApp(read_only.services, read_only.settings)
    with caplog.at_level(logging.ERROR, logger="kiosk"):
        async with app.run_test(size=SIZE) as pilot:
            # Reading works (the commune search does); the first write is refused.
            if flow == "login":
                await pilot.press("f3")
                await fill(pilot, "#email", DEMO_EMAIL)
                await fill(pilot, "#password", "Mauvais-1!")
            else:
                await pilot.press("f4")
                await fill(pilot, "#email", DEMO_EMAIL)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ApologyScreen))
            await pilot.pause()
            seen = svg_text(app.export_screenshot())
            assert "Nous sommes désolés : une erreur inattendue" in seen
            for leak in ("Traceback", "readonly", "OperationalError", "sqlite", DEMO_EMAIL):
                assert leak not in seen
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen))
            assert app.is_running
    [error] = app.recovery.unexpected_errors
    assert "readonly" in str(error)  # the real refusal of SQLite, not a stand-in
    assert "attempt to write a readonly database" in caplog.text  # logged for the agent
