"""``kiosk web``: the web companion in its own process (or ``--workers N`` processes sharing
the port and adding up their request metrics), each with its own runtime."""

from __future__ import annotations

import argparse
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.lifecycle import configure_command_logging, run_reaching_database, with_runtime
from kiosk.config import Settings, ensure_secret_key, load_settings, require_serving_settings

if TYPE_CHECKING:  # Starlette and the database layer are imported by the command itself
    from starlette.types import ASGIApp

    from kiosk.runtime import Runtime


WEB_CONFIG_VARIABLE = "KIOSK_CONFIG_FILE"
"""Set by ``kiosk web --workers N --config FILE`` for its worker processes."""

METRICS_SHARE_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
"""prometheus-client's multiprocess mode: the workers' request counts add up in this folder."""

WORKER_APP = "kiosk.cli.web:web_app_from_environment"
"""What uvicorn imports in each worker process of ``kiosk web --workers N``."""


def serve_web(args: argparse.Namespace, settings: Settings) -> int:
    """Migrate the database, then serve the web companion until stopped."""
    from kiosk.runtime import initialise_database
    from web.server import run

    host, port = settings.web_host_port
    host, port = args.host or host, args.port or port

    async def initialise(runtime: Runtime) -> int:
        await initialise_database(runtime)
        return 0

    if run_reaching_database(with_runtime(settings, initialise)) != 0:
        return 1
    print(f"kiosk web: http://{host}:{port} (public address {settings.public_url})")
    if args.workers > 1:
        if args.config is not None:
            os.environ[WEB_CONFIG_VARIABLE] = str(args.config.resolve())
        _share_request_metrics(settings)
        return run(WORKER_APP, host, port, workers=args.workers)
    return run(web_app(settings), host, port)


def web_app(settings: Settings) -> ASGIApp:
    """The application of one ``kiosk web`` process, with its own runtime."""
    from kiosk.runtime import build_runtime
    from web.app import create_app
    from web.server import process_lifespan

    runtime = build_runtime(settings)
    background: list[Callable[[], Awaitable[None]]] = []
    if settings.mailer_in_process:  # as kiosk run: deliver and purge unless a mailer does
        background += [runtime.worker.run_forever, runtime.services.maintenance.purge_forever]
    lifespan = process_lifespan(background, runtime.close)
    return create_app(runtime.services, settings, lifespan=lifespan)


def web_app_from_environment() -> ASGIApp:
    """The application of a ``kiosk web --workers N`` worker process (uvicorn calls it)."""
    config = os.environ.get(WEB_CONFIG_VARIABLE)
    settings = ensure_secret_key(load_settings(Path(config) if config else None))
    require_serving_settings(settings)
    configure_command_logging(settings, to_stderr=True)
    from web.server import route_server_logs

    route_server_logs()
    return web_app(settings)


def _share_request_metrics(settings: Settings) -> None:
    """Let ``kiosk web --workers N``'s processes add up their request metrics, so that a
    scrape answered by any of them counts every worker's requests. The folder is emptied at
    each start, as prometheus-client asks."""
    folder = settings.data_dir / "web-metrics"
    folder.mkdir(mode=0o700, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[METRICS_SHARE_VARIABLE] = str(folder.resolve())
