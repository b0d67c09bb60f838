"""The kiosk's navigation: which screen follows which, and the registration draft on the way.

Screens never open one another: each posts a message saying what happened (``Chosen``,
``Completed``, ``Registered``...), the app hands every message to :meth:`Navigation.follow`,
and the handler of that name below opens the next screen. The other screens are imported where
they are opened, so that the Welcome screen paints before their modules (and the widgets only
they use) are loaded; their messages reach the handlers by name (``on_<screen>_<message>``, as
Textual's own), which needs no import.
"""

from __future__ import annotations

from inspect import isawaitable
from typing import TYPE_CHECKING

from textual.message import Message

from kiosk.domain.states import CodePurpose
from kiosk.services import CommuneChoice, OperatorInfo, SignedIn
from kiosk.translations import other_language
from screens.draft import RegistrationDraft
from screens.welcome import Flow, WelcomeScreen

if TYPE_CHECKING:
    from kiosk.app.kiosk_app import KioskApp
    from screens.code import CodeScreen
    from screens.commune import CommuneScreen
    from screens.contract import ContractScreen
    from screens.identity import IdentityScreen
    from screens.invoices import InvoicesScreen
    from screens.login import LoginScreen
    from screens.reading import ReadingScreen


class Navigation:
    """The handlers of the screens' messages, and the draft of the registration under way."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self._commune: tuple[CommuneChoice, OperatorInfo] | None = None
        self._draft: RegistrationDraft | None = None

    async def follow(self, message: Message) -> None:
        """Open what follows ``message``, if it is one of a screen's that says what happened."""
        handler = getattr(self, message.handler_name, None)
        if handler is not None:
            opened = handler(message)
            if isawaitable(opened):
                await opened

    async def back_to_welcome(self, *, fresh: bool = False) -> None:
        """Close every screen above Welcome (the stack is: Textual's blank base, Welcome, ...)
        and forget the registration under way.

        Args:
            fresh: replace Welcome too (after an error, its message loop may have stopped).
        """
        app = self.app
        keep = 1 if fresh else 2
        while len(app.screen_stack) > keep:
            await app.pop_screen()
        if not isinstance(app.screen, WelcomeScreen):
            await app.push_screen(WelcomeScreen())
        self._commune = self._draft = None

    # -- Welcome -----------------------------------------------------------------------------

    def on_welcome_screen_chosen(self, event: WelcomeScreen.Chosen) -> None:
        self.app.backend.when_ready(lambda: self._open_flow(event.flow))

    def _open_flow(self, flow: Flow) -> None:
        from screens.commune import CommuneScreen
        from screens.forgot import ForgotScreen
        from screens.login import LoginScreen

        if flow is Flow.CREATE:
            # A new registration: nothing of the previous customer's (contract, meter, names,
            # password) may be offered to this one.
            self._commune = self._draft = None
            self.app.push_screen(CommuneScreen(self.app.services))
        elif flow is Flow.LOGIN:
            self.app.push_screen(LoginScreen(self.app.services))
        elif flow is Flow.FORGOT:
            self.app.push_screen(ForgotScreen(self.app.services))
        else:
            self.app.push_screen(self._code_screen())

    def _code_screen(self, purpose: CodePurpose | None = None) -> CodeScreen:
        from screens.code import CodeScreen

        return CodeScreen(
            self.app.services,
            purpose=purpose,
            reset_minutes=round(self.app.settings.reset_ttl_minutes),
        )

    # -- registration ------------------------------------------------------------------------

    def on_commune_screen_chosen(self, event: CommuneScreen.Chosen) -> None:
        from screens.identity import IdentityScreen

        self._commune = (event.commune, event.operator)
        self.app.push_screen(IdentityScreen())

    def on_identity_screen_completed(self, event: IdentityScreen.Completed) -> None:
        from screens.contract import ContractScreen

        if self._commune is None:
            return
        commune, operator = self._commune
        if self._draft is None or self._draft.commune != commune:
            self._draft = RegistrationDraft(commune, operator, event.identity)
        else:
            self._draft.identity = event.identity
        self.app.push_screen(ContractScreen(self.app.services, self._draft))

    async def on_contract_screen_registered(self, event: ContractScreen.Registered) -> None:
        from screens.code import CodeScreen

        await self.back_to_welcome()
        await self.app.push_screen(CodeScreen(self.app.services, receipt=event.receipt))
        self.app.notices.tell("registered")

    # -- codes, reset, sign-in ---------------------------------------------------------------

    async def on_code_screen_activated(self, event: CodeScreen.Activated) -> None:
        await self._open_dashboard(event.session)
        self.app.notices.tell("welcome_body", title="welcome_title")

    async def on_code_screen_reset_granted(self, event: CodeScreen.ResetGranted) -> None:
        from screens.reset import ResetScreen

        await self.back_to_welcome()
        await self.app.push_screen(ResetScreen(self.app.services, event.code, event.email_masked))

    async def on_code_screen_restart(self, _message: Message) -> None:
        await self.back_to_welcome()

    async def on_reset_screen_restart(self, _message: Message) -> None:
        await self.back_to_welcome()

    async def on_reset_screen_done(self, _message: Message) -> None:
        from screens.login import LoginScreen

        await self.back_to_welcome()
        await self.app.push_screen(LoginScreen(self.app.services))
        self.app.notices.tell("password_updated")

    async def on_login_screen_logged_in(self, event: LoginScreen.LoggedIn) -> None:
        await self._open_dashboard(event.session)

    def on_login_screen_forgot(self, _message: Message) -> None:
        from screens.forgot import ForgotScreen

        self.app.push_screen(ForgotScreen(self.app.services))

    async def on_forgot_screen_sent(self, _message: Message) -> None:
        await self.app.switch_screen(self._code_screen(CodePurpose.RESET))
        self.app.notices.tell("reset_requested")

    # -- the dashboard -----------------------------------------------------------------------

    async def _open_dashboard(self, session: SignedIn) -> None:
        from screens.dashboard import DashboardScreen

        self.app.attendance.start_session(session)
        await self.back_to_welcome()
        await self.app.push_screen(DashboardScreen(self.app.services, session))

    def _token(self) -> str | None:
        """The signed-in session's token (none: the session has just ended)."""
        session = self.app.attendance.session
        return None if session is None else session.token

    def on_dashboard_screen_change_password(self, _message: Message) -> None:
        from screens.change_password import ChangePasswordScreen

        if (token := self._token()) is not None:
            self.app.push_screen(ChangePasswordScreen(self.app.services, token))

    async def on_change_password_screen_changed(self, _message: Message) -> None:
        await self.app.pop_screen()
        self.app.notices.tell("password_updated")

    # -- the dashboard's services (SPEC §9) ----------------------------------------------------

    def on_dashboard_screen_show_invoices(self, _message: Message) -> None:
        from screens.invoices import InvoicesScreen

        if (token := self._token()) is not None:
            self.app.push_screen(InvoicesScreen(self.app.services, token))

    def on_invoices_screen_opened(self, event: InvoicesScreen.Opened) -> None:
        from screens.invoice_detail import InvoiceDetailScreen

        if (token := self._token()) is not None:
            self.app.push_screen(InvoiceDetailScreen(self.app.services, token, event.number))

    def on_dashboard_screen_show_consumption(self, _message: Message) -> None:
        from screens.consumption import ConsumptionScreen

        if (token := self._token()) is not None:
            self.app.push_screen(ConsumptionScreen(self.app.services, token))

    def on_dashboard_screen_show_reading(self, _message: Message) -> None:
        from screens.reading import ReadingScreen

        if (token := self._token()) is not None:
            self.app.push_screen(ReadingScreen(self.app.services, token))

    async def on_reading_screen_recorded(self, event: ReadingScreen.Recorded) -> None:
        await self.app.pop_screen()
        self.app.notices.tell(
            "reading_recorded",
            index=event.reading.index_m3,
            date=event.reading.read_on.strftime("%d/%m/%Y"),
        )

    async def on_dashboard_screen_sign_out(self, _message: Message) -> None:
        await self.app.attendance.leave("signed_out")

    # -- the language ------------------------------------------------------------------------

    def on_welcome_screen_switch_language(self, _message: Message) -> None:
        self.app.switch_language(other_language(self.app.language))
