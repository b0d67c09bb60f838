"""Change password, from the Dashboard: the current password, then the new one twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Static

from kiosk.catalogue import text
from kiosk.errors import (
    DomainError,
    InvalidCredentials,
    PasswordRejected,
    ServiceUnavailable,
    SessionExpired,
)
from screens.base import SessionEnded
from screens.feedback import describe
from screens.form import FormScreen
from screens.widgets import FormField, PasswordChecklist, SecretInput, StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class ChangePasswordScreen(FormScreen):
    """Same checklist as everywhere; Escape returns to the Dashboard unchanged."""

    FIELDS: ClassVar[tuple[str, ...]] = ("current-password", "password", "password-confirm")

    @dataclass
    class Changed(Message):
        """The password is changed; other sessions of the account are ended."""

    def __init__(self, services: KioskServices, session_token: str) -> None:
        super().__init__()
        self.services = services
        self._token = session_token

    def compose(self) -> ComposeResult:
        yield StepHeader(text("change_password_title"))
        with VerticalScroll(classes="form"):
            yield Static(text("required_hint"), classes="intro", markup=False)
            yield FormField(text("label_current_password"), SecretInput(id="current-password"))
            yield FormField(text("label_new_password"), SecretInput(id="password", revealable=True))
            yield FormField(
                text("label_password_confirm"),
                SecretInput(id="password-confirm", revealable=True),
            )
            yield PasswordChecklist(id="password-rules")
            with Horizontal(classes="actions"):
                yield Button(text("button_validate"), id="validate", variant="primary")
            yield from self.compose_status()
        yield Footer()

    @on(Button.Pressed, "#validate")
    def _validate_pressed(self) -> None:
        self.submit()

    def on_submit(self) -> None:
        if not self.value("current-password"):
            self.field_error("current-password", text("required"))
        password, confirmation = self.value("password"), self.value("password-confirm")
        self.check_new_password()
        if self.first_error_field() is not None:
            self.focus_first_error()
            return
        self.busy = True
        self._change(self.value("current-password"), password, confirmation)

    @work(exclusive=True, exit_on_error=False)
    async def _change(self, current: str, password: str, confirmation: str) -> None:
        try:
            await self.services.sessions.change_password(
                self._token, current, password, confirmation
            )
        except SessionExpired:
            self.post_message(SessionEnded())
        except InvalidCredentials:
            self.query_one("#current-password", Input).value = ""
            self.field_error("current-password", text("current_password_wrong"))
            self.query_one("#current-password").focus()
        except PasswordRejected as error:
            self.field_error("password", describe(error))
            self.query_one("#password").focus()
        except ServiceUnavailable:
            raise  # the app shows the outage until the database answers
        except DomainError as error:
            self.form_error(describe(error))
        else:
            self.post_message(self.Changed())
        finally:
            self.busy = False
