"""Identity (step 3, first part): names, e-mail and the password with its live checklist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Static

from kiosk.catalogue import text
from kiosk.draft import Identity
from kiosk.errors import InvalidInput
from kiosk.passwords import password_refusal
from kiosk.rules import check_email, check_name
from screens.form import FormScreen
from screens.widgets import FieldInput, FormField, PasswordChecklist, SecretInput, StepHeader


class IdentityScreen(FormScreen):
    """``Ouvrir un espace client``: every field mandatory; the password must pass the checklist."""

    FIELDS: ClassVar[tuple[str, ...]] = (
        "last-name",
        "first-name",
        "email",
        "password",
        "password-confirm",
    )

    @dataclass
    class Completed(Message):
        """The identity is valid; the Contract screen comes next."""

        identity: Identity

    def compose(self) -> ComposeResult:
        yield StepHeader(text("identity_title"), step=3)
        with VerticalScroll(classes="form"):
            yield Static(text("required_hint"), classes="intro", markup=False)
            yield FormField(text("label_last_name"), FieldInput(id="last-name"))
            yield FormField(text("label_first_name"), FieldInput(id="first-name"))
            yield FormField(text("label_email"), FieldInput(id="email"))
            yield FormField(text("label_password"), SecretInput(id="password", revealable=True))
            yield FormField(
                text("label_password_confirm"), SecretInput(id="password-confirm", revealable=True)
            )
            yield PasswordChecklist(id="password-rules")
            with Horizontal(classes="actions"):
                yield Button(text("button_next"), id="next", variant="primary")
            yield from self.compose_status()
        yield Footer()

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        self.submit()

    def on_submit(self) -> None:
        values: dict[str, str] = {}
        for field_id, check in (
            ("last-name", lambda v: check_name("last_name", v)),
            ("first-name", lambda v: check_name("first_name", v)),
            ("email", check_email),
        ):
            try:
                values[field_id] = check(self.value(field_id))
            except InvalidInput as error:
                self.field_error(field_id, text(error.rule))
        password, confirmation = self.value("password"), self.value("password-confirm")
        if self.check_new_password():
            refusal = password_refusal(password, email=values.get("email", ""))
            if refusal is not None:
                self.field_error("password", text("password_" + refusal))
        if self.first_error_field() is not None:
            self.focus_first_error()
            return
        self.post_message(
            self.Completed(
                Identity(
                    values["last-name"],
                    values["first-name"],
                    values["email"],
                    password,
                    confirmation,
                )
            )
        )
