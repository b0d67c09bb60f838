"""What the kiosk says of a screen and of a widget (SPEC §12), read from what the screen shows.

Nothing here holds a text of its own: titles, instructions, labels and checklist lines are
read from the widgets (the catalogue's French, or tomorrow's language); only the words that
describe a field's state (``obligatoire``, ``vide``, how many characters) come from the
catalogue. A secret (password, code, PIN) is never read: only how many characters it holds.
"""

from __future__ import annotations

from typing import Any

from textual.containers import ScrollableContainer
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static

from kiosk.domain.catalogue import text
from screens.widgets.error_line import ErrorLine
from screens.widgets.live_text import LiveText
from screens.widgets.password_checklist import PasswordChecklist
from screens.widgets.secret_input import SecretInput

REQUIRED_MARK = "*"
"""The end of the label of a mandatory field (``Nom *``)."""
SEPARATOR = " · "
"""Between the step and the title on the banner: said as two sentences."""
SAID_ON_OPENING = "#accessibility-hint, .intro, #welcome-banner"
"""The instructions of a full screen; its live lines (:class:`LiveText`) are said too."""
NEVER_SAID = ".field-label, .field-hint, .banner, .rule, .rules-intro, #busy"
"""Lines of a dialog said with their field, or not at all, rather than as its content."""


def shown(widget: Static) -> str:
    """The text a Static shows."""
    return str(widget.render()).strip()


def screen_sentences(screen: Screen[Any], language: str = "fr") -> list[str]:
    """A screen that opens: its step and title, its instructions, then the focused widget."""
    sentences: list[str] = []
    for line in screen.query("StepHeader > .step").results(Static):
        sentences.extend(shown(line).split(SEPARATOR))
    if isinstance(screen, ModalScreen):
        unsaid = set(screen.query(NEVER_SAID))
        content = [line for line in screen.query(Static) if line not in unsaid]
    else:
        content = list(screen.query(f"{SAID_ON_OPENING}, LiveText").results(Static))
    for line in content:
        sentences.extend(live_sentence(line) if isinstance(line, LiveText) else [shown(line)])
    sentences = [
        part
        for sentence in sentences
        for line in sentence.splitlines()
        for part in line.split(SEPARATOR)
    ]
    if screen.focused is not None:
        sentences.extend(focus_sentences(screen.focused, language))
    return sentences


def live_sentence(line: Static) -> list[str]:
    """A live line as it is said: an error under a field with the field's name (``Nom :
    Champ obligatoire``), a value with the label of its row (``Société gestionnaire : ...``),
    anything else alone; nothing for an empty line."""
    said = shown(line)
    if not said:
        return []
    if isinstance(line, ErrorLine):
        label = _label_and_hints(line)[0] if line.has_class("field-error") else ""
        name = label.removesuffix(REQUIRED_MARK).strip()
        return [f"{name} : {said}" if name else said]
    row = line.parent
    if row is not None and len(row.children) == 2:  # a label and this line
        row_label = next(iter(row.query_children(".field-label").results(Static)), None)
        if row_label is not None:
            return [f"{shown(row_label)} {said}"]
    return [said]


def focus_sentences(widget: Widget, language: str = "fr") -> list[str]:
    """The widget that just got the focus: a field's label, state and value, a button."""
    if isinstance(widget, Input):
        return _field_sentences(widget, language)
    if isinstance(widget, Button):
        return [f"{widget.label}, {text('speech_button', language)}"]
    if isinstance(widget, OptionList) and widget.highlighted is not None:
        return [str(widget.get_option_at_index(widget.highlighted).prompt)]
    if isinstance(widget, ScrollableContainer):
        # Tab past the last button lands on the scrolling form: say where, not silence.
        return [
            part
            for line in widget.screen.query("StepHeader > .step").results(Static)
            for part in shown(line).split(SEPARATOR)
        ]
    return []


def _field_sentences(field: Input, language: str) -> list[str]:
    label, hints = _label_and_hints(field)
    required = label.endswith(REQUIRED_MARK)
    state = [label.removesuffix(REQUIRED_MARK).strip()]
    if required:
        state.append(text("speech_required", language))
    if not field.value:
        state.append(text("speech_empty", language))
    elif field.password or isinstance(field, SecretInput):
        state.append(text("speech_characters", language, count=len(field.value)))
    else:
        state.append(field.value)
    sentences = [", ".join(part for part in state if part), *hints]
    checklist = field.screen.query(PasswordChecklist)
    if field.id in PASSWORD_FIELDS and checklist:
        sentences.extend(checklist_sentences(checklist_states(field.screen), language))
    return sentences


def _label_and_hints(field: Widget) -> tuple[str, list[str]]:
    """The label of ``field`` or of its error line (the nearest ``.field-label`` among its
    ancestors' children) and the hints beside it."""
    for ancestor in field.ancestors:
        if not isinstance(ancestor, Widget):
            break
        labels = ancestor.query_children(".field-label").results(Static)
        label = next(iter(labels), None)
        if label is not None:
            hints = [shown(hint) for hint in ancestor.query(".field-hint").results(Static)]
            return shown(label), hints
    return "", []


PASSWORD_FIELDS = frozenset({"password", "password-confirm"})
"""The fields the checklist follows."""


def checklist_lines(screen: Screen[Any]) -> list[Static]:
    """The lines of the screen's password checklist (none on most screens)."""
    return list(screen.query("PasswordChecklist > .rule").results(Static))


def checklist_states(
    screen: Screen[Any], lines: list[Static] | None = None
) -> dict[str, tuple[str, bool]]:
    """Each line of the screen's password checklist (or of ``lines``, found before): its
    rule's words and whether it holds."""
    states = {}
    for line in checklist_lines(screen) if lines is None else lines:
        words = shown(line)[1:].strip()  # without the tick or the cross
        rule = next(name for name in line.classes if name.startswith("rule-"))
        states[rule] = (words, line.has_class("-satisfied"))
    return states


def checklist_sentences(states: dict[str, tuple[str, bool]], language: str = "fr") -> list[str]:
    """``8 caractères : respecté`` for each line given."""
    return [
        f"{words} : {text('web_rule_met' if holds else 'web_rule_unmet', language)}"
        for words, holds in states.values()
    ]
