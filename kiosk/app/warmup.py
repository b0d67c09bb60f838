"""Warm-up: what the later screens need, loaded while the customer reads the Welcome screen.

The first F2 used to import the Commune screen and Textual's Input and OptionList (about
300 ms of imports in all screens), the first check of an e-mail address imported and
compiled the validator's expressions, the first password checked read the blocklist: each in
a key handler, on the event loop, while the customer waited. Here they run once, in a thread,
after Welcome is painted: the event loop keeps answering (a thread gives the interpreter back
every few milliseconds).
"""

from __future__ import annotations

import importlib

WARM_MODULES = (
    "screens.commune",
    "screens.identity",
    "screens.contract",
    "screens.invoice_help",
    "screens.code",
    "screens.reset",
    "screens.login",
    "screens.forgot",
    "screens.dashboard",
    "screens.change_password",
    "screens.agent",
    "screens.unavailable",
    "screens.widgets.error_line",
    "screens.widgets.field_input",
    "screens.widgets.form_field",
    "screens.widgets.invoice_help",
    "screens.widgets.new_password",
    "screens.widgets.password_checklist",
    "screens.widgets.secret_input",
    "kiosk.validation",
)
"""Modules imported where a screen opens (so that Welcome paints before them)."""


def warm_up() -> None:
    """Import the screens, read the password blocklist, compile the e-mail validator."""
    for name in WARM_MODULES:
        importlib.import_module(name)
    from kiosk.passwords import common_passwords, password_refusal
    from kiosk.rules import check_email

    common_passwords()
    password_refusal("Chauffe-1!", contract="1234567", meter="A12B345678", email="a@b.fr")
    check_email("chauffe@example.fr")
