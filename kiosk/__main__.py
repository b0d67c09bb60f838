"""Command line: parse the arguments, load the configuration, and hand both to the command's
module in :mod:`kiosk.cli` (which builds what it needs through :mod:`kiosk.runtime`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from kiosk.cli import data, run, tools, web
from kiosk.cli.lifecycle import configure_command_logging
from kiosk.config import (
    SERVING_COMMANDS,
    ConfigError,
    Settings,
    ensure_secret_key,
    load_settings,
    refuse_demo_data_at_start,
    require_serving_settings,
)
from kiosk.file_modes import restrict_new_files, secure_installation_files

log = logging.getLogger("kiosk")

Command = Callable[[argparse.Namespace, Settings], int]

COMMANDS: dict[str, Command] = {
    "run": run.run_kiosk,
    "init-db": data.database_command,
    "import-operators": data.database_command,
    "import-communes": data.database_command,
    "import-subscribers": data.database_command,
    "import-invoices": data.database_command,
    "import-readings": data.database_command,
    "export-readings": data.database_command,
    "demo-data": data.database_command,
    "mailer": data.database_command,
    "purge": data.database_command,
    "status": data.status,
    "mail": tools.mail,
    "hash-pin": tools.hash_pin,
    "web": web.serve_web,
}
"""Each command's function, called with the parsed arguments and the loaded settings."""


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Espace Client kiosk")
    parser.add_argument("--config", type=Path, help="TOML file (default: ./kiosk.toml if any)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run_command = commands.add_parser("run", help="run the kiosk (full screen)")
    run_command.add_argument("--dev", action="store_true", help="allow ctrl+q (development only)")
    commands.add_parser("init-db", help="create or update the database (idempotent)")
    for name, what in (
        ("operators", "operators"),
        ("communes", "communes"),
        ("subscribers", "subscriber records"),
        ("invoices", "invoices (billing extract)"),
        ("readings", "meter readings (billing extract)"),
    ):
        command = commands.add_parser(f"import-{name}", help=f"import {what} from a CSV file")
        command.add_argument("csv", type=Path)
    export = commands.add_parser(
        "export-readings", help="write the customers' own meter readings as CSV"
    )
    export.add_argument(
        "--since", type=_iso_date, required=True, metavar="DATE", help="first day (YYYY-MM-DD)"
    )
    export.add_argument(
        "--output", type=Path, metavar="CSV", help="file to write (default: standard output)"
    )
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
    web_command = commands.add_parser("web", help="serve the web companion (the e-mails' links)")
    web_command.add_argument("--host", help="address to listen on (default: from web_listen)")
    web_command.add_argument(
        "--port", type=int, help="port to listen on (default: from web_listen)"
    )
    web_command.add_argument("--workers", type=int, default=1, help="processes sharing the port")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, load the settings, run the command; return its exit status."""
    args = _parser().parse_args(argv)
    restrict_new_files()  # before anything is created: database, journals, logs, key, e-mails
    try:
        settings = ensure_secret_key(load_settings(args.config))
        if args.command in SERVING_COMMANDS:
            require_serving_settings(settings)
        elif args.command != "demo-data":  # which asks for --force there
            refuse_demo_data_at_start(settings)
        tightened = secure_installation_files(settings)
    except ConfigError as error:
        print(f"kiosk: configuration error: {error}", file=sys.stderr)
        return 2
    configure_command_logging(settings, to_stderr=args.command in {"mailer", "web"})
    if tightened:
        log.warning("made owner-only (they were open to other users): %s", "; ".join(tightened))
    return COMMANDS[args.command](args, settings)


if __name__ == "__main__":
    sys.exit(main())
