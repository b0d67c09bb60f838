"""The database away: ``Service momentanément indisponible``, retries, and back where one was.

Real faults only: the SQLite file's folder moved away and back, a PostgreSQL cluster of the
test's own stopped and started again. Nothing typed in a form that was not yet sent is lost.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy.exc import OperationalError
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from kiosk.storage.faults import is_database_unreachable
from screens.code import CodeScreen
from screens.commune import CommuneScreen
from screens.contract import ContractScreen
from screens.dashboard import DashboardScreen
from screens.login import LoginScreen
from screens.unavailable import UnavailableScreen
from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_METER, DEMO_PASSWORD, register_demo
from tests.support.mail import SmtpSink, read_code
from tests.support.outages import start_cluster, stop_cluster
from tests.support.pg_cluster import PostgresCluster
from tests.support.ui import SIZE, fill, shown, submit_identity, wait_for


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ask the database every 0.1 s instead of 2.5 s: the same code path, a faster test."""
    monkeypatch.setattr(UnavailableScreen, "RETRY_SECONDS", 0.1)


def sqlite_in_own_folder(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "database"
    return folder, f"sqlite+aiosqlite:///{folder / 'kiosk.sqlite'}"


async def unavailable_for_a_while(pilot: Pilot[None]) -> UnavailableScreen:
    """Wait for the outage screen and let it fail a few attempts."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, UnavailableScreen))
    screen = app.screen
    assert isinstance(screen, UnavailableScreen)
    assert shown(app, "#unavailable") == "Service momentanément indisponible"
    assert shown(app, "#unavailable-detail") == text("service_unavailable_retry")
    await wait_for(pilot, lambda: screen.attempts >= 3)
    assert app.screen is screen  # still away: it stays
    await pilot.press("escape", "enter")  # keys do not close it
    assert app.screen is screen
    return screen


async def test_sqlite_folder_moved_away_during_a_registration(
    make_runtime: Callable[..., Runtime], tmp_path: Path
) -> None:
    folder, url = sqlite_in_own_folder(tmp_path)
    runtime = make_runtime(database_url=url)
    app = KioskApp(runtime.services, runtime.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        await pilot.press(*"velaux", "enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "continue")
        await pilot.press("enter")
        await submit_identity(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        contract_screen = app.screen
        await fill(pilot, "#contract", DEMO_CONTRACT)
        await fill(pilot, "#meter", DEMO_METER)

        # The folder goes (a share unmounted); the pool's connections, which still hold the
        # moved file open, go with it as they would after the share's server restarts.
        folder.rename(tmp_path / "elsewhere")
        await runtime.engine.dispose()
        await pilot.press("enter")  # submit
        await unavailable_for_a_while(pilot)
        assert contract_screen in app.screen_stack

        (tmp_path / "elsewhere").rename(folder)
        await wait_for(pilot, lambda: app.screen is contract_screen)
        assert app.screen.query_one("#contract", Input).value == DEMO_CONTRACT
        assert app.screen.query_one("#meter", Input).value == DEMO_METER
        assert shown(app, "#form-error") == ""
        await pilot.press("escape")  # the identity typed before is there too
        assert app.screen.query_one("#email", Input).value == DEMO_EMAIL
        assert app.screen.query_one("#password", Input).value == DEMO_PASSWORD
        app.screen.query_one("#password-confirm", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
    assert app.recovery.unexpected_errors == []


async def test_sqlite_folder_that_appears_later(
    make_runtime: Callable[..., Runtime], tmp_path: Path
) -> None:
    folder, url = sqlite_in_own_folder(tmp_path)
    runtime = make_runtime(database_url=url)
    folder.rename(tmp_path / "not-mounted-yet")  # before the kiosk ever connects
    app = KioskApp(runtime.services, runtime.settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await unavailable_for_a_while(pilot)
        assert isinstance(app.screen_stack[-2], CommuneScreen)
        await pilot.press(*"eguil")  # typing while away goes nowhere
        (tmp_path / "not-mounted-yet").rename(folder)
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        options = app.screen.query_one("#commune-list", OptionList)
        await wait_for(pilot, lambda: options.option_count > 0)  # the list is loaded again
        await pilot.press(*"eguil", "enter")
        await wait_for(pilot, lambda: shown(app, "#operator") != "")
        assert shown(app, "#operator") == "Eaux de Marseille"
    assert app.recovery.unexpected_errors == []


def test_a_locked_database_is_not_an_outage(tmp_path: Path) -> None:
    """ "database is locked" is for the busy timeout, never the outage screen."""
    path = tmp_path / "locked.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    engine = sqlalchemy.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with pytest.raises(OperationalError) as raised, engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
    finally:
        engine.dispose()
        holder.close()
    assert "database is locked" in str(raised.value)
    assert not is_database_unreachable(raised.value)


# -- PostgreSQL -------------------------------------------------------------------------------


async def test_postgresql_stopped_and_started_again(
    make_runtime: Callable[..., Runtime], own_cluster: PostgresCluster, smtp: SmtpSink
) -> None:
    runtime = make_runtime(database_url=own_cluster.create_database("kiosk"))
    try:
        await register_demo(runtime.services)
        await runtime.worker.deliver_all_due()
        [activation] = await smtp.wait_for(1)
        await runtime.services.redemption.redeem(read_code(activation))
        app = KioskApp(runtime.services, runtime.settings)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f3")
            login = app.screen
            assert isinstance(login, LoginScreen)
            await fill(pilot, "#email", DEMO_EMAIL)
            await fill(pilot, "#password", DEMO_PASSWORD)

            await asyncio.to_thread(stop_cluster, own_cluster)
            await pilot.press("enter")  # sign in
            await unavailable_for_a_while(pilot)

            await asyncio.to_thread(start_cluster, own_cluster)
            await wait_for(pilot, lambda: app.screen is login, timeout=15)
            assert login.query_one("#email", Input).value == DEMO_EMAIL
            assert login.query_one("#password", Input).value == DEMO_PASSWORD
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
            await wait_for(pilot, lambda: DEMO_CONTRACT in shown(app, "#contract-summary"))
        assert app.recovery.unexpected_errors == []
    finally:
        await runtime.engine.dispose()
