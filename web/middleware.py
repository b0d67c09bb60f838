"""Pure ASGI layers around the whole application: security headers on every response, the
request body limit, and an access log that never holds a code."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 16 * 1024
"""Bodies over 16 KiB are refused (SPEC §8): no form of the companion comes near it."""

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)

access_log = logging.getLogger("kiosk.web.access")


def security_headers(*, https: bool) -> dict[str, str]:
    """The headers of SPEC §8 (HSTS with an https public address)."""
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
    }
    if https:
        headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
    return headers


class SecurityHeaders:
    """Adds the headers of SPEC §8 to every response, error pages and static files included."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.headers = security_headers(https=https)
        self._raw = [(name.encode(), value.encode()) for name, value in self.headers.items()]
        self._names = frozenset(name for name, _value in self._raw)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [item for item in message.get("headers", ()) if item[0] not in self._names]
                message["headers"] = kept + self._raw
            await send(message)

        await self.app(scope, receive, send_with_headers)


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
"""Hosts always answered, whatever the port: this machine's own checks (``/metrics``, the
health page, the embedded demo)."""


def public_host(public_url: str) -> str:
    """``https://Espace.example.fr:443/`` -> ``espace.example.fr:443``: the Host header that
    requests for the public address carry."""
    return urlsplit(public_url).netloc.lower()


MACHINE_PATHS = frozenset({"/sante", "/metrics"})
"""Answered whatever the host: health checks and scrapers name the machine, not the site."""


class PublicHost:
    """Answers only requests for the public address (or this machine's loopback): a page
    never builds a link from the Host header, and this keeps it so for every layer below."""

    def __init__(
        self, app: ASGIApp, *, public_url: str, refuse: Callable[[Scope], Response]
    ) -> None:
        self.app = app
        self.allowed = public_host(public_url)
        self.refuse = refuse

    def is_allowed(self, host: str) -> bool:
        host = host.lower()
        if host == self.allowed:
            return True
        name = host[: host.index("]") + 1] if host.startswith("[") and "]" in host else host
        return name.split(":", 1)[0] in LOOPBACK_HOSTS or name in LOOPBACK_HOSTS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if scope.get("path") not in MACHINE_PATHS and not self.is_allowed(host):
            await self.refuse(scope)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyLimit:
    """Reads the body (at most ``limit`` bytes) before the application; beyond, a 413 page."""

    def __init__(
        self, app: ASGIApp, *, too_large: Callable[[Scope], Response], limit: int = MAX_BODY_BYTES
    ) -> None:
        self.app = app
        self.too_large = too_large
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await self.too_large(scope)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client left before sending its body: nothing to answer.
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self.too_large(scope)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class AccessLog:
    """One line per request: method, route, status, time, client. Never the query string (it
    may carry a code), and for an unknown path only that it was unknown."""

    def __init__(
        self, app: ASGIApp, *, known_paths: Collection[str], client: Callable[[Scope], str]
    ) -> None:
        self.app = app
        self.known_paths = frozenset(known_paths)
        self.client = client

    def _path(self, scope: Scope) -> str:
        path: str = scope.get("path", "")
        if path in self.known_paths or path.startswith("/static/"):
            return path
        return "(other)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            access_log.info(
                "%s %s %d %.1fms client=%s",
                scope.get("method", "-"),
                self._path(scope),
                status,
                (time.perf_counter() - started) * 1000,
                self.client(scope),
            )
