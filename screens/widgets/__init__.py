"""Reusable widgets of the kiosk screens.

Each widget's module is imported when the widget is first asked for, so that the Welcome
screen does not wait for the widgets of the forms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

def __getattr__(name: str) -> Any:
    # Plain import statements, not import_module(): import-linter sees these lazy imports.
    if name == "FieldInput":
        from screens.widgets.field_input import FieldInput

        return FieldInput
    if name == "FormField":
        from screens.widgets.form_field import FormField

        return FormField
    if name == "InvoiceHelp":
        from screens.widgets.invoice_help import InvoiceHelp

        return InvoiceHelp
    if name == "PasswordChecklist":
        from screens.widgets.password_checklist import PasswordChecklist

        return PasswordChecklist
    if name == "SecretInput":
        from screens.widgets.secret_input import SecretInput

        return SecretInput
    if name == "StepHeader":
        from screens.widgets.step_header import StepHeader

        return StepHeader
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
