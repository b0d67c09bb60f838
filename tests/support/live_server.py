"""The web companion served by uvicorn on a free port, in a thread with its own event loop.

The test talks to the server over real HTTP (a browser, httpx) and runs service calls (a
registration at the kiosk, mail delivery) on the server's loop, where the engine lives.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import uvicorn

from kiosk.runtime import Runtime
from tests.support.network import free_port
from web.app import create_app
from web.server import route_server_logs, server_config

T = TypeVar("T")


class LiveServer:
    """``with LiveServer(runtime) as server: ... server.url ... server.call(coroutine)``."""

    def __init__(self, runtime: Runtime, port: int | None = None) -> None:
        self.runtime = runtime
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._server = uvicorn.Server(
            server_config(
                create_app(runtime.services, runtime.settings),
                "127.0.0.1",
                self.port,
                lifespan="off",
            )
        )
        self._thread = threading.Thread(target=self._run, name="web-live", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._server.serve())

    def call(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run ``coroutine`` on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def __enter__(self) -> LiveServer:
        route_server_logs()
        self._thread.start()
        deadline = 200
        while not self._server.started:
            deadline -= 1
            if deadline == 0 or not self._thread.is_alive():
                raise RuntimeError("the web companion did not start")
            threading.Event().wait(0.05)
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.call(self.runtime.engine.dispose())
        finally:
            self._server.should_exit = True
            self._thread.join(timeout=15)
            self._loop.close()
