"""Identity (step 3, first part): names, e-mail and the password with its live checklist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Static

from kiosk.domain.catalogue import text
from kiosk.domain.validation import registration_problems
from kiosk.services import RegistrationRequest
from screens.draft import Identity
from screens.form import FormScreen
from screens.widgets import limits
from screens.widgets.field_input import FieldInput
from screens.widgets.form_field import FormField
from screens.widgets.new_password import NewPasswordBlock
from screens.widgets.step_header import StepHeader


class IdentityScreen(FormScreen):
    """``Ouvrir un espace client``: every field mandatory; the password must pass the checklist."""

    FIELDS: ClassVar[tuple[str, ...]] = (
        "last-name",
        "first-name",
        "email",
        "password",
        "password-confirm",
    )
    SUBMIT: ClassVar[str] = "next"

    @dataclass
    class Completed(Message):
        """The identity is valid (and normalised); the Contract screen comes next."""

        identity: Identity

    def compose(self) -> ComposeResult:
        yield StepHeader(text("identity_title", self.language), step=3)
        with VerticalScroll(classes="form"):
            yield Static(text("required_hint", self.language), classes="intro", markup=False)
            yield FormField(
                text("label_last_name", self.language), FieldInput(limits.NAME, id="last-name")
            )
            yield FormField(
                text("label_first_name", self.language), FieldInput(limits.NAME, id="first-name")
            )
            yield FormField(
                text("label_email", self.language), FieldInput(limits.EMAIL, id="email")
            )
            yield NewPasswordBlock(text("label_password", self.language))
            with Horizontal(classes="actions"):
                yield Button(text("button_next", self.language), id="next", variant="primary")
            yield from self.compose_status()
        yield Footer()

    def on_submit(self) -> None:
        typed = RegistrationRequest(
            commune_id=0,  # chosen on the previous screen; not checked here
            last_name=self.value("last-name"),
            first_name=self.value("first-name"),
            email=self.value("email"),
            password=self.value("password"),
            password_confirm=self.value("password-confirm"),
            contract="",
            meter="",
        )
        values, problems = registration_problems(typed, step="identity")
        if self.show_problems(problems):
            return
        self.post_message(
            self.Completed(
                Identity(
                    values.last_name,
                    values.first_name,
                    values.email,
                    values.password,
                    values.password_confirm,
                )
            )
        )
