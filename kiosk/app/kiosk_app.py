"""KioskApp: the theme, the keys of kiosk mode, and the start on a Welcome screen."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.theme import Theme

from kiosk.app.speech import Speaking
from kiosk.domain.catalogue import text
from screens.welcome import WelcomeScreen

KIOSK_THEME = Theme(
    name="kiosk",
    primary="#2F6FB3",
    secondary="#4F9BD9",
    accent="#FFD447",
    foreground="#F4F7FA",
    background="#0E1B2C",
    surface="#15273D",
    panel="#1D3552",
    success="#4CD07D",
    warning="#F2B33D",
    error="#FF6B6B",
    dark=True,
)
"""Calm blues, light text, a yellow accent that makes the focus obvious."""


class KioskApp(Speaking):
    """The kiosk: customers cannot leave it; an agent leaves with F12 and the agent PIN.

    Built from parts, each in its module of :mod:`kiosk.app`: the services and outages
    (``core``), attendance (idle, session, apology), the navigation between screens
    (``flow``), speech and contrast (``speech``); Textual's private names stay in
    ``textual_internals``.
    """

    CSS_PATH = Path(__file__).parents[1] / "kiosk.tcss"
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "leave", show=False, priority=True),
        Binding("ctrl+c", "nothing", show=False, priority=True, system=True),
        Binding("ctrl+p", "nothing", show=False, priority=True),
        Binding("f12", "agent", show=False, priority=True),
    ]

    def on_mount(self) -> None:
        self.register_theme(KIOSK_THEME)
        self.theme = "kiosk"
        self.title = text("app_title")
        self._start_attendance()
        self.push_screen(WelcomeScreen())
        self._open_services_after_paint()

    # -- kiosk mode --------------------------------------------------------------------------

    def action_leave(self) -> None:
        """ctrl+q: quits in development only."""
        if self.dev:
            self.exit()

    def action_nothing(self) -> None:
        """ctrl+c and ctrl+p do nothing in a kiosk."""

    def action_agent(self) -> None:
        self._when_ready(self._ask_agent_pin)

    def _ask_agent_pin(self) -> None:
        from screens.agent import AgentPinScreen

        if not isinstance(self.screen, AgentPinScreen):
            self.push_screen(AgentPinScreen(self.services), self._agent_answered)

    def _agent_answered(self, pin_is_right: bool | None) -> None:
        if pin_is_right:
            self.exit()
