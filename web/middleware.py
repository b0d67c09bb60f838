"""What is around the whole application, in one pure ASGI layer: the public host, the request
body limit, the request metrics, an access log that never holds a code, and the security
headers on every response."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from typing import Protocol
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


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
"""Hosts always answered, whatever the port: this machine's own checks (``/metrics``, the
health page, the embedded demo)."""


def public_host(public_url: str) -> str:
    """``https://Espace.example.fr:443/`` -> ``espace.example.fr:443``: the Host header that
    requests for the public address carry."""
    return urlsplit(public_url).netloc.lower()


MACHINE_PATHS = frozenset({"/sante", "/metrics"})
"""Answered whatever the host: health checks and scrapers name the machine, not the site."""


def is_loopback(host: str) -> bool:
    """Whether a Host header (lower case) names this machine's loopback, whatever the port."""
    name = host[: host.index("]") + 1] if host.startswith("[") and "]" in host else host
    return name.split(":", 1)[0] in LOOPBACK_HOSTS or name in LOOPBACK_HOSTS


class Measure(Protocol):
    """Where a request is counted and timed (:class:`web.metrics.RequestMetrics`)."""

    def route_of(self, scope: Scope) -> str: ...

    def observe(self, route: str, method: str, status: int, seconds: float) -> None: ...


class Framing:
    """Around the whole application, outside Starlette's own error page, in this order:

    - the security headers on every response (error pages and static files included);
    - the request metrics and the access log line (method, route, status, time, client; never
      the query string, which may carry a code, and for an unknown path only that it was
      unknown);
    - only the public address is answered (or this machine's loopback, and ``/sante`` and
      ``/metrics`` whatever the host): a page never builds a link from the Host header, and
      this keeps it so for everything inside;
    - the body is read (at most ``limit`` bytes) before the application; beyond, a 413 page.

    One layer rather than one per concern: every page pays each layer's call and its
    wrapped ``send``, a tenth of the page behind the e-mail's link.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        https: bool,
        public_url: str,
        known_paths: Collection[str],
        client: Callable[[Scope], str],
        metrics: Measure,
        misdirected: Callable[[Scope], Response],
        too_large: Callable[[Scope], Response],
        limit: int = MAX_BODY_BYTES,
    ) -> None:
        self.app = app
        self.headers = security_headers(https=https)
        self._raw = [(name.encode(), value.encode()) for name, value in self.headers.items()]
        self._names = frozenset(name for name, _value in self._raw)
        self.allowed = public_host(public_url)
        self.known_paths = frozenset(known_paths)
        self.client = client
        self.metrics = metrics
        self.misdirected = misdirected
        self.too_large = too_large
        self.limit = limit

    def is_allowed(self, host: str) -> bool:
        if host == self.allowed or host in LOOPBACK_HOSTS:  # as browsers send them
            return True
        host = host.lower()
        return host == self.allowed or is_loopback(host)

    def _logged_path(self, path: str) -> str:
        if path in self.known_paths or path.startswith("/static/"):
            return path
        return "(other)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        names, added = self._names, self._raw

        async def framed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                kept = [item for item in message.get("headers", ()) if item[0] not in names]
                message["headers"] = kept + added
            await send(message)

        route = self.metrics.route_of(scope)
        try:
            await self._answer(scope, receive, framed_send)
        finally:
            seconds = time.perf_counter() - started
            method = scope.get("method", "-")
            self.metrics.observe(route, method, status, seconds)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "%s %s %d %.1fms client=%s",
                    method,
                    self._logged_path(scope.get("path", "")),
                    status,
                    seconds * 1000,
                    self.client(scope),
                )

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = b""
        declared: bytes | None = None
        chunked = False
        for name, value in scope["headers"]:
            if name == b"host":
                host = value
            elif name == b"content-length":
                declared = value
            elif name == b"transfer-encoding":
                chunked = True
        if scope.get("path") not in MACHINE_PATHS and not self.is_allowed(host.decode("latin-1")):
            await self.misdirected(scope)(scope, receive, send)
            return
        if declared is None and not chunked:
            # No Content-Length and no Transfer-Encoding: HTTP/1.1 says there is no body, and
            # the page runs at once (a client gone meanwhile gets nothing: uvicorn drops the
            # answer, and the access log has the page's status).
            await self.app(scope, receive, send)
            return
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
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
