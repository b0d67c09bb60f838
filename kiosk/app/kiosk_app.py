"""KioskApp: the theme, the keys of kiosk mode, the start on a Welcome screen, and the one place
where each of its parts is hooked to Textual."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.theme import Theme
from textual.widgets import Input, OptionList
from textual.worker import Worker

from kiosk.app.attendance import Attendance
from kiosk.app.backend import Backend, Started
from kiosk.app.contrast import CONTRAST_THEME
from kiosk.app.flow import Navigation
from kiosk.app.notices import Notices
from kiosk.app.recovery import Recovery
from kiosk.app.speech import Speech
from kiosk.app.textual_internals import GuardedApp
from kiosk.app.typeahead import TypeAhead
from kiosk.config import Settings
from kiosk.domain.catalogue import text
from kiosk.translations import SOURCE_LANGUAGE
from screens.base import DatabaseAway, SessionEnded, UnexpectedError
from screens.welcome import WelcomeScreen
from screens.widgets.live_text import LiveText

if TYPE_CHECKING:
    from kiosk.services import KioskServices

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


class KioskApp(GuardedApp):
    """The kiosk: customers cannot leave it; an agent leaves with F12 and the agent PIN.

    Made of parts, each a plain object of its module of :mod:`kiosk.app` holding a reference
    to the app, and each called from here only: the services and the database away
    (:attr:`backend`), what is told and in which language (:attr:`notices`), keys typed ahead
    (:attr:`type_ahead`), who is at the kiosk (:attr:`attendance`), the apology after a bug
    (:attr:`recovery`), which screen follows which (:attr:`navigation`) and speech
    (:attr:`speech`); Textual's private names stay in ``textual_internals``.
    """

    CSS_PATH = Path(__file__).parents[1] / "kiosk.tcss"
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "toggle_speech", text("key_speech"), show=False, priority=True),
        Binding("ctrl+r", "repeat", show=False, priority=True),
        Binding("ctrl+t", "toggle_contrast", text("key_contrast"), show=False, priority=True),
        Binding("ctrl+q", "leave", show=False, priority=True),
        Binding("ctrl+c", "nothing", show=False, priority=True, system=True),
        Binding("ctrl+p", "nothing", show=False, priority=True),
        Binding("f12", "agent", show=False, priority=True),
    ]

    def __init__(
        self,
        services: KioskServices | None,
        settings: Settings,
        *,
        dev: bool = False,
        background: Sequence[Callable[[], Awaitable[None]]] = (),
        start: Callable[[], Awaitable[Started]] | None = None,
        manage_garbage: bool = False,
    ) -> None:
        """Build the kiosk.

        Args:
            services: the use cases; None when ``start`` opens them after the first paint.
            settings: the installation's settings.
            dev: ctrl+q quits (development only).
            background: coroutine factories run for the app's life (mail worker, purge).
            start: opens the database and the services once Welcome is on screen, so that
                the customer never waits for libraries only later screens use.
            manage_garbage: freeze start-up's objects and run full garbage collections only
                when nobody types (process-wide: the kiosk's own process only, not tests).
        """
        super().__init__()
        self.settings = settings
        self.dev = dev
        """Development mode: ctrl+q quits."""
        self.backend = Backend(self, services, start, background)
        self.notices = Notices(self)
        self.type_ahead = TypeAhead(self)
        self.attendance = Attendance(self, manage_garbage=manage_garbage)
        self.recovery = Recovery(self)
        self.navigation = Navigation(self)
        self.speech = Speech(self)

    @property
    def services(self) -> KioskServices:
        """The use cases (open once Welcome is painted, see :class:`~kiosk.app.backend.Backend`)."""
        return self.backend.services

    @property
    def language(self) -> str:
        """The language of every screen (SPEC §11)."""
        return self.notices.language

    def on_mount(self) -> None:
        self.register_theme(KIOSK_THEME)
        self.theme = "kiosk"
        self.title = text("app_title")
        self.attendance.start()
        self.push_screen(WelcomeScreen())
        self.backend.open_after_paint()
        self.register_theme(CONTRAST_THEME)
        if self.settings.theme == "contrast":
            self.theme = CONTRAST_THEME.name
        self.speech.start()

    def services_ready(self) -> None:
        """The services are open and Welcome is painted: a quiet moment for start-up work."""
        self.attendance.warm_up()

    # -- the parts' hooks --------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.speech.key_pressed()
        if isinstance(event, events.Key | events.MouseDown):
            self.attendance.saw_key()
        await self.type_ahead.deliver(event, super().on_event)

    @on(Message)
    async def _follow(self, message: Message) -> None:
        await self.navigation.follow(message)

    @on(SessionEnded)
    async def _session_ended(self) -> None:
        await self.attendance.session_over()

    @on(DatabaseAway)
    def _database_away(self) -> None:
        self.backend.database_away()

    @on(UnexpectedError)
    def _worker_failed(self, event: UnexpectedError) -> None:
        self.recovery.unexpected(event.error)

    def message_failed(self, error: Exception) -> None:
        self.recovery.unexpected(error)

    def pump_failed(self, error: Exception, *, app_loop_stopped: bool) -> None:
        self.recovery.pump_failed(error, app_loop_stopped=app_loop_stopped)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.recovery.worker_state_changed(event)

    @on(Input.Changed)
    def _value_changed(self, event: Input.Changed) -> None:
        self.speech.value_changed(event)

    @on(OptionList.OptionHighlighted)
    def _option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.speech.option_highlighted(event)

    @on(LiveText.Changed)
    def _live_line_changed(self, event: LiveText.Changed) -> None:
        self.speech.live_line_changed(event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        self.speech.speaker.say(title, message)

    # -- the language ------------------------------------------------------------------------

    def switch_language(self, language: str) -> None:
        """Every open screen, the notification on screen and the voice in ``language``."""
        self.notices.switch_language(language)
        self.speech.speaker.language = self.language

    def forget_language(self) -> None:
        """French again for the next customer; what this one was told is not told again."""
        self.notices.forget_told()
        self.switch_language(SOURCE_LANGUAGE)

    # -- keys that act anywhere --------------------------------------------------------------

    def action_toggle_speech(self) -> None:
        """F1, anywhere: speech on or off (it answers the idle question too)."""
        self.attendance.answer_idle_question()
        self.speech.toggle()

    def action_repeat(self) -> None:
        """Ctrl+R: the last sentences again (and nothing else)."""
        self.speech.repeat()

    def action_toggle_contrast(self) -> None:
        """Ctrl+T, anywhere: the high-contrast theme, or back to the usual one."""
        self.attendance.answer_idle_question()
        self.theme = "kiosk" if self.theme == CONTRAST_THEME.name else CONTRAST_THEME.name

    def action_leave(self) -> None:
        """ctrl+q: quits in development only."""
        if self.dev:
            self.exit()

    def action_nothing(self) -> None:
        """ctrl+c and ctrl+p do nothing in a kiosk."""

    def action_agent(self) -> None:
        self.backend.when_ready(self._ask_agent_pin)

    def _ask_agent_pin(self) -> None:
        from screens.agent import AgentPinScreen

        if not isinstance(self.screen, AgentPinScreen):
            self.push_screen(AgentPinScreen(self.services), self._agent_answered)

    def _agent_answered(self, pin_is_right: bool | None) -> None:
        if pin_is_right:
            self.exit()
