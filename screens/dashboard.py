"""Dashboard: the ``Tableau de Bord`` of the signed-in customer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, SessionExpired
from kiosk.services import DashboardSummary, SignedIn
from screens.base import KioskScreen, SessionEnded
from screens.widgets.error_line import ErrorLine
from screens.widgets.live_text import LiveText
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


def summary_lines(summary: DashboardSummary, language: str) -> str:
    """The contract summary, one ``label : value`` per line."""
    rows = summary.rows(language)
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}} : {value}" for label, value in rows)


class DashboardScreen(KioskScreen):
    """Welcome banner, contract summary, change password (F6), sign out (F10 or Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f6", "change_password", text("key_change_password"), key_display="F6"),
        Binding("f10", "sign_out", text("key_logout"), key_display="F10"),
        Binding("escape", "sign_out", text("key_logout"), key_display="Échap", show=False),
    ]

    @dataclass
    class ChangePassword(Message):
        """The customer wants to change the password."""

    @dataclass
    class SignOut(Message):
        """The customer leaves (F10, ``#logout`` or Escape: the screen before is Welcome)."""

    def __init__(self, services: KioskServices, session: SignedIn) -> None:
        super().__init__()
        self.services = services
        self.session = session

    def compose(self) -> ComposeResult:
        yield StepHeader(text("dashboard_title", self.language))
        with VerticalScroll(classes="form"):
            yield Static(
                text(
                    "dashboard_hello",
                    self.language,
                    first_name=self.session.first_name,
                    last_name=self.session.last_name,
                ),
                id="welcome-banner",
                markup=False,
            )
            yield LiveText(text("busy", self.language), id="contract-summary", markup=False)
            with Horizontal(classes="actions"):
                yield Button(text("button_change_password", self.language), id="change-password")
                yield Button(text("button_logout", self.language), id="logout", variant="primary")
            yield ErrorLine(id="form-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#change-password", Button).focus()
        self._load()

    def database_back(self) -> None:
        self._load()

    def _load(self) -> None:
        self.call_service(
            partial(self.services.sessions.dashboard, self.session.token),
            lambda summary: self.query_one("#contract-summary", Static).update(
                summary_lines(summary, self.language)
            ),
            refused=self._refused,
        )

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, SessionExpired):
            self.post_message(SessionEnded())
            return True
        return False

    @on(Button.Pressed, "#change-password")
    def action_change_password(self) -> None:
        self.post_message(self.ChangePassword())

    @on(Button.Pressed, "#logout")
    def action_sign_out(self) -> None:
        self.post_message(self.SignOut())
