"""``kiosk run``: the kiosk, full screen, with its background work in the same process
(heartbeat, the migration retried, the embedded web companion, outbox delivery and purge)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import subprocess
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from kiosk.config import Settings
from kiosk.domain.agent_pin import agent_can_leave
from kiosk.translations import LANGUAGES, CatalogueNotCompiled, translations

if TYPE_CHECKING:  # the database layer is imported by the commands that use it
    from kiosk.runtime import Runtime
    from kiosk.services import KioskServices


log = logging.getLogger("kiosk")

PIN_REQUIRED = (
    "kiosk: configuration error: agent_pin_hash is required: the demo PIN opens only "
    "the embedded demo (no database_url, demo data), and without a PIN no agent could "
    "leave the kiosk (make one with: kiosk hash-pin)"
)


def run_kiosk(args: argparse.Namespace, settings: Settings) -> int:
    """Show the kiosk until the agent leaves it; non-zero when it stopped on an error."""
    if not agent_can_leave(settings.agent_pin_hash, settings.demo_pin_allowed) and not args.dev:
        print(PIN_REQUIRED, file=sys.stderr)
        return 2
    try:  # now rather than at the first customer's F9
        for language in LANGUAGES:
            translations(language)
    except CatalogueNotCompiled as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 2
    from kiosk.app import KioskApp  # Textual is loaded only by the command that needs it

    opened: list[Runtime] = []

    def migrate() -> bool:
        """Migrate the database in a child process: Alembic never loads into the kiosk,
        which stays smaller."""
        config = ["--config", str(args.config)] if args.config else []
        migrated = subprocess.run(
            [sys.executable, "-m", "kiosk", *config, "init-db"],
            capture_output=True,
            text=True,
            check=False,
        )
        if migrated.returncode != 0:
            log.error("kiosk init-db failed: %s", migrated.stderr.strip()[-500:])
        return migrated.returncode == 0

    async def migrate_until_done() -> None:
        while not await asyncio.to_thread(migrate):
            await asyncio.sleep(15)

    def prepare() -> tuple[Runtime, bool, Callable[[], Awaitable[None]] | None]:
        migrated = migrate()
        from kiosk.runtime import build_runtime

        runtime = build_runtime(settings)
        # The embedded default also serves the e-mails' links (public_url) on this machine;
        # a configured deployment runs `kiosk web` instead. Built here, in the thread.
        serve_web = _embedded_web(runtime, settings) if settings.embedded else None
        return runtime, migrated, serve_web

    async def start() -> tuple[KioskServices, list[Callable[[], Awaitable[None]]]]:
        # In a thread: SQLAlchemy and the migrations load while Welcome is shown. The services
        # open even when the database does not answer yet (the agent must be able to leave;
        # customers see "Service momentanément indisponible"); the migration is retried.
        runtime, migrated, serve_web = await asyncio.to_thread(prepare)
        opened.append(runtime)
        background: list[Callable[[], Awaitable[None]]] = [runtime.services.heartbeat.beat_forever]
        if serve_web is not None:
            background.append(serve_web)
        if not migrated:
            background.append(migrate_until_done)
        # A kiosk that delivers its own mail also purges; in a central deployment the
        # mailers do both, so that fifty kiosks do not purge one database at the same moment.
        if settings.mailer_in_process:
            background += [runtime.worker.run_forever, runtime.services.maintenance.purge_forever]
        return runtime.services, background

    app = KioskApp(None, settings, dev=args.dev, start=start, manage_garbage=True)
    try:
        app.run()
    finally:
        for runtime in opened:
            asyncio.run(runtime.engine.dispose())
            runtime.hashing.close()
    # Non-zero when the kiosk stopped on an error rather than by the agent: a supervisor
    # (systemd's Restart=on-failure) starts it again.
    return app.return_code or 0


def _embedded_web(runtime: Runtime, settings: Settings) -> Callable[[], Awaitable[None]]:
    """The web companion served in the kiosk's own loop, over the kiosk's services."""
    from web.app import create_app
    from web.server import serve_embedded

    app = create_app(runtime.services, settings)
    host, port = settings.web_host_port
    return lambda: serve_embedded(app, host, port)
