"""Reset: choose and confirm the new password after a valid reset code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Static

from kiosk.catalogue import text
from kiosk.errors import CodeExpired, DomainError, PasswordRejected
from kiosk.refusals import describe
from kiosk.validation import new_password_problems
from screens.form import FormScreen
from screens.widgets.new_password import NewPasswordBlock
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class ResetScreen(FormScreen):
    """The same checklist as the Identity screen; ``Valider`` sets the password."""

    FIELDS: ClassVar[tuple[str, ...]] = ("password", "password-confirm")
    SUBMIT: ClassVar[str] = "validate"

    @dataclass
    class Done(Message):
        """The password is updated; the customer signs in with it."""

    @dataclass
    class Restart(Message):
        """The grant expired; the customer goes back to the start."""

    def __init__(self, services: KioskServices, grant: str, email_masked: str = "") -> None:
        super().__init__()
        self.services = services
        self._grant = grant
        self._email_masked = email_masked
        """The account's address, masked: a stranger's code must not pass for the customer's."""

    def compose(self) -> ComposeResult:
        yield StepHeader(text("reset_title", self.language))
        with VerticalScroll(classes="form"):
            if self._email_masked:
                account = text("code_account", self.language, email=self._email_masked)
                yield Static(account, id="reset-account", classes="intro", markup=False)
            yield Static(text("required_hint", self.language), classes="intro", markup=False)
            yield NewPasswordBlock(
                text("label_new_password", self.language),
                rules_intro=text("reset_rules_intro", self.language),
            )
            with Horizontal(classes="actions"):
                yield Button(
                    text("button_validate", self.language), id="validate", variant="primary"
                )
            yield from self.compose_status()
            with Horizontal(classes="actions", id="restart-row"):
                yield Button(text("button_restart", self.language), id="restart")
        yield Footer()

    @on(Button.Pressed, "#restart")
    def _restart(self) -> None:
        self.post_message(self.Restart())

    def on_submit(self) -> None:
        password, confirmation = self.value("password"), self.value("password-confirm")
        if self.show_problems(new_password_problems(password, confirmation)):
            return
        self.call_service(
            partial(self.services.password_reset.complete, self._grant, password, confirmation),
            lambda _: self.post_message(self.Done()),
            refused=self._refused,
        )

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, PasswordRejected):
            self.show_problems({"password": error})
            return True
        # CodeExpired, CodeInvalid: the grant is no longer good; start again.
        expired = error if isinstance(error, CodeExpired) else CodeExpired("reset")
        self.form_error(describe(expired, self.language))
        self.add_class("-expired")
        self.query_one("#restart").focus()
        return True
