"""The live password checklist: one line per rule, a red cross until it holds, then a green tick."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

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
        self._shown: dict[str, bool] = dict.fromkeys(CHECKLIST_RULES, False)
        """The state each line shows (all crossed when composed)."""

    def compose(self) -> ComposeResult:
        yield Static(self._intro, classes="rules-intro", markup=False)
        for rule in CHECKLIST_RULES:
            yield Static(
                f"{CROSS} {text('rule_' + rule)}", classes=f"rule rule-{rule}", markup=False
            )

    def follow(self, password: Input, confirmation: Input) -> None:
        """Tick and cross at each change of either input, in the same frame as the input.

        Watching the values (rather than waiting for ``Input.Changed`` to bubble up to the
        screen) lets the checklist be painted with the keystroke instead of a frame later.
        """

        def changed() -> None:
            self.check(password.value, confirmation.value)

        self.watch(password, "value", changed, init=False)
        self.watch(confirmation, "value", changed, init=False)

    def check(self, password: str, confirmation: str) -> bool:
        """Update the lines whose rule changed for this password and confirmation.

        Returns:
            True when every rule holds.
        """
        results = password_checklist(password, confirmation)
        for result in results:
            if self._shown.get(result.rule) == result.satisfied:
                continue
            self._shown[result.rule] = result.satisfied
            line = self.query_one(f".rule-{result.rule}", Static)
            line.set_class(result.satisfied, "-satisfied")
            mark = TICK if result.satisfied else CROSS
            # A tick is as wide as a cross: the line's size never changes.
            line.update(f"{mark} {text('rule_' + result.rule)}", layout=False)
        self.satisfied = all(result.satisfied for result in results)
        return self.satisfied
