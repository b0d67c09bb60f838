"""``GET /metrics`` while the database is away: a figure (``kiosk_database_up 0``), not an
error page, and this process's request counts are still told; back to 1 without a restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.runtime import Runtime
from tests.support.web import samples, scrape
from web.app import create_app


async def test_a_database_away_is_a_figure_not_an_error(
    make_runtime: Callable[..., Runtime], tmp_path: Path
) -> None:
    folder = tmp_path / "database"
    runtime = make_runtime(database_url=f"sqlite+aiosqlite:///{folder / 'kiosk.sqlite'}")
    app = create_app(runtime.services, runtime.settings)
    try:
        folder.rename(tmp_path / "elsewhere")  # the share goes away, and the pool with it
        await runtime.engine.dispose()
        away = await scrape(app)
        assert away.status_code == 200
        found = samples(away.text)
        assert found[("kiosk_database_up", ())] == 0
        assert ("kiosk_outbox_messages", (("state", "queued"),)) not in found

        (tmp_path / "elsewhere").rename(folder)
        back = samples((await scrape(app)).text)
        assert back[("kiosk_database_up", ())] == 1
        assert back[("kiosk_outbox_messages", (("state", "queued"),))] == 0
        requests = (
            "kiosk_web_requests_total",
            (("method", "GET"), ("route", "/metrics"), ("status", "200")),
        )
        assert back[requests] == 1  # the scrape while the database was away
    finally:
        await runtime.engine.dispose()
