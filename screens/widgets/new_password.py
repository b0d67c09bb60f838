"""The new password and its confirmation, with the live checklist under them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from kiosk.domain.catalogue import text
from screens.language import language_of
from screens.widgets.form_field import FormField
from screens.widgets.password_checklist import PasswordChecklist
from screens.widgets.secret_input import SecretInput


class NewPasswordBlock(Vertical):
    """``#password``, ``#password-confirm`` and ``#password-rules``, as Identity, Reset and
    Change password show them; the checklist ticks as either field changes."""

    DEFAULT_CSS = """
    NewPasswordBlock {
        height: auto;
    }
    """

    def __init__(self, label: str, *, rules_intro: str | None = None) -> None:
        """Args:
        label: the label of the first field (``Mot de passe *``, ``Nouveau mot de passe *``).
        rules_intro: the sentence above the checklist (default: the Identity screen's).
        """
        super().__init__()
        self._label = label
        self._rules_intro = rules_intro

    def compose(self) -> ComposeResult:
        yield FormField(self._label, SecretInput(id="password", revealable=True))
        yield FormField(
            text("label_password_confirm", language_of(self)),
            SecretInput(id="password-confirm", revealable=True),
        )
        yield PasswordChecklist(self._rules_intro, id="password-rules")

    def on_mount(self) -> None:
        self.query_one(PasswordChecklist).follow(
            self.query_one("#password", Input), self.query_one("#password-confirm", Input)
        )
