"""Reset: choose and confirm the new password after a valid reset code, then set it with it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import (
    CodeExpired,
    DomainError,
    InvalidInput,
    PasswordRejected,
    TooManyAttempts,
)
from kiosk.domain.refusals import describe
from kiosk.domain.states import CodePurpose
from kiosk.domain.validation import new_password_problems
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
        """The code expired or was used elsewhere; the customer goes back to the start."""

    def __init__(self, services: KioskServices, code: str, email_masked: str = "") -> None:
        super().__init__()
        self.services = services
        self._code = code
        """The reset code the Code screen accepted; the service uses it with the password."""
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
            partial(
                self.services.password_reset.reset_with_code, self._code, password, confirmation
            ),
            lambda _: self.post_message(self.Done()),
            refused=self._refused,
        )

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, PasswordRejected):
            self.show_problems({"password": error})
            return True
        if isinstance(error, InvalidInput):
            self.show_problems({error.field: error})
            return True
        # Expired, used meanwhile (told as expired: ask again), too many wrong codes: restart.
        if not isinstance(error, CodeExpired | TooManyAttempts):
            error = CodeExpired(CodePurpose.RESET)
        self.form_error(describe(error, self.language))
        self.add_class("-expired")
        self.query_one("#restart").focus()
        return True
