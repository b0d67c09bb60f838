"""``GET /sante``: 503 while the database is away, 200 again once it is back, no restart; the
pages meanwhile answer with the French 503 page."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from tests.support.outages import start_cluster, stop_cluster
from tests.support.pg_cluster import PostgresCluster
from tests.support.web import client_for, parse, post_form
from web.app import create_app


async def test_health_follows_sqlite_away_and_back(
    make_runtime: Callable[..., Runtime], tmp_path: Path
) -> None:
    folder = tmp_path / "database"
    runtime = make_runtime(database_url=f"sqlite+aiosqlite:///{folder / 'kiosk.sqlite'}")
    app = create_app(runtime.services, runtime.settings)
    try:
        async with client_for(app) as client:
            healthy = await client.get("/sante")
            assert (healthy.status_code, healthy.text) == (200, "ok")

            # The share goes away, and with it the pool's connections.
            folder.rename(tmp_path / "elsewhere")
            await runtime.engine.dispose()
            away = await client.get("/sante")
            assert away.status_code == 503
            page = await post_form(client, "/connexion", {"email": "a@example.fr", "password": "x"})
            assert page.status_code == 503
            assert text("web_error_503") in parse(page.text).text
            assert page.headers["retry-after"] == "30"

            (tmp_path / "elsewhere").rename(folder)
            assert (await client.get("/sante")).status_code == 200
    finally:
        await runtime.engine.dispose()


async def test_health_follows_postgresql_stopped_and_started(
    make_runtime: Callable[..., Runtime], own_cluster: PostgresCluster
) -> None:
    runtime = make_runtime(database_url=own_cluster.create_database("kiosk"))
    app = create_app(runtime.services, runtime.settings)
    try:
        async with client_for(app) as client:
            assert (await client.get("/sante")).status_code == 200
            await asyncio.to_thread(stop_cluster, own_cluster)
            assert (await client.get("/sante")).status_code == 503
            assert (await client.get("/sante")).status_code == 503
            await asyncio.to_thread(start_cluster, own_cluster)
            assert (await client.get("/sante")).status_code == 200
    finally:
        await runtime.engine.dispose()
