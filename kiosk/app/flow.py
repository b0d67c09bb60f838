"""The kiosk's navigation: which screen follows which, and the registration draft on the way.

Screens never open one another: each posts a message saying what happened (``Chosen``,
``Completed``, ``Registered``...), and the handlers below open the next screen. The other
screens are imported where they are opened, so that the Welcome screen paints before their
modules (and the widgets only they use) are loaded; their messages reach the handlers by name
(``on_<screen>_<message>``), which needs no import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on

from kiosk.app.attendance import Attendance
from kiosk.domain.states import CodePurpose
from kiosk.services import CommuneChoice, OperatorInfo, SignedIn
from kiosk.translations import other_language
from screens.draft import RegistrationDraft
from screens.welcome import Flow, WelcomeScreen

if TYPE_CHECKING:
    from screens.code import CodeScreen
    from screens.commune import CommuneScreen
    from screens.contract import ContractScreen
    from screens.identity import IdentityScreen
    from screens.invoices import InvoicesScreen
    from screens.login import LoginScreen
    from screens.reading import ReadingScreen


class Navigation(Attendance):
    """The handlers of the screens' messages, and the draft of the registration under way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._commune: tuple[CommuneChoice, OperatorInfo] | None = None
        self._draft: RegistrationDraft | None = None

    async def _back_to_welcome(self, *, fresh: bool = False) -> None:
        await super()._back_to_welcome(fresh=fresh)
        self._commune = self._draft = None

    # -- Welcome -----------------------------------------------------------------------------

    @on(WelcomeScreen.Chosen)
    def _flow_chosen(self, event: WelcomeScreen.Chosen) -> None:
        self._when_ready(lambda: self._open_flow(event.flow))

    def _open_flow(self, flow: Flow) -> None:
        from screens.commune import CommuneScreen
        from screens.forgot import ForgotScreen
        from screens.login import LoginScreen

        if flow is Flow.CREATE:
            # A new registration: nothing of the previous customer's (contract, meter, names,
            # password) may be offered to this one.
            self._commune = self._draft = None
            self.push_screen(CommuneScreen(self.services))
        elif flow is Flow.LOGIN:
            self.push_screen(LoginScreen(self.services))
        elif flow is Flow.FORGOT:
            self.push_screen(ForgotScreen(self.services))
        else:
            self.push_screen(self._code_screen())

    def _code_screen(self, purpose: CodePurpose | None = None) -> CodeScreen:
        from screens.code import CodeScreen

        return CodeScreen(
            self.services, purpose=purpose, reset_minutes=round(self.settings.reset_ttl_minutes)
        )

    # -- registration ------------------------------------------------------------------------

    def on_commune_screen_chosen(self, event: CommuneScreen.Chosen) -> None:
        from screens.identity import IdentityScreen

        self._commune = (event.commune, event.operator)
        self.push_screen(IdentityScreen())

    def on_identity_screen_completed(self, event: IdentityScreen.Completed) -> None:
        from screens.contract import ContractScreen

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
        await self.push_screen(
            CodeScreen(self.services, receipt=event.receipt)
        )
        self._tell("registered")

    # -- codes, reset, sign-in ---------------------------------------------------------------

    async def on_code_screen_activated(self, event: CodeScreen.Activated) -> None:
        await self._open_dashboard(event.session)
        self._tell("welcome_body", title="welcome_title")

    async def on_code_screen_reset_granted(self, event: CodeScreen.ResetGranted) -> None:
        from screens.reset import ResetScreen

        await self._back_to_welcome()
        await self.push_screen(ResetScreen(self.services, event.code, event.email_masked))

    async def on_code_screen_restart(self) -> None:
        await self._back_to_welcome()

    async def on_reset_screen_restart(self) -> None:
        await self._back_to_welcome()

    async def on_reset_screen_done(self) -> None:
        from screens.login import LoginScreen

        await self._back_to_welcome()
        await self.push_screen(LoginScreen(self.services))
        self._tell("password_updated")

    async def on_login_screen_logged_in(self, event: LoginScreen.LoggedIn) -> None:
        await self._open_dashboard(event.session)

    def on_login_screen_forgot(self) -> None:
        from screens.forgot import ForgotScreen

        self.push_screen(ForgotScreen(self.services))

    async def on_forgot_screen_sent(self) -> None:
        await self.switch_screen(self._code_screen(CodePurpose.RESET))
        self._tell("reset_requested")

    # -- the dashboard -----------------------------------------------------------------------

    async def _open_dashboard(self, session: SignedIn) -> None:
        from screens.dashboard import DashboardScreen

        self._start_session(session)
        await self._back_to_welcome()
        await self.push_screen(DashboardScreen(self.services, session))

    def on_dashboard_screen_change_password(self) -> None:
        from screens.change_password import ChangePasswordScreen

        if self.session is not None:
            self.push_screen(ChangePasswordScreen(self.services, self.session.token))

    async def on_change_password_screen_changed(self) -> None:
        await self.pop_screen()
        self._tell("password_updated")

    # -- the dashboard's services (SPEC §9) ----------------------------------------------------

    def on_dashboard_screen_show_invoices(self) -> None:
        from screens.invoices import InvoicesScreen

        if self.session is not None:
            self.push_screen(InvoicesScreen(self.services, self.session.token))

    def on_invoices_screen_opened(self, event: InvoicesScreen.Opened) -> None:
        from screens.invoice_detail import InvoiceDetailScreen

        if self.session is not None:
            self.push_screen(InvoiceDetailScreen(self.services, self.session.token, event.number))

    def on_dashboard_screen_show_consumption(self) -> None:
        from screens.consumption import ConsumptionScreen

        if self.session is not None:
            self.push_screen(ConsumptionScreen(self.services, self.session.token))

    def on_dashboard_screen_show_reading(self) -> None:
        from screens.reading import ReadingScreen

        if self.session is not None:
            self.push_screen(ReadingScreen(self.services, self.session.token))

    async def on_reading_screen_recorded(self, event: ReadingScreen.Recorded) -> None:
        await self.pop_screen()
        self._tell(
            "reading_recorded",
            index=event.reading.index_m3,
            date=event.reading.read_on.strftime("%d/%m/%Y"),
        )

    async def on_dashboard_screen_sign_out(self) -> None:
        farewell = self.language  # the last words in the customer's language
        self._end_session()
        await self._back_to_welcome()
        self._forget_language()
        self._tell("signed_out", language=farewell)

    # -- the language ------------------------------------------------------------------------

    def on_welcome_screen_switch_language(self) -> None:
        self.switch_language(other_language(self.language))
