"""The live password checklist: one line per rule, a red cross until it holds, then a green tick."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from kiosk.domain.catalogue import text
from kiosk.domain.passwords import CHECKLIST_RULES, password_checklist
from screens.language import language_of

CROSS = "✗"
TICK = "✓"

_LABELS = {
    "digit": "rule_digit",
    "length": "rule_length",
    "special": "rule_special",
    "confirmation": "rule_confirmation",
}
"""The catalogue key of each line."""


class PasswordChecklist(Vertical):
    """The lines of :func:`~kiosk.domain.passwords.password_checklist` for the two fields it
    follows.

    What it shows is a function of those fields' values and of nothing else: it reads them at
    each change of either (in the same frame as the key), and it has no method to show the
    rules of other values. A line has the class ``-satisfied`` once its rule holds.
    """

    DEFAULT_CSS = """
    PasswordChecklist {
        height: auto;
        padding: 0 1;
    }
    PasswordChecklist > .rule {
        color: $error;
    }
    PasswordChecklist > .rule.-satisfied {
        color: $success;
    }
    """

    def __init__(self, intro: str | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._intro = text("rule_intro", language_of(self)) if intro is None else intro
        self._fields: tuple[Input, Input] | None = None
        self._shown: dict[str, bool] = dict.fromkeys(CHECKLIST_RULES, False)
        """The state each line shows (all crossed when composed)."""

    def compose(self) -> ComposeResult:
        yield Static(self._intro, classes="rules-intro", markup=False)
        for rule in CHECKLIST_RULES:
            yield Static(self._line(rule, False), classes=f"rule rule-{rule}", markup=False)

    def _line(self, rule: str, satisfied: bool) -> str:
        # A tick is as wide as a cross: the line's size never changes.
        return f"{TICK if satisfied else CROSS} {text(_LABELS[rule], language_of(self))}"

    def follow(self, password: Input, confirmation: Input) -> None:
        """Show the rules for these two fields, now and at each change of either.

        Watching the values (rather than waiting for ``Input.Changed`` to bubble up to the
        screen) lets the checklist be painted with the keystroke instead of a frame later.
        """
        self._fields = (password, confirmation)
        self.watch(password, "value", self.show_rules, init=False)
        self.watch(confirmation, "value", self.show_rules, init=False)
        self.show_rules()

    def show_rules(self) -> None:
        """Tick and cross each line for the fields' current values."""
        if self._fields is None:
            return
        password, confirmation = self._fields
        for result in password_checklist(password.value, confirmation.value):
            if self._shown[result.rule] == result.satisfied:
                continue
            self._shown[result.rule] = result.satisfied
            line = self.query_one(f".rule-{result.rule}", Static)
            line.set_class(result.satisfied, "-satisfied")
            line.update(self._line(result.rule, result.satisfied), layout=False)

    @property
    def satisfied(self) -> bool:
        """Every line ticked."""
        return all(self._shown.values())
