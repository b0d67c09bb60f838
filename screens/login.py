"""Login: e-mail and password."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Static

from kiosk.catalogue import text
from kiosk.errors import DomainError, InvalidInput, ServiceUnavailable
from kiosk.refusals import describe  # a locked address is told the way out (SPEC §5)
from kiosk.rules import check_email
from kiosk.services import SignedIn
from screens.form import FormScreen
from screens.widgets import FieldInput, FormField, SecretInput, StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class LoginScreen(FormScreen):
    """Sign in; a wrong password empties the password field and says so at the bottom."""

    FIELDS: ClassVar[tuple[str, ...]] = ("email", "password")

    @dataclass
    class LoggedIn(Message):
        """The customer is signed in."""

        session: SignedIn

    @dataclass
    class Forgot(Message):
        """The customer asks for a new password."""

    def __init__(self, services: KioskServices) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield StepHeader(text("login_title"))
        with VerticalScroll(classes="form"):
            yield Static(text("login_intro"), classes="intro", markup=False)
            yield FormField(text("label_email"), FieldInput(id="email"))
            yield FormField(text("label_password"), SecretInput(id="password", revealable=True))
            with Horizontal(classes="actions"):
                yield Button(text("button_login"), id="login-submit", variant="primary")
                yield Button(text("button_forgot"), id="forgot")
            yield from self.compose_status()
        yield Footer()

    @on(Button.Pressed, "#login-submit")
    def _login_pressed(self) -> None:
        self.submit()

    @on(Button.Pressed, "#forgot")
    def _forgot(self) -> None:
        self.post_message(self.Forgot())

    def on_submit(self) -> None:
        try:
            check_email(self.value("email"))
        except InvalidInput as error:
            self.field_error("email", text(error.rule))
        if not self.value("password"):
            self.field_error("password", text("required"))
        if self.first_error_field() is not None:
            self.focus_first_error()
            return
        self.busy = True
        self._sign_in(self.value("email"), self.value("password"))

    @work(exclusive=True, exit_on_error=False)
    async def _sign_in(self, email: str, password: str) -> None:
        try:
            session = await self.services.sessions.sign_in(email, password)
        except InvalidInput as error:
            self.field_error("email", text(error.rule))
        except ServiceUnavailable:
            raise  # the app shows the outage until the database answers
        except DomainError as error:
            self.form_error(describe(error))
            password_field = self.query_one("#password", Input)
            password_field.value = ""
            password_field.focus()
        else:
            self.post_message(self.LoggedIn(session))
        finally:
            self.busy = False
