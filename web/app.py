"""The web companion's ASGI application: a list of routes over the kiosk's services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Lifespan

from kiosk.config import Settings
from kiosk.domain.errors import ServiceUnavailable
from web.account import AccountPages
from web.billing import BillingPages
from web.codes import CodePages
from web.commune_step import CommuneStep
from web.errors import ErrorPages
from web.home import HomePages
from web.metrics import MetricsPage, RequestMetrics
from web.middleware import Framing
from web.registration import RegistrationPages
from web.rendering import Renderer
from web.security import BROWSER_COOKIE, ClientAddress, CookiePolicy, CsrfGuard
from web.signin import SignInPages
from web.site import Site

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class WebCompanion(Starlette):
    """Starlette with the security headers, the request metrics, the access log and the body
    limit outside everything, so that they also cover the 500 page that Starlette's outermost
    layer writes."""

    def __init__(
        self, site: Site, errors: ErrorPages, request_metrics: RequestMetrics, **options: Any
    ) -> None:
        super().__init__(**options)
        self.site = site
        self.errors = errors
        self.request_metrics = request_metrics
        self.state.site = site

    def build_middleware_stack(self) -> ASGIApp:
        self.request_metrics.routes = list(self.routes)
        return Framing(
            super().build_middleware_stack(),
            https=self.site.cookies.secure,
            public_url=self.site.settings.public_url,
            known_paths={route.path for route in self.routes if isinstance(route, Route)},
            client=self.site.client_address.of_scope,
            metrics=self.request_metrics,
            misdirected=self.errors.misdirected,
            too_large=self.errors.too_large,
        )


def create_app(
    services: KioskServices, settings: Settings, *, lifespan: Lifespan[Any] | None = None
) -> WebCompanion:
    """The application, for uvicorn (``kiosk web``, ``kiosk run``) or a test client.

    Args:
        services: built once by the caller, as for the kiosk.
        settings: ``public_url`` (https: Secure cookies, HSTS), ``trusted_proxies``,
            ``metrics_allow``, the key.
        lifespan: what to open and close with the server (``kiosk web``'s own runtime).
    """
    cookies = CookiePolicy(settings.public_url)
    csrf = CsrfGuard(settings.secret_key, cookies.name(BROWSER_COOKIE))
    renderer = Renderer(csrf, cookies)
    site = Site(
        services, settings, renderer, cookies, csrf, ClientAddress(settings.trusted_proxies)
    )
    errors = ErrorPages(renderer)
    request_metrics = RequestMetrics()
    routes: list[BaseRoute] = [
        # First: the e-mails' links are the pages opened most (the router tries each route
        # in turn; no other page's path is /code, so the order changes no answer).
        *CodePages(site).routes(),
        *HomePages(site).routes(),
        *CommuneStep(site).routes(),
        *RegistrationPages(site).routes(),
        *SignInPages(site).routes(),
        *AccountPages(site).routes(),
        *BillingPages(site).routes(),
        *MetricsPage(site, request_metrics).routes(),
        Mount("/static", StaticFiles(packages=[("web", "static")]), name="static"),
    ]
    companion = WebCompanion(
        site,
        errors,
        request_metrics,
        routes=routes,
        exception_handlers={
            HTTPException: errors.http_error,
            ServiceUnavailable: errors.unavailable,
            Exception: errors.unexpected,
        },
        lifespan=lifespan,
    )
    # Starlette's redirect from /code/ to /code builds its Location from the Host header
    # (and drops https), carrying the query's code: a mistyped path is a 404 instead.
    companion.router.redirect_slashes = False
    return companion
