"""Change password, from the Dashboard: the current password, then the new one twice."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, InvalidCredentials, PasswordRejected, SessionExpired
from kiosk.domain.validation import change_password_problems
from screens.base import SessionEnded
from screens.form import FormScreen
from screens.widgets.form_field import FormField
from screens.widgets.new_password import NewPasswordBlock
from screens.widgets.secret_input import SecretInput
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class ChangePasswordScreen(FormScreen):
    """Same checklist as everywhere; Escape returns to the Dashboard unchanged."""

    FIELDS: ClassVar[tuple[str, ...]] = ("current-password", "password", "password-confirm")
    SUBMIT: ClassVar[str] = "validate"

    @dataclass
    class Changed(Message):
        """The password is changed; other sessions of the account are ended."""

    def __init__(self, services: KioskServices, session_token: str) -> None:
        super().__init__()
        self.services = services
        self._token = session_token

    def compose(self) -> ComposeResult:
        yield StepHeader(text("change_password_title", self.language))
        with VerticalScroll(classes="form"):
            yield Static(text("required_hint", self.language), classes="intro", markup=False)
            yield FormField(
                text("label_current_password", self.language), SecretInput(id="current-password")
            )
            yield NewPasswordBlock(text("label_new_password", self.language))
            with Horizontal(classes="actions"):
                yield Button(
                    text("button_validate", self.language), id="validate", variant="primary"
                )
            yield from self.compose_status()
        yield Footer()

    def on_submit(self) -> None:
        current = self.value("current-password")
        password, confirmation = self.value("password"), self.value("password-confirm")
        if self.show_problems(change_password_problems(current, password, confirmation)):
            return
        self.call_service(
            partial(
                self.services.sessions.change_password, self._token, current, password, confirmation
            ),
            lambda _: self.post_message(self.Changed()),
            refused=self._refused,
        )

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, SessionExpired):
            self.post_message(SessionEnded())
        elif isinstance(error, InvalidCredentials):
            self.query_one("#current-password", Input).value = ""
            self.field_error("current-password", text("current_password_wrong", self.language))
            self.query_one("#current-password").focus()
        elif isinstance(error, PasswordRejected):
            self.show_problems({"password": error})
        else:
            return False
        return True
