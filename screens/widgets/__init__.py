"""Reusable widgets of the kiosk screens."""

from __future__ import annotations

from screens.widgets.field_input import FieldInput
from screens.widgets.form_field import FormField
from screens.widgets.invoice_help import InvoiceHelp
from screens.widgets.password_checklist import PasswordChecklist
from screens.widgets.secret_input import SecretInput
from screens.widgets.step_header import StepHeader

__all__ = [
    "FieldInput",
    "FormField",
    "InvoiceHelp",
    "PasswordChecklist",
    "SecretInput",
    "StepHeader",
]
