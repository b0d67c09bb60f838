"""Shared fixtures: real SQLite and PostgreSQL, real argon2 (cheap parameters), a real SMTP server.

Every test under ``tests/integration`` that uses a database runs twice, ``[sqlite]`` and
``[postgresql]``; other tests get SQLite only. PostgreSQL is the server of ``KIOSK_TEST_PG_URL``
or, without it, a throwaway cluster started once for the session (see ``tests/pg_cluster.py``);
each test gets a fresh database copied from a template that holds the schema and demo data.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import os
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from argon2 import Parameters
from argon2.low_level import Type

from kiosk.config import Settings
from kiosk.logs import configure_logging
from kiosk.mail.transports import SmtpTransport
from kiosk.mail.worker import BatchReport
from kiosk.runtime import Runtime, build_runtime, initialise_database
from kiosk.services import KioskServices
from tests.pg_cluster import DatabaseSupply, PostgresServer, run_on_own_loop, start_server
from tests.support.network import free_port

TEST_SECRET_KEY = "test-secret-key-with-at-least-32-bytes-of-entropy!"
FAST_HASH = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=1024,
    parallelism=1,
)
"""Real argon2id with small costs: the tests check behaviour, not the cost."""
CODE_PATTERN = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")


class MovableClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class SmtpSink:
    """A real aiosmtpd server on loopback that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self.host = "127.0.0.1"
        self.port = free_port()
        self.controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """The messages received, once there are at least ``count``."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.messages) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} e-mail(s), got {len(self.messages)}")
            await asyncio.sleep(0.01)
        return list(self.messages)

    def transport(self) -> SmtpTransport:
        return SmtpTransport(self.host, self.port, security="none", timeout=5)


def plain_text(message: EmailMessage) -> str:
    """The plain-text part of a delivered e-mail."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "no plain-text part"
    content: str = body.get_content()
    return content


def read_code(message: EmailMessage) -> str:
    """The ``XXXX-XXXX-XXXX`` code of a delivered e-mail (from its plain-text part)."""
    match = CODE_PATTERN.search(plain_text(message))
    assert match is not None, "no code in the e-mail"
    return match.group(0)


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
        metafunc.parametrize("database", DATABASES, indirect=True)


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


def installation_settings(data_dir: Path, database_url: str = "") -> Settings:
    """The settings of a test installation on ``database_url`` (default: SQLite in data_dir)."""
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=TEST_SECRET_KEY,
        kiosk_id="kiosk-test",
        mail_transport="smtp",
        demo_data=True,
        hash_concurrency=2,
        public_url="https://espaceclients.example.fr",
    )


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
