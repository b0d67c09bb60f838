"""Forgot: ask for a reset e-mail; the answer is the same whatever the address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Static

from kiosk.catalogue import text
from kiosk.errors import DomainError, InvalidInput, ServiceUnavailable
from kiosk.rules import check_email
from screens.feedback import describe
from screens.form import FormScreen
from screens.widgets import FieldInput, FormField, StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class ForgotScreen(FormScreen):
    """One field, ``#email``, and ``#send``."""

    FIELDS: ClassVar[tuple[str, ...]] = ("email",)

    @dataclass
    class Sent(Message):
        """The request is recorded (an e-mail left only if the account exists)."""

    def __init__(self, services: KioskServices) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield StepHeader(text("forgot_title"))
        with VerticalScroll(classes="form"):
            yield Static(text("forgot_intro"), classes="intro", markup=False)
            yield FormField(text("label_email"), FieldInput(id="email"))
            with Horizontal(classes="actions"):
                yield Button(text("button_validate"), id="send", variant="primary")
            yield from self.compose_status()
        yield Footer()

    @on(Button.Pressed, "#send")
    def _send_pressed(self) -> None:
        self.submit()

    def on_submit(self) -> None:
        try:
            check_email(self.value("email"))
        except InvalidInput as error:
            self.field_error("email", text(error.rule))
            return
        self.busy = True
        self._request(self.value("email"))

    @work(exclusive=True, exit_on_error=False)
    async def _request(self, email: str) -> None:
        try:
            await self.services.password_reset.request(email)
        except InvalidInput as error:
            self.field_error("email", text(error.rule))
        except ServiceUnavailable:
            raise  # the app shows the outage until the database answers
        except DomainError as error:
            self.form_error(describe(error))
        else:
            self.post_message(self.Sent())
        finally:
            self.busy = False
