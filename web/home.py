"""``/`` (home) and ``/sante`` (for a load balancer)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kiosk.domain.catalogue import text
from kiosk.domain.errors import ServiceUnavailable
from web.site import Site


class HomePages:
    def __init__(self, site: Site) -> None:
        self.site = site

    def routes(self) -> list[Route]:
        return [
            Route("/", self.home, methods=["GET"]),
            Route("/sante", self.health, methods=["GET"]),
        ]

    async def home(self, request: Request) -> Response:
        return self.site.renderer.render(request, "home.html")

    async def health(self, request: Request) -> Response:
        """200 while the database answers, 503 otherwise; asked afresh on every request."""
        try:
            await self.site.services.health.ping()
        except ServiceUnavailable:
            return PlainTextResponse(text("web_health_down"), status_code=503)
        return PlainTextResponse(text("web_health_ok"))
