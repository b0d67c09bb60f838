"""The database's commands: ``init-db``, ``import-*``, ``demo-data``, ``purge``, ``mailer``
(the outbox delivered by a central process) and ``status`` (the installation at a glance)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import time
from typing import TYPE_CHECKING

from kiosk.cli.lifecycle import run_reaching_database, with_runtime
from kiosk.config import Settings

if TYPE_CHECKING:  # the database layer is imported by the commands that use it
    from collections.abc import Awaitable, Callable
    from datetime import date
    from pathlib import Path

    from kiosk.domain.import_rows import ImportReport
    from kiosk.runtime import Runtime
    from kiosk.services.billing_imports import BillingImportService


IMPORTS = {
    "import-operators",
    "import-communes",
    "import-subscribers",
    "import-invoices",
    "import-readings",
}


DEMO_DATA_REFUSED = (
    "kiosk: demo-data refuses a configured database_url: the demo belongs to the embedded "
    "default database, and a configured one may be production. Add --force to load it there "
    "anyway (rows that exist are never overwritten)."
)


def database_command(args: argparse.Namespace, settings: Settings) -> int:
    """``init-db``, ``import-*``, ``demo-data``, ``purge`` or ``mailer``, after the database
    is migrated; a file that cannot be imported is one line and exit status 1."""
    from kiosk.domain.import_rows import ImportFileError

    try:
        return run_reaching_database(_database_command(args, settings))
    except ImportFileError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1


async def _database_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "demo-data" and not settings.embedded and not args.force:
        print(DEMO_DATA_REFUSED, file=sys.stderr)  # before anything touches the database
        return 2
    from kiosk.cli.progress import ProgressBar
    from kiosk.runtime import initialise_database
    from kiosk.services.imports import open_csv

    async def command(runtime: Runtime) -> int:
        await initialise_database(runtime)
        imports, billing = runtime.imports, runtime.billing_imports
        if args.command == "init-db":
            print("database ready")
        elif args.command in IMPORTS:
            importers: dict[str, Callable[..., Awaitable[ImportReport]]] = {
                "import-operators": imports.import_operators,
                "import-communes": imports.import_communes,
                "import-subscribers": imports.import_subscribers,
                "import-invoices": billing.import_invoices,
                "import-readings": billing.import_readings,
            }
            importer = importers[args.command]
            started = time.perf_counter()
            with open_csv(args.csv) as stream, ProgressBar(args.csv.name) as progress:
                report = await importer(stream, progress=progress)
            _print_report(args.csv.name, report, time.perf_counter() - started)
            return 1 if report.skipped else 0
        elif args.command == "export-readings":
            await _export_readings(billing, args.since, args.output)
        elif args.command == "demo-data":
            demo = await imports.load_demo_data() + await billing.load_demo_billing()
            for report in demo:
                _print_report("demo", report, None)
            if args.subscribers:
                started = time.perf_counter()
                with ProgressBar("synthetic subscribers") as progress:
                    report = await imports.add_synthetic_subscribers(
                        args.subscribers, progress=progress
                    )
                _print_report("synthetic", report, time.perf_counter() - started)
        elif args.command == "purge":
            with ProgressBar("purge") as progress:
                purged = await runtime.services.maintenance.purge(progress)
            print(purged)
        elif args.command == "mailer":
            await _serve_mail(runtime)
        return 0

    return await with_runtime(settings, command)


async def _export_readings(billing: BillingImportService, since: date, output: Path | None) -> None:
    """The customers' own readings since ``since``, to ``output`` or standard output."""
    if output is None:
        count = await billing.export_readings(since, sys.stdout)
    else:
        try:
            with output.open("w", encoding="utf-8", newline="") as file:
                count = await billing.export_readings(since, file)
        except OSError as error:
            from kiosk.services.imports import ImportFileError

            raise ImportFileError(f"cannot write {output}: {error.strerror}") from None
    print(f"export-readings: {count} reading(s) since {since.isoformat()}", file=sys.stderr)


def _print_report(name: str, report: ImportReport, seconds: float | None) -> None:
    rate = f" in {seconds:.1f} s ({report.written / seconds:,.0f} rows/s)" if seconds else ""
    kept = f", {report.kept} already present (kept)" if report.kept else ""
    print(f"{name}: {report.written} row(s) written{kept}, {report.skipped} skipped{rate}")
    for line, reason in report.errors:
        print(f"  line {line}: {reason}")
    if report.skipped > len(report.errors):
        print(f"  ... and {report.skipped - len(report.errors)} more")


async def _serve_mail(runtime: Runtime) -> None:
    """Deliver the outbox and purge until SIGINT or SIGTERM."""
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


def status(args: argparse.Namespace, settings: Settings) -> int:
    """Print the installation's figures; exit 1 when something needs a person. Read-only:
    it applies no migration, so that a schema left behind shows."""
    import json

    from kiosk.domain.errors import ServiceUnavailable

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

    return asyncio.run(with_runtime(settings, report))
