"""Reset: choose and confirm the new password after a valid reset code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Static

from kiosk.catalogue import text
from kiosk.errors import CodeExpired, DomainError, PasswordRejected, ServiceUnavailable
from screens.feedback import describe
from screens.form import FormScreen
from screens.widgets import FormField, PasswordChecklist, SecretInput, StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class ResetScreen(FormScreen):
    """The same checklist as the Identity screen; ``Valider`` sets the password."""

    FIELDS: ClassVar[tuple[str, ...]] = ("password", "password-confirm")

    @dataclass
    class Done(Message):
        """The password is updated; the customer signs in with it."""

    @dataclass
    class Restart(Message):
        """The grant expired; the customer goes back to the start."""

    def __init__(self, services: KioskServices, grant: str) -> None:
        super().__init__()
        self.services = services
        self._grant = grant

    def compose(self) -> ComposeResult:
        yield StepHeader(text("reset_title"))
        with VerticalScroll(classes="form"):
            yield Static(text("required_hint"), classes="intro", markup=False)
            yield FormField(text("label_new_password"), SecretInput(id="password", revealable=True))
            yield FormField(
                text("label_password_confirm"),
                SecretInput(id="password-confirm", revealable=True),
            )
            yield PasswordChecklist(text("reset_rules_intro"), id="password-rules")
            with Horizontal(classes="actions"):
                yield Button(text("button_validate"), id="validate", variant="primary")
            yield from self.compose_status()
            with Horizontal(classes="actions", id="restart-row"):
                yield Button(text("button_restart"), id="restart")
        yield Footer()

    @on(Button.Pressed, "#validate")
    def _validate_pressed(self) -> None:
        self.submit()

    @on(Button.Pressed, "#restart")
    def _restart(self) -> None:
        self.post_message(self.Restart())

    def on_submit(self) -> None:
        password, confirmation = self.value("password"), self.value("password-confirm")
        self.check_new_password()
        if self.first_error_field() is not None:
            self.focus_first_error()
            return
        self.busy = True
        self._complete(password, confirmation)

    @work(exclusive=True, exit_on_error=False)
    async def _complete(self, password: str, confirmation: str) -> None:
        try:
            await self.services.password_reset.complete(self._grant, password, confirmation)
        except PasswordRejected as error:
            self.field_error("password", describe(error))
            self.query_one("#password").focus()
        except ServiceUnavailable:
            raise  # the app shows the outage until the database answers
        except DomainError as error:  # CodeExpired, CodeInvalid: start again
            expired = error if isinstance(error, CodeExpired) else CodeExpired("reset")
            self.form_error(describe(expired))
            self.add_class("-expired")
            self.query_one("#restart").focus()
        else:
            self.post_message(self.Done())
        finally:
            self.busy = False
