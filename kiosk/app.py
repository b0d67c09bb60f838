"""KioskApp: screen navigation, kiosk mode, idle reset, session end and the apology screen."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual._context import active_message_pump
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.theme import Theme
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from kiosk.catalogue import text
from kiosk.config import Settings
from kiosk.services import CommuneChoice, OperatorInfo, SignedIn
from screens.apology import ApologyScreen
from screens.base import DatabaseAway, KioskScreen, SessionEnded, UnexpectedError
from screens.idle import IdleScreen
from screens.welcome import WelcomeScreen

# The other screens are imported where they are opened: the Welcome screen paints before
# their modules (and the widgets only they use) are loaded. Their messages reach the
# handlers below by name (``on_<screen>_<message>``), which needs no import.
if TYPE_CHECKING:
    from kiosk.services import KioskServices
    from screens.code import CodeScreen
    from screens.commune import CommuneScreen
    from screens.contract import ContractScreen, RegistrationDraft
    from screens.identity import IdentityScreen
    from screens.login import LoginScreen

log = logging.getLogger("kiosk")

Started = tuple["KioskServices", Sequence[Callable[[], Awaitable[None]]]]
"""What ``start`` gives: the services, and the background tasks that go with them."""

GC_QUIET_SECONDS = 3.0
"""A full garbage collection runs once no key has come for this long."""
GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD = 700, 10
"""Python's defaults for the two young generations."""
GC_NO_AUTOMATIC_FULL = 1_000_000_000
"""The old generation is never collected automatically: :meth:`KioskApp._check_idle` does it."""

NOTIFICATION_SECONDS = 10.0
"""How long a notification stays at the top right."""

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


