"""Warm-up: what the later screens need, loaded while the customer reads the Welcome screen.

The first F2 used to import the Commune screen and Textual's Input and OptionList (about
300 ms of imports in all screens), the first check of an e-mail address imported and
compiled the validator's expressions, the first password checked read the blocklist: each in
a key handler, on the event loop, while the customer waited. Here they run once, in a thread,
after Welcome is painted: the event loop keeps answering (a thread gives the interpreter back
every few milliseconds).
"""

# ruff: noqa: F401  (the imports below are the warm-up itself)
from __future__ import annotations


def warm_up() -> None:
    """Import the screens, read the password blocklist, compile the e-mail validator.

    Plain import statements (not ``import_module``): import-linter sees what they load.
    """
    import kiosk.domain.validation
    import screens.agent
    import screens.change_password
    import screens.code
    import screens.commune
    import screens.contract
    import screens.dashboard
    import screens.forgot
    import screens.identity
    import screens.invoice_help
    import screens.login
    import screens.reset
    import screens.unavailable
    import screens.widgets.error_line
    import screens.widgets.field_input
    import screens.widgets.form_field
    import screens.widgets.invoice_help
    import screens.widgets.new_password
    import screens.widgets.password_checklist
    import screens.widgets.secret_input
    from kiosk.domain.passwords import common_passwords, password_refusal
    from kiosk.domain.rules import check_email

    common_passwords()
    password_refusal("Chauffe-1!", contract="1234567", meter="A12B345678", email="a@b.fr")
    check_email("chauffe@example.fr")
