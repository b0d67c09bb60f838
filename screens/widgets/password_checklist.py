"""The live password checklist: one line per rule, a red cross until it holds, then a green tick."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.catalogue import text
from kiosk.passwords import CHECKLIST_RULES, password_checklist

CROSS = "✗"
TICK = "✓"


class PasswordChecklist(Vertical):
    """Call :meth:`check` at each key; a line has the class ``-satisfied`` once its rule holds."""

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
        self._intro = text("rule_intro") if intro is None else intro
        self.satisfied = False
        """True when every rule holds."""

    def compose(self) -> ComposeResult:
        yield Static(self._intro, classes="rules-intro", markup=False)
        for rule in CHECKLIST_RULES:
            yield Static(
                f"{CROSS} {text('rule_' + rule)}", classes=f"rule rule-{rule}", markup=False
            )

    def check(self, password: str, confirmation: str) -> bool:
        """Update every line for this password and confirmation.

        Returns:
            True when every rule holds.
        """
        results = password_checklist(password, confirmation)
        for result in results:
            line = self.query_one(f".rule-{result.rule}", Static)
            line.set_class(result.satisfied, "-satisfied")
            mark = TICK if result.satisfied else CROSS
            line.update(f"{mark} {text('rule_' + result.rule)}")
        self.satisfied = all(result.satisfied for result in results)
        return self.satisfied
