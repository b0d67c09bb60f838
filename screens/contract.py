"""Contract (step 3, second part): contract and meter numbers, checked against the records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import DomainError, InvalidInput, OperatorNotServed, PasswordRejected
from kiosk.domain.refusals import describe, operator_contact
from kiosk.domain.validation import registration_problems
from kiosk.services import RegistrationReceipt
from screens.draft import RegistrationDraft
from screens.form import FormScreen
from screens.invoice_help import InvoiceHelpScreen
from screens.widgets import limits
from screens.widgets.field_input import FieldInput
from screens.widgets.form_field import FormField
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices

_FIELDS_HERE = ("contract", "meter")
"""The service fields typed on this screen (the others were typed on the Identity screen)."""


class ContractScreen(FormScreen):
    """Contract and meter, the invoice help, and the submit that opens the pending account."""

    FIELDS: ClassVar[tuple[str, ...]] = ("contract", "meter")
    SUBMIT: ClassVar[str] = "submit"

    @dataclass
    class Registered(Message):
        """The account is created (or the address was in use: the customer cannot tell)."""

        receipt: RegistrationReceipt

    def __init__(self, services: KioskServices, draft: RegistrationDraft) -> None:
        super().__init__()
        self.services = services
        self.draft = draft

    def compose(self) -> ComposeResult:
        yield StepHeader(text("contract_title", self.language), step=3)
        with VerticalScroll(classes="form"):
            yield Static(text("required_hint", self.language), classes="intro", markup=False)
            yield FormField(
                text("label_contract", self.language),
                FieldInput(limits.CONTRACT, value=self.draft.contract, id="contract"),
                text("hint_contract", self.language),
            )
            yield FormField(
                text("label_meter", self.language),
                FieldInput(limits.METER, value=self.draft.meter, id="meter"),
                text("hint_meter", self.language),
            )
            with Horizontal(classes="actions"):
                yield Button(text("button_invoice_help", self.language), id="invoice-help")
                yield Button(text("button_submit", self.language), id="submit", variant="primary")
            yield from self.compose_status()
        yield Footer()

    @on(Input.Changed, "#contract, #meter")
    def _keep_in_draft(self) -> None:
        self.draft.contract, self.draft.meter = self.value("contract"), self.value("meter")

    @on(Button.Pressed, "#invoice-help")
    def _invoice_help(self) -> None:
        self.app.push_screen(InvoiceHelpScreen())

    def on_submit(self) -> None:
        typed = self.draft.request(contract=self.value("contract"), meter=self.value("meter"))
        # The account keeps the language of its registration: its e-mails are written in it.
        request, problems = registration_problems(replace(typed, language=self.language))
        if problems:
            self._show(problems)
            return
        self.call_service(
            partial(self.services.registration.register, request),
            lambda receipt: self.post_message(self.Registered(receipt)),
            refused=self._refused,
        )

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, InvalidInput | PasswordRejected):
            field = error.field if isinstance(error, InvalidInput) else "password"
            self._show({field: error})
            return True
        if isinstance(error, OperatorNotServed):
            operator = self.draft.operator
            self.form_error(
                text(
                    "operator_not_served",
                    self.language,
                    operator=operator.name,
                    contact=operator_contact(operator, self.language),
                )
            )
            return True
        return False

    def _show(self, problems: Mapping[str, DomainError]) -> None:
        """Numbers under their fields; the rest was typed before: say how to go back to it."""
        self.show_problems({f: e for f, e in problems.items() if f in _FIELDS_HERE})
        for field, problem in problems.items():
            if field not in _FIELDS_HERE:
                self.form_error(
                    f"{describe(problem, self.language)} {text('password_go_back', self.language)}"
                )
                return
