"""Serving the web companion with uvicorn: in its own processes (``kiosk web``) or inside the
kiosk's event loop (``kiosk run``, the embedded default)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Sequence
from typing import Any, ClassVar

import h11
import uvicorn
from starlette.types import ASGIApp, Lifespan
from uvicorn.protocols.http.h11_impl import H11Protocol

from web.middleware import security_headers

log = logging.getLogger("kiosk.web")


def route_server_logs() -> None:
    """uvicorn's own lines go where the kiosk's go (file, and stderr for ``kiosk web``); its
    access log is off: ours (``kiosk.web.access``) never writes a query string."""
    kiosk = logging.getLogger("kiosk")
    server = logging.getLogger("uvicorn")
    server.handlers[:] = list(kiosk.handlers)
    server.setLevel(kiosk.level or logging.INFO)
    server.propagate = False
    access = logging.getLogger("uvicorn.access")
    access.handlers[:] = []
    access.disabled = True
    access.propagate = False


class HeadedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, whose own 400 reply (a request it cannot parse, before
    any application sees it) carries the security headers too."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (name.encode(), value.encode()) for name, value in security_headers(https=False).items()
    ]

    def send_400_response(self, msg: str) -> None:
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"connection", b"close"),
            *self.HEADERS,
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=msg.encode("ascii")),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()


def server_config(app: ASGIApp | str, host: str, port: int, **options: Any) -> uvicorn.Config:
    """The same uvicorn settings for every way the companion is served."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
        proxy_headers=False,  # the client address is ours to read (trusted_proxies)
        http=HeadedH11Protocol,
        h11_max_incomplete_event_size=16 * 1024,
        timeout_graceful_shutdown=5,
        **options,
    )


def process_lifespan(
    background: Sequence[Callable[[], Awaitable[None]]], close: Callable[[], Awaitable[None]]
) -> Lifespan[Any]:
    """What a ``kiosk web`` process runs beside its pages (the mail worker, the purge), and
    what it releases when it stops."""

    @contextlib.asynccontextmanager
    async def lifespan(app: object) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_logged(factory)) for factory in background]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await close()

    return lifespan


async def _logged(factory: Callable[[], Awaitable[None]]) -> None:
    try:
        await factory()
    except Exception:
        log.exception("background task of the web companion failed")


class _EmbeddedServer(uvicorn.Server):
    """A server inside another program's loop: the signals stay the host program's."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def bind(host: str, port: int) -> socket.socket | None:
    """A listening socket, or None (logged) when the address is taken or not ours."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        log.error("web companion not started: cannot listen on %s:%d (%s)", host, port, error)
        return None
    sock.set_inheritable(True)
    return sock


async def serve_embedded(app: ASGIApp, host: str, port: int) -> None:
    """Serve ``app`` on ``host:port`` in the running loop until cancelled.

    An address already in use is logged and the caller goes on without the web companion.
    """
    route_server_logs()
    sock = bind(host, port)
    if sock is None:
        return
    server = _EmbeddedServer(server_config(app, host, port, lifespan="off"))
    try:
        log.info("web companion on http://%s:%d", host, port)
        await server.serve(sockets=[sock])
    finally:
        sock.close()


def run(app: ASGIApp | str, host: str, port: int, *, workers: int = 1) -> int:
    """Serve until stopped (SIGINT, SIGTERM); several worker processes share one socket.

    Args:
        app: the application; with ``workers > 1``, an import string of a factory.
    """
    route_server_logs()
    if workers > 1:
        assert isinstance(app, str), "worker processes build their application by name"
        uvicorn.run(
            app,
            host=host,
            port=port,
            workers=workers,
            factory=True,
            log_config=None,
            access_log=False,
            server_header=False,
            proxy_headers=False,
            http=HeadedH11Protocol,
            h11_max_incomplete_event_size=16 * 1024,
            timeout_graceful_shutdown=5,
        )
        return 0
    server = uvicorn.Server(server_config(app, host, port, lifespan="on"))
    server.run()
    return 0 if server.started else 1
