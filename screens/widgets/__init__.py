"""Reusable widgets of the kiosk screens.

Each widget's module is imported when the widget is first asked for, so that the Welcome
screen does not wait for the widgets of the forms.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from screens.widgets.error_line import ErrorLine
    from screens.widgets.field_input import FieldInput
    from screens.widgets.form_field import FormField
    from screens.widgets.invoice_help import InvoiceHelp
    from screens.widgets.new_password import NewPasswordBlock
    from screens.widgets.password_checklist import PasswordChecklist
    from screens.widgets.secret_input import SecretInput
    from screens.widgets.step_header import StepHeader

__all__ = [
    "ErrorLine",
    "FieldInput",
    "FormField",
    "InvoiceHelp",
    "NewPasswordBlock",
    "PasswordChecklist",
    "SecretInput",
    "StepHeader",
]

_MODULES = {
    "ErrorLine": "error_line",
    "FieldInput": "field_input",
    "FormField": "form_field",
    "InvoiceHelp": "invoice_help",
    "NewPasswordBlock": "new_password",
    "PasswordChecklist": "password_checklist",
    "SecretInput": "secret_input",
    "StepHeader": "step_header",
}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(importlib.import_module(f"screens.widgets.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
