"""``GET /metrics`` for Prometheus: the installation's figures, read from the database at scrape
time through the status service (every kiosk, mailer and web process writes there), and this
process's requests by route. Served only to the ``metrics_allow`` addresses."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable, Sequence
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import Scope

from kiosk.domain.errors import ServiceUnavailable
from kiosk.services.status_report import InstallationStatus
from web.security import is_forwarded
from web.site import Site

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Methods named in a label as they are; any other is ``other`` (a client chooses it)."""
SHARED_FOLDER_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
"""Set by ``kiosk web --workers N`` (prometheus-client's multiprocess mode, read when the
library is imported): the workers' request metrics are added up from that folder."""
UNKNOWN_ROUTE = "(other)"
"""The label of a request that no route matches: never its path, which a client chooses."""


class StatusCollector:
    """The figures of one :class:`InstallationStatus` as Prometheus metric families."""

    def __init__(self, status: InstallationStatus | None) -> None:
        self.status = status
        """None when the database did not answer the scrape."""

    def collect(self) -> Iterable[Metric]:
        status = self.status
        yield _gauge(
            "kiosk_database_up", "1 when the database answered this scrape", status is not None
        )
        if status is None:
            return
        yield _gauge(
            "kiosk_schema_up_to_date",
            "1 when the database is at the newest migration this version knows",
            status.schema.up_to_date,
        )
        outbox, accounts, totals = status.outbox, status.accounts, status.totals
        if outbox is None or accounts is None or totals is None:
            return  # the schema is behind: kiosk_schema_up_to_date says so
        messages = GaugeMetricFamily(
            "kiosk_outbox_messages",
            "E-mails in the outbox by state (kept 30 days)",
            labels=["state"],
        )
        messages.add_metric(["queued"], outbox.queued)
        messages.add_metric(["sent"], outbox.sent)
        messages.add_metric(["abandoned"], outbox.abandoned)
        yield messages
        recent = GaugeMetricFamily(
            "kiosk_outbox_messages_last_24h",
            "E-mails sent or abandoned in the last 24 hours",
            labels=["state"],
        )
        recent.add_metric(["sent"], outbox.sent_24h)
        recent.add_metric(["abandoned"], outbox.abandoned_24h)
        yield recent
        yield _gauge(
            "kiosk_outbox_oldest_queued_age_seconds",
            "How long the oldest queued e-mail has waited (0 when none waits)",
            outbox.oldest_queued_age_seconds or 0.0,
        )
        by_state = GaugeMetricFamily("kiosk_accounts", "Customer spaces by state", labels=["state"])
        by_state.add_metric(["active"], accounts.active)
        by_state.add_metric(["pending"], accounts.pending)
        yield by_state
        yield CounterMetricFamily(
            "kiosk_registrations",
            "Registrations (new or replacing a pending one)",
            totals.registrations,
        )
        yield CounterMetricFamily("kiosk_activations", "Accounts activated", totals.activations)
        yield CounterMetricFamily(
            "kiosk_password_resets", "Passwords reset with an e-mailed code", totals.password_resets
        )
        yield CounterMetricFamily(
            "kiosk_signin_failures", "Failed sign-ins (kiosks and web)", totals.signin_failures
        )
        throttled = CounterMetricFamily(
            "kiosk_throttled_refusals", "Requests refused by a throttle", labels=["throttle"]
        )
        for throttle, count in sorted(totals.throttled.items()):
            throttled.add_metric([throttle], count)
        yield throttled
        yield _gauge(
            "kiosk_kiosks_seen", "Kiosks with a heartbeat in the last 24 hours", len(status.kiosks)
        )
        ages = GaugeMetricFamily(
            "kiosk_heartbeat_age_seconds",
            "Age of each kiosk's last heartbeat (one a minute while it runs)",
            labels=["kiosk"],
        )
        for kiosk in status.kiosks:
            ages.add_metric([kiosk.kiosk_id], kiosk.last_heartbeat_age_seconds)
        yield ages


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=float(value))