class KioskApp(App[None]):
    """The kiosk: customers cannot leave it; an agent leaves with F12 and the agent PIN."""

    CSS_PATH = Path(__file__).parent / "kiosk.tcss"
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
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
        if services is None and start is None:
            raise ValueError("KioskApp needs services or a way to start them")
        self._services = services
        self._start = start
        self._waiting_for_services: Callable[[], object] | None = None
        """What the customer asked for before the services were open (only the latest)."""
        self.settings = settings
        self.dev = dev
        """Development mode: ctrl+q quits."""
        self._background = tuple(background)
        self.session: SignedIn | None = None
        """The signed-in customer's session, if any."""
        self._session_timer: Timer | None = None
        self._commune: tuple[CommuneChoice, OperatorInfo] | None = None
        self._draft: RegistrationDraft | None = None
        self._last_key = monotonic()
        self._manage_garbage = manage_garbage
        self._garbage_collected = True
        self._recovering = False
        self.unexpected_errors: list[BaseException] = []
        """Errors that led to the apology screen (tests check that it stays empty)."""

    # -- start -------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(KIOSK_THEME)
        self.theme = "kiosk"
        self.title = text("app_title")
        self._run_background(self._background)
        idle = self.settings.idle_seconds
        self.set_interval(min(1.0, idle / 4), self._check_idle)
        self.push_screen(WelcomeScreen())
        if self._services is None:
            self.call_after_refresh(self._open_services)
        else:
            self.call_after_refresh(self._settle_garbage)

    def _settle_garbage(self) -> None:
        """Freeze what start-up made and leave full collections to quiet moments.

        A full collection walks every object (about 100,000 once the services are loaded) and
        stalls the screen for 50 to 80 ms; two or three fell inside each registration. The
        objects of start-up live as long as the kiosk: frozen, they are never walked again;
        and the full collections are made by :meth:`_check_idle` when no key has come for a
        few seconds.
        """
        if not self._manage_garbage:
            return
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, GC_MIDDLE_THRESHOLD, GC_NO_AUTOMATIC_FULL)
        self._garbage_collected = True

    def _run_background(self, factories: Sequence[Callable[[], Awaitable[None]]]) -> None:
        for factory in factories:
            self.run_worker(factory(), group="background", exit_on_error=False)

    @property
    def services(self) -> KioskServices:
        """The use cases; every screen that needs them comes after :meth:`_when_ready`."""
        assert self._services is not None, "services used before they were opened"
        return self._services

    @work(group="start", exit_on_error=False)
    async def _open_services(self) -> None:
        """Open the database and the services (again every few seconds until it works)."""
        assert self._start is not None
        while True:
            try:
                self._services, background = await self._start()
                break
            except Exception:
                log.exception("the services could not be opened; trying again")
                await asyncio.sleep(3)
        self._run_background(background)
        self._settle_garbage()
        waiting, self._waiting_for_services = self._waiting_for_services, None
        if waiting is not None:
            waiting()

    def _when_ready(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` now, or as soon as the services are open (a second after start);
        a later request replaces an earlier one that is still waiting."""
        if self._services is not None:
            callback()
        else:
            self._waiting_for_services = callback

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

    # -- idle --------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_key = monotonic()
            self._garbage_collected = False
        await super().on_event(event)

    def _check_idle(self) -> None:
        try:
            self._check_quiet()
        except Exception as error:  # a timer's error would otherwise stop the app itself
            self._unexpected(error)

    def _check_quiet(self) -> None:
        quiet = monotonic() - self._last_key
        if self._manage_garbage and not self._garbage_collected and quiet >= GC_QUIET_SECONDS:
            gc.collect()  # the full collection, while nobody is typing
            self._garbage_collected = True
        if quiet < self.settings.idle_seconds:
            return
        if isinstance(self.screen, IdleScreen | ApologyScreen):
            return
        if self._pristine():
            # Nobody to ask: an untouched Welcome has nothing to reset but the clipboard.
            self.copy_to_clipboard("")
            self._last_key = monotonic()
            return
        self.push_screen(IdleScreen(self.settings.idle_countdown_seconds), self._idle_answered)

    def _pristine(self) -> bool:
        """Welcome alone on the stack (above Textual's base screen), nobody signed in."""
        return (
            isinstance(self.screen, WelcomeScreen)
            and len(self.screen_stack) <= 2
            and self.session is None
        )

    def _idle_answered(self, still_here: bool | None) -> None:
        self._last_key = monotonic()
        if not still_here:
            self.call_later(self.reset_kiosk)

    async def reset_kiosk(self) -> None:
        """Back to a pristine Welcome: screens closed, fields gone, clipboard and session ended."""
        self._waiting_for_services = None
        self.copy_to_clipboard("")
        self._end_session()
        await self._back_to_welcome()

    # -- sessions ----------------------------------------------------------------------------

    def _start_session(self, session: SignedIn) -> None:
        self._end_session()
        self.session = session
        self._session_timer = self.set_timer(
            self.settings.session_minutes * 60, self._session_timed_out
        )

    def _end_session(self) -> None:
        """Forget the session here and end it in the database (in a worker)."""
        if self._session_timer is not None:
            self._session_timer.stop()
            self._session_timer = None
        session, self.session = self.session, None
        if session is not None:
            self.run_worker(
                self.services.sessions.sign_out(session.token),
                group="sign-out",
                exit_on_error=False,
            )

    async def _session_timed_out(self) -> None:
        try:
            if self.session is not None:
                await self._session_over()
        except Exception as error:  # a timer's error would otherwise stop the app itself
            self._unexpected(error)

    async def _session_over(self) -> None:
        self._end_session()
        await self._back_to_welcome()
        self._tell(text("session_expired"), severity="warning")

    # -- navigation --------------------------------------------------------------------------

    async def _back_to_welcome(self, *, fresh: bool = False) -> None:
        """Close every screen above Welcome (the stack is: Textual's blank base, Welcome, ...).

        Args:
            fresh: replace Welcome too (after an error, its message loop may have stopped).
        """
        keep = 1 if fresh else 2
        while len(self.screen_stack) > keep:
            await self.pop_screen()
        if not isinstance(self.screen, WelcomeScreen):
            await self.push_screen(WelcomeScreen())
        self._commune = self._draft = None

    @on(WelcomeScreen.Chosen)
    def _flow_chosen(self, event: WelcomeScreen.Chosen) -> None:
        self._when_ready(lambda: self._open_flow(event))

    def _open_flow(self, event: WelcomeScreen.Chosen) -> None:
        from screens.commune import CommuneScreen
        from screens.forgot import ForgotScreen
        from screens.login import LoginScreen

        if event.flow == "create":
            # A new registration: nothing of the previous customer's (contract, meter, names,
            # password) may be offered to this one.
            self._commune = self._draft = None
            self.push_screen(CommuneScreen(self.services))
        elif event.flow == "login":
            self.push_screen(LoginScreen(self.services))
        elif event.flow == "forgot":
            self.push_screen(ForgotScreen(self.services))
        else:
            self.push_screen(self._code_screen())

    def _code_screen(self, purpose: str | None = None) -> CodeScreen:
        from screens.code import CodeScreen

        return CodeScreen(
            self.services,
            purpose="reset" if purpose == "reset" else None,
            reset_minutes=round(self.settings.reset_ttl_minutes),
        )

    def on_commune_screen_chosen(self, event: CommuneScreen.Chosen) -> None:
        from screens.identity import IdentityScreen

        self._commune = (event.commune, event.operator)
        self.push_screen(IdentityScreen())

    def on_identity_screen_completed(self, event: IdentityScreen.Completed) -> None:
        from screens.contract import ContractScreen, RegistrationDraft

        if self._commune is None:
            return
        commune, operator = self._commune
        if self._draft is None or self._draft.commune != commune:
            self._draft = RegistrationDraft(commune, operator, event.identity)
        else:
            self._draft.identity = event.identity
        self.push_screen(ContractScreen(self.services, self._draft))

    async def on_contract_screen_registered(self, event: ContractScreen.Registered) -> None:
        from screens.code import CodeScreen

        await self._back_to_welcome()
        await self.push_screen(CodeScreen(self.services, receipt=event.receipt))
        self._tell(text("registered"))

    async def on_code_screen_activated(self, event: CodeScreen.Activated) -> None:
        await self._open_dashboard(event.session)
        self._tell(text("welcome_body"), title=text("welcome_title"))

    async def _open_dashboard(self, session: SignedIn) -> None:
        from screens.dashboard import DashboardScreen

        self._start_session(session)
        await self._back_to_welcome()
        await self.push_screen(DashboardScreen(self.services, session))

    async def on_code_screen_reset_granted(self, event: CodeScreen.ResetGranted) -> None:
        from screens.reset import ResetScreen

        await self._back_to_welcome()
        await self.push_screen(ResetScreen(self.services, event.grant))

    async def on_code_screen_restart(self) -> None:
        await self._back_to_welcome()

    async def on_reset_screen_restart(self) -> None:
        await self._back_to_welcome()

    async def on_reset_screen_done(self) -> None:
        from screens.login import LoginScreen

        await self._back_to_welcome()
        await self.push_screen(LoginScreen(self.services))
        self._tell(text("password_updated"))

    async def on_login_screen_logged_in(self, event: LoginScreen.LoggedIn) -> None:
        await self._open_dashboard(event.session)

    def on_login_screen_forgot(self) -> None:
        from screens.forgot import ForgotScreen

        self.push_screen(ForgotScreen(self.services))

    async def on_forgot_screen_sent(self) -> None:
        await self.switch_screen(self._code_screen("reset"))
        self._tell(text("reset_requested"))

    def on_dashboard_screen_change_password(self) -> None:
        from screens.change_password import ChangePasswordScreen

        if self.session is not None:
            self.push_screen(ChangePasswordScreen(self.services, self.session.token))

    async def on_change_password_screen_changed(self) -> None:
        await self.pop_screen()
        self._tell(text("password_updated"))

    async def on_dashboard_screen_sign_out(self) -> None:
        self._end_session()
        await self._back_to_welcome()
        self._tell(text("signed_out"))

    @on(SessionEnded)
    async def _session_ended(self) -> None:
        await self._session_over()

    def _tell(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information"
    ) -> None:
        """A notification at the top right, replacing those of the previous steps."""
        self.clear_notifications()
        self.notify(message, title=title, severity=severity, timeout=NOTIFICATION_SECONDS)

    # -- the database away -------------------------------------------------------------------

    @on(DatabaseAway)
    def _database_away(self) -> None:
        """Cover the current screen until the database answers; what was typed stays in it."""
        from screens.unavailable import UnavailableScreen

        if self._recovering or any(
            isinstance(screen, UnavailableScreen) for screen in self.screen_stack
        ):
            return
        log.warning("database unreachable: waiting for it")
        self.push_screen(UnavailableScreen(self.services), self._database_back)

    def _database_back(self, _result: None = None) -> None:
        log.warning("database reachable again")
        if isinstance(self.screen, KioskScreen):
            self.screen.database_back()

    # -- unexpected errors -------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (mailer, sign-out) are logged, never shown."""
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            log.error(
                "background task %s failed",
                event.worker.name,
                exc_info=(type(error), error, error.__traceback__),
            )

    @on(UnexpectedError)
    def _worker_failed(self, event: UnexpectedError) -> None:
        self._unexpected(event.error)

    async def _dispatch_message(self, message: Message) -> None:
        """Key bindings of every screen run their actions here, on the app's own message loop,
        which Textual stops at the first error: catch it, so that the kiosk can apologise."""
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            self._unexpected(error)

    def _handle_exception(self, error: Exception) -> None:
        """Textual's default prints a traceback with local variables and exits; a kiosk logs
        it (without locals) and apologises instead."""
        try:
            failed = active_message_pump.get()
        except LookupError:
            failed = None
        if failed is self or self._recovering:
            # The app's own message loop stops after this error: leave without a traceback.
            self._log_error(error)
            self.unexpected_errors.append(error)
            self._return_code = 1
            self._exit_renderables.append(text("apology"))
            self._close_messages_no_wait()
            return
        self._unexpected(error)

    def _unexpected(self, error: BaseException) -> None:
        self._log_error(error)
        self.unexpected_errors.append(error)
        self.call_later(self._apologise)

    @staticmethod
    def _log_error(error: BaseException) -> None:
        log.error(
            "unexpected error: %s",
            type(error).__name__,
            exc_info=(type(error), error, error.__traceback__),
        )

    async def _apologise(self) -> None:
        if self._recovering:
            return
        self._recovering = True
        try:
            self.copy_to_clipboard("")
            self._end_session()
            await self._back_to_welcome(fresh=True)
            await self.push_screen(ApologyScreen())
        finally:
            self._recovering = False
