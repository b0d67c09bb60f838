"""Shared fixtures: real SQLite and PostgreSQL, real argon2 (cheap parameters), a real SMTP server.

Every test under ``tests/integration`` that uses a database runs twice, ``[sqlite]`` and
``[postgresql]``; other tests get SQLite only. PostgreSQL is the server of ``KIOSK_TEST_PG_URL``
or, without it, a throwaway cluster started once for the session
(``tests/support/pg_cluster.py``); each test gets a fresh database copied from a template that
holds the schema and demo data. The helpers the tests share are in ``tests/support/``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import Settings
from kiosk.logs import configure_logging
from kiosk.mail.worker import BatchReport
from kiosk.runtime import Runtime, build_runtime, initialise_database
from kiosk.services import KioskServices
from tests.support.clock import MovableClock
from tests.support.installation import FAST_HASH, installation_settings
from tests.support.mail import SmtpSink
from tests.support.pg_cluster import (
    DatabaseSupply,
    PostgresCluster,
    PostgresServer,
    run_on_own_loop,
    start_server,
)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The kiosk's own log file and formatter, as under ``kiosk run --log-level debug``.

    Yields:
        The path of the log file; the ``kiosk`` logger is put back as it was afterwards.
    """
    logger = logging.getLogger("kiosk")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield configure_logging(tmp_path / "logs-home", "DEBUG")
    for handler in logger.handlers:
        handler.close()
    logger.handlers[:], logger.level, logger.propagate = saved


TASKS_GRACE_SECONDS = 10.0
"""How long the tasks a test left running get to finish once cancelled."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every async test ends with :func:`no_task_left` (set up first, so torn down last)."""
    for item in items:
        if isinstance(item, pytest.Function) and inspect.iscoroutinefunction(item.obj):
            item.fixturenames.insert(0, "no_task_left")


@pytest.fixture
async def no_task_left() -> AsyncIterator[None]:
    """Cancel what the test left running on its loop, and fail with their stacks if some task
    does not finish when cancelled: pytest-asyncio's own clean-up would wait for it forever
    (issue 24: a suite that hung in ``Runner.close``)."""
    yield
    current = asyncio.current_task()
    left = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
    for task in left:
        task.cancel()
    if not left:
        return
    _done, pending = await asyncio.wait(left, timeout=TASKS_GRACE_SECONDS)
    if pending:
        stacks = []
        for task in pending:
            frames = "".join(
                f"\n    {frame.f_code.co_filename}:{frame.f_lineno} {frame.f_code.co_name}"
                for frame in task.get_stack()
            )
            stacks.append(f"{task.get_name()} {task.get_coro()!r}{frames}")
        pytest.fail("tasks that survive cancellation:\n" + "\n".join(stacks), pytrace=False)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


DATABASES = ("sqlite", "postgresql")
"""The engines that the integration suite runs on."""
BOTH_ENGINES_UNDER = Path(__file__).parent / "integration"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every integration test that uses a database on both engines."""
    if (
        "database" in metafunc.fixturenames
        and BOTH_ENGINES_UNDER in metafunc.definition.path.parents
    ):
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only")
        engines = ("sqlite",) if only_sqlite else DATABASES
        metafunc.parametrize("database", engines, indirect=True)


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql`` (SQLite outside ``tests/integration``)."""
    engine: str = getattr(request, "param", "sqlite")
    return engine


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """``KIOSK_TEST_PG_URL``'s server, or a throwaway cluster stopped at the end of the session."""
    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_databases(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseSupply]:
    """Fresh databases copied from a template that holds the schema and the demo data."""
    template = f"kiosk_template_{os.getpid()}"
    url = postgres_server.create_database(template)
    prepared = build_runtime(
        installation_settings(tmp_path_factory.mktemp("template"), url), hash_parameters=FAST_HASH
    )
    run_on_own_loop(_prepare(prepared))
    supply = DatabaseSupply(postgres_server, template, f"kiosk_test_{os.getpid()}")
    yield supply
    supply.close()
    postgres_server.drop_database(template)


@pytest.fixture
def database_url(database: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """Empty for SQLite (the embedded file in the data folder); a fresh PostgreSQL database."""
    if database == "sqlite":
        yield ""
        return
    supply: DatabaseSupply = request.getfixturevalue("postgres_databases")
    name, url = supply.take()
    yield url
    supply.give_back(name)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return installation_settings(tmp_path / "data", database_url)


@pytest.fixture
def make_runtime(
    settings: Settings, clock: MovableClock, smtp: SmtpSink
) -> Iterator[Callable[..., Runtime]]:
    """Build a runtime on a prepared database (schema and demo data), not yet connected.

    Usable from plain ``def`` tests (snapshots) and async tests alike.
    """
    built: list[Runtime] = []

    def make(**overrides: Any) -> Runtime:
        chosen = Settings(**{**settings.__dict__, **overrides}) if overrides else settings
        prepared = build_runtime(chosen, clock=clock, hash_parameters=FAST_HASH)
        # Prepared on a loop of its own (in a thread, so that async tests can call this too);
        # the returned runtime connects afresh on the test's loop.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, _prepare(prepared)).result()
        runtime = build_runtime(
            chosen, clock=clock, hash_parameters=FAST_HASH, transport=smtp.transport()
        )
        built.append(runtime)
        return runtime

    yield make
    for runtime in built:
        runtime.hashing.close()


async def _prepare(runtime: Runtime) -> None:
    try:
        await initialise_database(runtime)
    finally:
        await runtime.close()


@pytest.fixture
async def runtime(make_runtime: Callable[..., Runtime]) -> AsyncIterator[Runtime]:
    built = make_runtime()
    yield built
    await built.engine.dispose()


@pytest.fixture
def services(runtime: Runtime) -> KioskServices:
    return runtime.services


@pytest.fixture
def deliver(runtime: Runtime) -> Callable[[], Awaitable[BatchReport]]:
    """Deliver every due outbox message to the test SMTP server."""
    return runtime.worker.deliver_all_due


@pytest.fixture
def own_cluster() -> Iterator[PostgresCluster]:
    """A PostgreSQL cluster for this test alone, to stop and start again (an outage): stopping
    the session's shared one would break other tests. Removed after the test."""
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()
