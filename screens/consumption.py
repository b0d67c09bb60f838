"""Consumption: the billed volume of each period over three years, as a bar chart (F9)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from kiosk.domain.billing_rules import french_date
from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, SessionExpired
from kiosk.services.billing_results import ConsumptionBar
from screens.base import KioskScreen, SessionEnded
from screens.widgets.bar_chart import bar_chart
from screens.widgets.error_line import ErrorLine
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices

CHART_WIDTH = 72
"""Columns of the chart: it fits 80 with the form's margins."""


def period_label(bar: ConsumptionBar) -> str:
    """``01/2026–06/2026``: the months a period spans."""
    return f"{bar.period_start.strftime('%m/%Y')}–{bar.period_end.strftime('%m/%Y')}"


def consumption_chart(bars: list[ConsumptionBar], language: str) -> str:
    if not bars:
        return text("consumption_empty", language)
    return bar_chart([(period_label(bar), bar.volume_m3) for bar in bars], "m³", CHART_WIDTH)


class ConsumptionScreen(KioskScreen):
    """``#consumption``: one bar per billed period, m³, three years; Escape goes back."""

    def __init__(self, services: KioskServices, session_token: str) -> None:
        super().__init__()
        self.services = services
        self.session_token = session_token

    def compose(self) -> ComposeResult:
        yield StepHeader(text("consumption_title", self.language))
        with VerticalScroll(classes="form", id="consumption-page"):
            yield Static(text("consumption_intro", self.language), classes="intro", markup=False)
            yield Static(text("busy", self.language), id="consumption", markup=False)
            yield Static("", id="consumption-range", markup=False)
            yield ErrorLine(id="form-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#consumption-page").focus()
        self._load()

    def database_back(self) -> None:
        self._load()

    def _load(self) -> None:
        self.call_service(
            partial(self.services.billing.consumption, self.session_token),
            self._show,
            refused=self._refused,
        )

    def _show(self, bars: list[ConsumptionBar]) -> None:
        self.query_one("#consumption", Static).update(consumption_chart(bars, self.language))
        if bars:
            span = text(
                "invoice_period",
                start=french_date(bars[0].period_start),
                end=french_date(bars[-1].period_end),
            )
            self.query_one("#consumption-range", Static).update(span.capitalize())

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, SessionExpired):
            self.post_message(SessionEnded())
            return True
        return False
