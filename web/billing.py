"""The dashboard's services on the web (SPEC §9): ``/factures``, ``/factures/<number>.pdf``,
``/consommation``, ``/releve``. Only the session's own contract: any other invoice number,
made up or another contract's, is the ordinary 404."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kiosk.domain.errors import (
    DomainError,
    InvalidInput,
    InvoiceNotFound,
    ReadingBelowLast,
    ReadingNeedsConfirmation,
    SessionExpired,
)
from kiosk.domain.refusals import describe
from kiosk.services.billing_results import ConsumptionBar
from web.security import SESSION_COOKIE
from web.site import Site

CHART_WIDTH = 640
CHART_HEIGHT = 240
_PLOT_TOP = 24
_PLOT_BOTTOM = 200
"""The bars stand on this line; their labels go below it, their values above them."""


@dataclass(frozen=True)
class SvgBar:
    """One bar of the inline SVG chart, in the chart's own units."""

    x: float
    y: float
    width: float
    height: float
    label: str
    value: str

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


def svg_bars(bars: list[ConsumptionBar]) -> list[SvgBar]:
    """The geometry of the chart: one bar per period, the largest reaching the top."""
    if not bars:
        return []
    largest = max(bar.volume_m3 for bar in bars) or 1
    slot = CHART_WIDTH / len(bars)
    width = slot * 0.6
    shapes = []
    for number, bar in enumerate(bars):
        height = (_PLOT_BOTTOM - _PLOT_TOP) * bar.volume_m3 / largest
        shapes.append(
            SvgBar(
                round(number * slot + (slot - width) / 2, 1),
                round(_PLOT_BOTTOM - height, 1),
                round(width, 1),
                round(height, 1),
                bar.period_start.strftime("%m/%Y"),
                f"{bar.volume_m3} m³",
            )
        )
    return shapes


class BillingPages:
    """Invoices, one invoice's PDF, consumption and the meter reading of the signed-in
    customer; no session sends the customer to sign in."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def routes(self) -> list[Route]:
        return [
            Route("/factures", self.invoices, methods=["GET"]),
            Route("/factures/{number}.pdf", self.invoice_pdf, methods=["GET"]),
            Route("/consommation", self.consumption, methods=["GET"]),
            Route("/releve", self.reading_form, methods=["GET"]),
            Route("/releve", self.record_reading, methods=["POST"]),
        ]

    def _ended(self) -> Response:
        response = self.site.redirect("/connexion", notice="session_expired")
        self.site.cookies.clear(response, SESSION_COOKIE)
        return response

    async def invoices(self, request: Request) -> Response:
        token = self.site.cookies.get(request, SESSION_COOKIE)
        if not token:
            return self.site.redirect("/connexion")
        try:
            invoices = await self.site.services_for(request).billing.invoices(token)
        except SessionExpired:
            return self._ended()
        return self.site.renderer.render(request, "invoices.html", invoices=invoices)

    async def invoice_pdf(self, request: Request) -> Response:
        token = self.site.cookies.get(request, SESSION_COOKIE)
        if not token:
            return self.site.redirect("/connexion")
        number = request.path_params["number"]
        try:
            name, content = await self.site.services_for(request).billing.invoice_pdf(token, number)
        except SessionExpired:
            return self._ended()
        except InvoiceNotFound:
            raise HTTPException(404) from None
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def consumption(self, request: Request) -> Response:
        token = self.site.cookies.get(request, SESSION_COOKIE)
        if not token:
            return self.site.redirect("/connexion")
        try:
            bars = await self.site.services_for(request).billing.consumption(token)
        except SessionExpired:
            return self._ended()
        return self.site.renderer.render(
            request,
            "consumption.html",
            bars=bars,
            shapes=svg_bars(bars),
            chart_width=CHART_WIDTH,
            chart_height=CHART_HEIGHT,
            baseline=_PLOT_BOTTOM,
        )

    async def _reading_page(
        self,
        request: Request,
        token: str,
        *,
        typed: str = "",
        error: str = "",
        field_error: str = "",
        confirm: bool = False,
    ) -> Response:
        state = await self.site.services_for(request).billing.reading_state(token)
        return self.site.renderer.render(
            request,
            "reading.html",
            state=state,
            typed=typed,
            error=error,
            field_error=field_error,
            confirm=confirm,
        )

    async def reading_form(self, request: Request) -> Response:
        token = self.site.cookies.get(request, SESSION_COOKIE)
        if not token:
            return self.site.redirect("/connexion")
        try:
            return await self._reading_page(request, token)
        except SessionExpired:
            return self._ended()

    async def record_reading(self, request: Request) -> Response:
        form = await self.site.form(request)
        token = self.site.cookies.get(request, SESSION_COOKIE)
        if not token:
            return self.site.redirect("/connexion")
        typed = form.field("index")
        try:
            if not typed.strip():
                raise InvalidInput("index", "required")
            await self.site.services_for(request).billing.record_reading(
                token, typed, confirmed=form.field("confirm") == typed
            )
        except SessionExpired:
            return self._ended()
        except ReadingNeedsConfirmation as error:
            return await self._reading_page(
                request, token, typed=typed, error=describe(error), confirm=True
            )
        except (InvalidInput, ReadingBelowLast) as error:
            return await self._reading_page(
                request, token, typed=typed, field_error=describe(error)
            )
        except DomainError as error:
            return await self._reading_page(request, token, typed=typed, error=describe(error))
        return self.site.redirect("/tableau-de-bord", notice="reading_recorded")
