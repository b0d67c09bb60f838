"""What every command's process shares: its logging, the runtime opened around its body and
closed after it, and the one line printed when the database does not answer."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from kiosk.config import Settings
from kiosk.logs import configure_logging

if TYPE_CHECKING:  # the database layer is imported by the commands that use it
    from kiosk.runtime import Runtime


def configure_command_logging(settings: Settings, *, to_stderr: bool) -> None:
    """The log file (and standard error for the long-running servers) of one process."""
    configure_logging(
        settings.data_dir,
        settings.log_level,
        to_stderr=to_stderr,
        log_format=settings.log_format,
        kiosk_id=settings.kiosk_id,
    )


async def with_runtime(settings: Settings, body: Callable[[Runtime], Awaitable[int]]) -> int:
    """Build the runtime, await ``body(runtime)``, close the runtime whatever happens."""
    from kiosk.runtime import build_runtime

    runtime = build_runtime(settings)
    try:
        return await body(runtime)
    finally:
        await runtime.close()


def run_reaching_database(command: Coroutine[Any, Any, int]) -> int:
    """``asyncio.run(command)``; a database that cannot be reached is one line on standard
    error and exit status 1 rather than a traceback."""
    from kiosk.storage.faults import is_database_unreachable

    try:
        return asyncio.run(command)
    except Exception as error:
        if not is_database_unreachable(error):
            raise
        print(f"kiosk: the database cannot be reached ({type(error).__name__})", file=sys.stderr)
        return 1
