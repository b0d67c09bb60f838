"""Login: e-mail and password."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, InvalidInput
from kiosk.domain.refusals import describe
from kiosk.domain.validation import sign_in_problems
from kiosk.services import SignedIn
from screens.form import FormScreen
from screens.widgets import limits
from screens.widgets.field_input import FieldInput
from screens.widgets.form_field import FormField
from screens.widgets.secret_input import SecretInput
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class LoginScreen(FormScreen):
    """Sign in; a wrong password empties the password field and says so at the bottom."""

    FIELDS: ClassVar[tuple[str, ...]] = ("email", "password")
    SUBMIT: ClassVar[str] = "login-submit"

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
        yield StepHeader(text("login_title", self.language))
        with VerticalScroll(classes="form"):
            yield Static(text("login_intro", self.language), classes="intro", markup=False)
            yield FormField(
                text("label_email", self.language), FieldInput(limits.EMAIL, id="email")
            )
            yield FormField(
                text("label_password", self.language), SecretInput(id="password", revealable=True)
            )
            with Horizontal(classes="actions"):
                yield Button(
                    text("button_login", self.language), id="login-submit", variant="primary"
                )
                yield Button(text("button_forgot", self.language), id="forgot")
            yield from self.compose_status()
        yield Footer()

    @on(Button.Pressed, "#forgot")
    def _forgot(self) -> None:
        self.post_message(self.Forgot())

    def on_submit(self) -> None:
        email, password = self.value("email"), self.value("password")
        if self.show_problems(sign_in_problems(email, password)):
            return
        self.call_service(
            partial(self.services.sessions.sign_in, email, password, self.language),
            lambda session: self.post_message(self.LoggedIn(session)),
            refused=self._refused,
        )

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, InvalidInput):
            self.show_problems({error.field: error})
            return True
        self.form_error(describe(error, self.language))
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        return True
