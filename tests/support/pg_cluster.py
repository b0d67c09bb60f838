"""A throwaway PostgreSQL cluster for the tests and the load test: initdb, pg_ctl, stopped after.

When ``KIOSK_TEST_PG_URL`` names a server (``postgresql+asyncpg://user@host:port/db``, with the
right to create databases), that server is used instead and nothing is started.
"""

from __future__ import annotations

import asyncio
import atexit
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections import deque
from collections.abc import Coroutine, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.engine import URL, make_url

from tests.support.network import free_port

PG_URL_VARIABLE = "KIOSK_TEST_PG_URL"
SERVER_SETTINGS = (
    # A throwaway cluster: durability is not wanted, speed is.
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=300",
    "shared_buffers=64MB",
    "listen_addresses=127.0.0.1",
)


class ClusterError(RuntimeError):
    """The cluster could not be started; the message says what to install or change."""


def postgres_binaries() -> Path:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``.

    Raises:
        ClusterError: none found (install the ``postgresql`` package).
    """
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parent.parent.name.split(".")[0]),
    )
    if versions:
        return Path(versions[-1]).parent
    raise ClusterError(
        f"PostgreSQL binaries not found (initdb, pg_ctl): install them "
        f"(apt-get install postgresql) or set {PG_URL_VARIABLE} to a server"
    )


T = TypeVar("T")


def run_on_own_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to completion on a loop of its own, in a thread.

    A thread, so that this works from plain and async tests (which have a loop running) alike.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class PostgresServer:
    """A PostgreSQL server on which databases are created and dropped by name."""

    def __init__(self, admin_url: URL) -> None:
        self.admin_url = admin_url
        """SQLAlchemy URL of a database to connect to for CREATE and DROP DATABASE."""

    def url(self, database: str) -> str:
        """The SQLAlchemy (asyncpg) URL of ``database`` on this server."""
        return self.admin_url.set(
            drivername="postgresql+asyncpg", database=database
        ).render_as_string(hide_password=False)

    async def _execute(self, statements: Sequence[str]) -> None:
        url = self.admin_url
        connection = await asyncpg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            database=url.database or "postgres",
        )
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    def execute(self, *statements: str) -> None:
        """Run administrative statements (outside any transaction), one connection."""
        run_on_own_loop(self._execute(statements))

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create ``name`` (a copy of ``template`` when given) and return its URL."""
        copy = f' TEMPLATE "{template}"' if template else ""
        self.execute(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"{copy}'
        )
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Nothing to stop on a server given by ``KIOSK_TEST_PG_URL``."""


class PostgresCluster(PostgresServer):
    """A cluster of our own in a temporary folder, on a free port; :meth:`stop` removes it."""

    def __init__(self) -> None:
        self.binaries = postgres_binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            # initdb refuses root: the cluster belongs to the postgres user.
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise ClusterError("running as root, but there is no 'postgres' user") from None
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as_postgres = ["runuser", "-u", "postgres", "--"]
        super().__init__(
            URL.create(
                "postgresql+asyncpg",
                username="postgres",
                host="127.0.0.1",
                port=self.port,
                database="postgres",
            )
        )
        self._started = False

    def _command(self, tool: str, *args: str) -> None:
        result = subprocess.run(
            [*self._as_postgres, str(self.binaries / tool), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise ClusterError(
                f"{tool} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
            )

    def start(self) -> PostgresCluster:
        self._command(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        options = " ".join(
            [
                f"-p {self.port}",
                f"-k {self.folder}",
                *(f"-c {setting}" for setting in SERVER_SETTINGS),
            ]
        )
        self._command(
            "pg_ctl",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.folder / "server.log"),
            "--options",
            options,
            "--wait",
            "--timeout",
            "60",
            "start",
        )
        self._started = True
        return self

    def stop(self) -> None:
        try:
            if self._started:
                self._command("pg_ctl", "--pgdata", str(self.data), "--mode", "immediate", "stop")
                self._started = False
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> PostgresServer:
    """The server named by ``KIOSK_TEST_PG_URL``, else a throwaway cluster started now."""
    given = os.environ.get(PG_URL_VARIABLE)
    if given:
        return PostgresServer(make_url(given))
    cluster = PostgresCluster()
    atexit.register(cluster.stop)  # also when the session ends without its teardown
    try:
        return cluster.start()
    except BaseException:
        cluster.stop()
        raise


class DatabaseSupply:
    """Fresh copies of a template database, made ahead of need on a background thread.

    Copying a template costs a few tenths of a second of the server's time; made while the
    previous test runs, on the other core, it costs the tests nothing.
    """

    def __init__(self, server: PostgresServer, template: str, prefix: str, ahead: int = 2) -> None:
        self._server = server
        self._template = template
        self._prefix = prefix
        self._numbers = itertools.count(1)
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="pg-supply")
        self._ready: deque[tuple[str, Future[str]]] = deque()
        for _ in range(ahead):
            self._prepare_one()

    def _prepare_one(self) -> None:
        name = f"{self._prefix}_{next(self._numbers)}"
        future = self._worker.submit(self._server.create_database, name, self._template)
        self._ready.append((name, future))

    def take(self) -> tuple[str, str]:
        """A fresh database: its name and its URL."""
        name, future = self._ready.popleft()
        self._prepare_one()
        return name, future.result()

    def give_back(self, name: str) -> None:
        """Drop a database once its test is done (in the background)."""
        self._worker.submit(self._server.drop_database, name)

    def close(self) -> None:
        """Drop what was prepared and not taken; wait for the background work."""
        while self._ready:
            name, _future = self._ready.popleft()
            self.give_back(name)
        self._worker.shutdown(wait=True)