class RequestMetrics:
    """Counts and times the requests of this process by route template (for
    :class:`web.middleware.Framing`)."""

    def __init__(self) -> None:
        self.requests = Counter(
            "kiosk_web_requests",
            "Requests answered by this web process, by route template",
            ["route", "method", "status"],
            registry=None,
        )
        self.latency = Histogram(
            "kiosk_web_request_duration_seconds",
            "Time to answer a request, by route template",
            ["route", "method"],
            registry=None,
        )
        self._routes: Sequence[BaseRoute] = ()
        self._exact: dict[str, str] = {}
        # Each label set's child, found once (``labels()`` takes a lock and checks the values
        # every time); bounded as the labels are: routes x methods x statuses.
        self._timed: dict[tuple[str, str], Any] = {}
        self._counted: dict[tuple[str, str, int], Any] = {}

    @property
    def routes(self) -> Sequence[BaseRoute]:
        """The application's routes (set when the middleware stack is built)."""
        return self._routes

    @routes.setter
    def routes(self, routes: Sequence[BaseRoute]) -> None:
        self._routes = routes
        # A path without parameters is its own template: found without trying every route.
        self._exact = {
            route.path: route.path
            for route in routes
            if isinstance(route, Route) and "{" not in route.path
        }

    def collect(self) -> Iterable[Metric]:
        shared = os.environ.get(SHARED_FOLDER_VARIABLE)
        if shared:
            # kiosk web --workers N: every worker's counts, from the files they all write.
            # (prometheus-client leaves this collector unannotated.)
            collector = MultiProcessCollector(None, shared)  # type: ignore[no-untyped-call]
            yield from collector.collect()  # type: ignore[no-untyped-call]
            return
        yield from self.requests.collect()
        yield from self.latency.collect()

    def route_of(self, scope: Scope) -> str:
        """The template of the route that answers ``scope`` (``/code``, ``/static``)."""
        exact = self._exact.get(scope.get("path", ""))
        if exact is not None:
            return exact
        for route in self.routes:
            match, _child = route.matches(scope)
            if match is not Match.NONE and isinstance(route, Route | Mount):
                return route.path
        return UNKNOWN_ROUTE

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one request answered with ``status`` in ``seconds``."""
        method = method if method in METHODS else "other"
        timed = self._timed.get((route, method))
        if timed is None:
            timed = self._timed[(route, method)] = self.latency.labels(route, method)
        counted = self._counted.get((route, method, status))
        if counted is None:
            counted = self._counted[(route, method, status)] = self.requests.labels(
                route, method, str(status)
            )
        timed.observe(seconds)
        counted.inc()


class MetricsPage:
    """``GET /metrics``; anyone not in ``metrics_allow`` gets the ordinary 404 page."""

    def __init__(self, site: Site, requests: RequestMetrics) -> None:
        self.site = site
        self.requests = requests
        self.allowed = tuple(
            ipaddress.ip_network(network, strict=False) for network in site.settings.metrics_allow
        )

    def routes(self) -> list[Route]:
        return [Route("/metrics", self.metrics, methods=["GET"])]

    def is_allowed(self, request: Request) -> bool:
        """Whether the client (behind ``trusted_proxies``, as everywhere) may read them.

        A request forwarded by a proxy that ``trusted_proxies`` does not name is refused: its
        peer (often the loopback) is the proxy, not the client."""
        client_address = self.site.client_address
        if is_forwarded(request) and not client_address.trusted_peer(request):
            return False
        try:
            address = ipaddress.ip_address(self.site.client_address(request))
        except ValueError:
            return False
        return any(address in network for network in self.allowed)

    async def metrics(self, request: Request) -> Response:
        if not self.is_allowed(request):
            raise HTTPException(404)
        try:
            status: InstallationStatus | None = await self.site.services.status.status()
        except ServiceUnavailable:
            status = None  # kiosk_database_up 0; this process's requests are still told
        registry = CollectorRegistry()
        registry.register(StatusCollector(status))
        registry.register(self.requests)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
