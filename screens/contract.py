"""Contract (step 3, second part): contract and meter numbers, checked against the records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Static

from kiosk.catalogue import text
from kiosk.draft import RegistrationDraft
from kiosk.errors import (
    DomainError,
    InvalidInput,
    OperatorNotServed,
    PasswordRejected,
    ServiceUnavailable,
)
from kiosk.passwords import password_refusal
from kiosk.rules import check_contract, check_meter
from kiosk.services import RegistrationReceipt, RegistrationRequest
from screens.commune import operator_contact
from screens.feedback import describe
from screens.form import FormScreen
from screens.invoice_help import InvoiceHelpScreen
from screens.widgets import FieldInput, FormField, StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices

_FIELD_IDS = {"contract": "contract", "meter": "meter"}
"""Service field names shown on this screen, and the ids of their inputs."""


class ContractScreen(FormScreen):
    """Contract and meter, the invoice help, and the submit that opens the pending account."""

    FIELDS: ClassVar[tuple[str, ...]] = ("contract", "meter")

    @dataclass
    class Registered(Message):
        """The account is created (or the address was in use: the customer cannot tell)."""

        receipt: RegistrationReceipt

    def __init__(self, services: KioskServices, draft: RegistrationDraft) -> None:
        super().__init__()
        self.services = services
        self.draft = draft

    def compose(self) -> ComposeResult:
        yield StepHeader(text("contract_title"), step=3)
        with VerticalScroll(classes="form"):
            yield Static(text("required_hint"), classes="intro", markup=False)
            yield FormField(
                text("label_contract"),
                FieldInput(value=self.draft.contract, id="contract"),
                text("hint_contract"),
            )
            yield FormField(
                text("label_meter"),
                FieldInput(value=self.draft.meter, id="meter"),
                text("hint_meter"),
            )
            with Horizontal(classes="actions"):
                yield Button(text("button_invoice_help"), id="invoice-help")
                yield Button(text("button_submit"), id="submit", variant="primary")
            yield from self.compose_status()
        yield Footer()

    @on(Input.Changed, "#contract, #meter")
    def _keep_in_draft(self) -> None:
        self.draft.contract, self.draft.meter = self.value("contract"), self.value("meter")

    @on(Button.Pressed, "#invoice-help")
    def _invoice_help(self) -> None:
        self.app.push_screen(InvoiceHelpScreen())

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.submit()

    def on_submit(self) -> None:
        numbers: dict[str, str] = {}
        for field_id, check in (("contract", check_contract), ("meter", check_meter)):
            try:
                numbers[field_id] = check(self.value(field_id))
            except InvalidInput as error:
                self.field_error(field_id, text(error.rule))
        if self.first_error_field() is not None:
            self.focus_first_error()
            return
        identity = self.draft.identity
        refusal = password_refusal(
            identity.password,
            contract=numbers["contract"],
            meter=numbers["meter"],
            email=identity.email,
        )
        if refusal is not None:
            self._password_refused(refusal)
            return
        self.busy = True
        self._register(
            RegistrationRequest(
                commune_id=self.draft.commune.id,
                last_name=identity.last_name,
                first_name=identity.first_name,
                email=identity.email,
                password=identity.password,
                password_confirm=identity.password_confirm,
                contract=self.value("contract"),
                meter=self.value("meter"),
            )
        )

    def _password_refused(self, reason: str) -> None:
        # The password was typed on the previous screen: say why, and how to go back to it.
        self.form_error(f"{text('password_' + reason)} {text('password_go_back')}")

    @work(exclusive=True, exit_on_error=False)
    async def _register(self, request: RegistrationRequest) -> None:
        try:
            receipt = await self.services.accounts.register(request)
        except PasswordRejected as error:
            self._password_refused(error.reason)
        except InvalidInput as error:
            if error.field in _FIELD_IDS:
                self.field_error(_FIELD_IDS[error.field], text(error.rule))
            else:
                self.form_error(f"{text(error.rule)} {text('password_go_back')}")
        except OperatorNotServed:
            operator = self.draft.operator
            self.form_error(
                text(
                    "operator_not_served",
                    operator=operator.name,
                    contact=operator_contact(operator),
                )
            )
        except ServiceUnavailable:
            raise  # the app shows the outage until the database answers
        except DomainError as error:
            self.form_error(describe(error))
        else:
            self.post_message(self.Registered(receipt))
        finally:
            self.busy = False
