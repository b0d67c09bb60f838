"""Command line: load the configuration, build the engine, services and mailer, then run."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import ConfigError, Settings, ensure_secret_key, load_settings
from kiosk.file_modes import restrict_new_files, secure_installation_files
from kiosk.logs import configure_logging

if TYPE_CHECKING:  # the database layer is imported by the commands that use it
    from email.message import EmailMessage

    from starlette.types import ASGIApp

    from kiosk.imports import ImportReport
    from kiosk.runtime import Runtime
    from kiosk.services import KioskServices


log = logging.getLogger("kiosk")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Espace Client kiosk")
    parser.add_argument("--config", type=Path, help="TOML file (default: ./kiosk.toml if any)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help="run the kiosk (full screen)")
    run.add_argument("--dev", action="store_true", help="allow ctrl+q (development only)")
    commands.add_parser("init-db", help="create or update the database (idempotent)")
    for name, what in (
        ("operators", "operators"),
        ("communes", "communes"),
        ("subscribers", "subscriber records"),
    ):
        command = commands.add_parser(f"import-{name}", help=f"import {what} from a CSV file")
        command.add_argument("csv", type=Path)
    demo = commands.add_parser("demo-data", help="load the demo operators, communes, subscribers")
    demo.add_argument(
        "--subscribers",
        type=int,
        default=0,
        metavar="N",
        help="also add N synthetic subscribers (benchmarks)",
    )
    demo.add_argument(
        "--force",
        action="store_true",
        help="load into a configured database_url too (existing rows are still never overwritten)",
    )
    commands.add_parser("mailer", help="deliver the outbox (a central mail process)")
    commands.add_parser("purge", help="delete expired accounts, codes, sessions and counters")
    status = commands.add_parser(
        "status", help="the installation at a glance (exit 1: something needs a person)"
    )
    status.add_argument("--json", action="store_true", help="one JSON object, for scripts")
    mail = commands.add_parser("mail", help="list the demo e-mails (maildir), newest first")
    mail.add_argument("number", type=int, nargs="?", help="print e-mail N of the list")
    commands.add_parser("hash-pin", help="print the argon2 hash of an agent PIN")
    web = commands.add_parser("web", help="serve the web companion (the e-mails' links)")
    web.add_argument("--host", help="address to listen on (default: from web_listen)")
    web.add_argument("--port", type=int, help="port to listen on (default: from web_listen)")
    web.add_argument("--workers", type=int, default=1, help="processes sharing the port")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    restrict_new_files()  # before anything is created: database, journals, logs, key, e-mails
    try:
        settings = ensure_secret_key(load_settings(args.config))
        tightened = secure_installation_files(settings)
    except ConfigError as error:
        print(f"kiosk: configuration error: {error}", file=sys.stderr)
        return 2
    to_stderr = args.command in {"mailer", "web"}
    _configure_logging(settings, to_stderr=to_stderr)
    if tightened:
        log.warning("made owner-only (they were open to other users): %s", "; ".join(tightened))
    handlers: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
        "run": _run,
        "status": _status,
        "web": _web,
        "mail": _mail,
        "hash-pin": _hash_pin,
    }
    if args.command in handlers:
        return handlers[args.command](args, settings)
    from kiosk.imports import ImportFileError
    from kiosk.storage.faults import is_database_unreachable

    try:
        return asyncio.run(_async_command(args, settings))
    except ImportFileError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        if not is_database_unreachable(error):
            raise
        print(f"kiosk: the database cannot be reached ({type(error).__name__})", file=sys.stderr)
        return 1


def _configure_logging(settings: Settings, *, to_stderr: bool) -> None:
    configure_logging(
        settings.data_dir,
        settings.log_level,
        to_stderr=to_stderr,
        log_format=settings.log_format,
        kiosk_id=settings.kiosk_id,
    )


async def _with_runtime(settings: Settings, body: Callable[[Runtime], Awaitable[int]]) -> int:
    from kiosk.runtime import build_runtime

    runtime = build_runtime(settings)
    try:
        return await body(runtime)
    finally:
        await runtime.close()


DEMO_DATA_REFUSED = (
    "kiosk: demo-data refuses a configured database_url: the demo belongs to the embedded "
    "default database, and a configured one may be production. Add --force to load it there "
    "anyway (rows that exist are never overwritten)."
)


async def _async_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "demo-data" and not settings.embedded and not args.force:
        print(DEMO_DATA_REFUSED, file=sys.stderr)  # before anything touches the database
        return 2
    from kiosk.cli_progress import ProgressBar
    from kiosk.imports import (
        add_synthetic_subscribers,
        import_communes,
        import_operators,
        import_subscribers,
        load_demo_data,
        open_csv,
    )
    from kiosk.runtime import initialise_database

    async def command(runtime: Runtime) -> int:
        await initialise_database(runtime)
        engine = runtime.engine
        if args.command == "init-db":
            print("database ready")
        elif args.command in {"import-operators", "import-communes", "import-subscribers"}:
            importer = {
                "import-operators": import_operators,
                "import-communes": import_communes,
                "import-subscribers": import_subscribers,
            }[args.command]
            started = time.perf_counter()
            with open_csv(args.csv) as stream, ProgressBar(args.csv.name) as progress:
                report = await importer(engine, stream, progress=progress)
            _print_report(args.csv.name, report, time.perf_counter() - started)
            return 1 if report.skipped else 0
        elif args.command == "demo-data":
            for report in await load_demo_data(engine):
                _print_report("demo", report, None)
            if args.subscribers:
                started = time.perf_counter()
                with ProgressBar("synthetic subscribers") as progress:
                    report = await add_synthetic_subscribers(
                        engine, args.subscribers, progress=progress
                    )
                _print_report("synthetic", report, time.perf_counter() - started)
        elif args.command == "purge":
            with ProgressBar("purge") as progress:
                purged = await runtime.services.maintenance.purge(progress)
            print(purged)
        elif args.command == "mailer":
            await _serve_mail(runtime)
        return 0

    return await _with_runtime(settings, command)


def _print_report(name: str, report: ImportReport, seconds: float | None) -> None:
    rate = f" in {seconds:.1f} s ({report.written / seconds:,.0f} rows/s)" if seconds else ""
    kept = f", {report.kept} already present (kept)" if report.kept else ""
    print(f"{name}: {report.written} row(s) written{kept}, {report.skipped} skipped{rate}")
    for line, reason in report.errors:
        print(f"  line {line}: {reason}")
    if report.skipped > len(report.errors):
        print(f"  ... and {report.skipped - len(report.errors)} more")


def _status(args: argparse.Namespace, settings: Settings) -> int:
    """Print the installation's figures; exit 1 when something needs a person. Read-only:
    it applies no migration, so that a schema left behind shows."""
    import json

    from kiosk.errors import ServiceUnavailable

    async def report(runtime: Runtime) -> int:
        try:
            status = await runtime.services.status.status()
        except ServiceUnavailable:
            if args.json:
                print(json.dumps({"needs_attention": True, "problems": ["database away"]}))
            print("kiosk: the database cannot be reached", file=sys.stderr)
            return 1
        print(json.dumps(status.as_json(), indent=2) if args.json else status.as_text())
        return 1 if status.needs_attention else 0

    return asyncio.run(_with_runtime(settings, report))


async def _serve_mail(runtime: Runtime) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = [
        asyncio.create_task(runtime.worker.run_forever()),
        asyncio.create_task(runtime.services.maintenance.purge_forever()),
    ]
    await stop.wait()
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.agent_pin_hash and not settings.demo_pin_allowed and not args.dev:
        print(
            "kiosk: configuration error: agent_pin_hash is required: the demo PIN opens only "
            "the embedded demo (no database_url, demo data), and without a PIN no agent could "
            "leave the kiosk (make one with: kiosk hash-pin)",
            file=sys.stderr,
        )
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


WEB_CONFIG_VARIABLE = "KIOSK_CONFIG_FILE"
"""Set by ``kiosk web --workers N --config FILE`` for its worker processes."""


def _embedded_web(runtime: Runtime, settings: Settings) -> Callable[[], Awaitable[None]]:
    """The web companion served in the kiosk's own loop, over the kiosk's services."""
    from web.app import create_app
    from web.server import serve_embedded

    app = create_app(runtime.services, settings)
    host, port = settings.web_host_port
    return lambda: serve_embedded(app, host, port)


def _web_app(settings: Settings) -> ASGIApp:
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
    _configure_logging(settings, to_stderr=True)
    from web.server import route_server_logs

    route_server_logs()
    return _web_app(settings)


def _web(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.runtime import initialise_database
    from kiosk.storage.faults import is_database_unreachable
    from web.server import run

    host, port = settings.web_host_port
    host, port = args.host or host, args.port or port

    async def initialise(runtime: Runtime) -> int:
        await initialise_database(runtime)
        return 0

    try:
        asyncio.run(_with_runtime(settings, initialise))
    except Exception as error:
        if not is_database_unreachable(error):
            raise
        print(f"kiosk: the database cannot be reached ({type(error).__name__})", file=sys.stderr)
        return 1
    print(f"kiosk web: http://{host}:{port} (public address {settings.public_url})")
    if args.workers > 1:
        if args.config is not None:
            os.environ[WEB_CONFIG_VARIABLE] = str(args.config.resolve())
        _share_request_metrics(settings)
        return run("kiosk.__main__:web_app_from_environment", host, port, workers=args.workers)
    return run(_web_app(settings), host, port)


METRICS_SHARE_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
"""prometheus-client's multiprocess mode: the workers' request counts add up in this folder."""


def _share_request_metrics(settings: Settings) -> None:
    """Let ``kiosk web --workers N``'s processes add up their request metrics, so that a
    scrape answered by any of them counts every worker's requests. The folder is emptied at
    each start, as prometheus-client asks."""
    folder = settings.data_dir / "web-metrics"
    folder.mkdir(mode=0o700, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[METRICS_SHARE_VARIABLE] = str(folder.resolve())


def _maildir_messages(settings: Settings) -> list[EmailMessage]:
    # Imported here, as in every command: the kiosk's start-up does without them.
    import email
    import email.policy
    import mailbox
    from email.message import EmailMessage
    from email.utils import parsedate_to_datetime

    folder = settings.resolved_maildir
    if not folder.is_dir():
        return []
    box = mailbox.Maildir(folder, factory=None, create=False)
    found = []
    for key in box.iterkeys():
        with box.get_file(key) as stream:
            message = email.message_from_bytes(stream.read(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        found.append(message)
    found.sort(key=lambda m: parsedate_to_datetime(str(m["Date"])), reverse=True)
    return found


def _mail(args: argparse.Namespace, settings: Settings) -> int:
    messages = _maildir_messages(settings)
    if not messages:
        print(f"no e-mail in {settings.resolved_maildir}")
        return 0
    if args.number is None:
        for number, message in enumerate(messages, start=1):
            print(f"{number:3}  {message['Date']}  {message['To']}  {message['Subject']}")
        print("\nkiosk mail N prints e-mail N.")
        return 0
    if not 1 <= args.number <= len(messages):
        print(f"kiosk: no e-mail {args.number} (1 to {len(messages)})", file=sys.stderr)
        return 1
    message = messages[args.number - 1]
    body = message.get_body(preferencelist=("plain",))
    print(f"From: {message['From']}\nTo: {message['To']}\nDate: {message['Date']}")
    print(f"Subject: {message['Subject']}\n")
    print(body.get_content() if body is not None else "")
    return 0


def _hash_pin(args: argparse.Namespace, settings: Settings) -> int:
    import getpass

    from argon2 import PasswordHasher
    from argon2.profiles import RFC_9106_LOW_MEMORY

    pin = getpass.getpass("Agent PIN: ")
    if len(pin) < 6 or pin != getpass.getpass("Again: "):
        print("kiosk: the PIN must have at least 6 characters, twice the same", file=sys.stderr)
        return 1
    print(PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY).hash(pin))
    return 0


if __name__ == "__main__":
    sys.exit(main())
