"""Forgot: ask for a reset e-mail; the answer is the same whatever the address."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, InvalidInput
from kiosk.domain.refusals import describe
from kiosk.domain.rules import check_email
from screens.form import FormScreen
from screens.widgets import limits
from screens.widgets.field_input import FieldInput
from screens.widgets.form_field import FormField
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class ForgotScreen(FormScreen):
    """One field, ``#email``, and ``#send``."""

    FIELDS: ClassVar[tuple[str, ...]] = ("email",)
    SUBMIT: ClassVar[str] = "send"

    @dataclass
    class Sent(Message):
        """The request is recorded (an e-mail left only if the account exists)."""

    def __init__(self, services: KioskServices) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield StepHeader(text("forgot_title", self.language))
        with VerticalScroll(classes="form"):
            yield Static(text("forgot_intro", self.language), classes="intro", markup=False)
            yield FormField(
                text("label_email", self.language), FieldInput(limits.EMAIL, id="email")
            )
            with Horizontal(classes="actions"):
                yield Button(text("button_validate", self.language), id="send", variant="primary")
            yield from self.compose_status()
        yield Footer()

    def on_submit(self) -> None:
        try:
            email = check_email(self.value("email"))
        except InvalidInput as error:
            self.field_error("email", describe(error, self.language))
            return
        self.call_service(
            partial(self.services.password_reset.request, email),
            lambda _: self.post_message(self.Sent()),
            refused=self._refused,
        )

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, InvalidInput):
            self.field_error("email", describe(error, self.language))
            return True
        return False
