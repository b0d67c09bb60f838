"""The kiosk speaks (SPEC §12): screens as they open, the focused field, checklist lines,
errors and notifications; F1 turns speech on and off, Ctrl+R repeats, any key stops it.

A part of :class:`~kiosk.app.KioskApp` that only listens: the screen changes (Textual's
``screen_change_signal``), the focus (each screen's ``focused``), the keys, the notifications,
the values and the lines that announce themselves (:class:`~screens.widgets.live_text.LiveText`)
come to it from the app; what is said is read from them by :mod:`kiosk.app.reading`, and
:class:`~kiosk.speech.Speaker` says it off the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from weakref import WeakSet

from textual.dom import NoScreen
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from kiosk.app.reading import (
    PASSWORD_FIELDS,
    checklist_lines,
    checklist_sentences,
    checklist_states,
    focus_sentences,
    live_sentence,
    screen_sentences,
    shown,
)
from kiosk.domain.catalogue import text
from kiosk.speech import Speaker, speaker_for
from screens.idle import IdleScreen
from screens.widgets.live_text import LiveText

if TYPE_CHECKING:
    from kiosk.app.kiosk_app import KioskApp


class Speech:
    """Says what the screens show, when speech is on."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self.speaker: Speaker = speaker_for(app.settings)
        """What the kiosk says, and how (``speech``, ``speech_command``, ``speech_output``)."""
        self._announced: Screen[Any] | None = None
        """The screen whose opening was said: focus and changes of others are not."""
        self._described: object = None
        """The widget whose focus was said last."""
        self._rule_lines: list[Static] = []
        """The lines of the announced screen's checklist."""
        self._rules: dict[str, tuple[str, bool]] = {}
        """The checklist lines as last said."""
        self._lines: dict[LiveText, str] = {}
        """The live lines of the screen as last said."""
        self._announcing = False
        self._watched: WeakSet[Screen[Any]] = WeakSet()
        """The screens whose focus is followed."""

    def start(self) -> None:
        """Follow the screens from now on (the first, Welcome, is pushed)."""
        self.app.screen_change_signal.subscribe(self.app, self._screen_changed, immediate=True)
        self._screen_changed(self.app.screen)

    # -- keys --------------------------------------------------------------------------------

    def key_pressed(self) -> None:
        """Any key stops what is being said, before it does anything else."""
        if self.speaker.on:
            self.speaker.stop()

    def toggle(self) -> None:
        """F1, anywhere: speech on or off, said either way."""
        language = self.app.language
        self.speaker.toggle(text("speech_on", language), text("speech_off", language))
        if self.speaker.on:
            self._announce_after_refresh()  # then where the customer is

    def repeat(self) -> None:
        """Ctrl+R: the last sentences again (and nothing else)."""
        self.speaker.repeat()

    # -- what is said ------------------------------------------------------------------------

    def _screen_changed(self, _screen: Screen[Any]) -> None:
        """A screen opened or closed: stop now, say the screen on top once it is drawn (a
        navigation that closes several screens and opens one says only the last). Nothing
        at all while speech is off: F1 says the screen when it turns speech on."""
        if self.speaker.on:
            self.speaker.stop()
            self._announce_after_refresh()

    def _announce_after_refresh(self) -> None:
        if not self._announcing:
            self._announcing = True
            self.app.call_after_refresh(self._announce_screen)

    def _announce_screen(self) -> None:
        self._announcing = False
        screen = self.app.screen
        self._announced = screen
        self._described = screen.focused
        if screen not in self._watched:
            self._watched.add(screen)
            self.app.watch(screen, "focused", self._focus_moved, init=False)
        self._rule_lines = checklist_lines(screen)
        self._rules = checklist_states(screen, self._rule_lines)
        self._lines = {line: shown(line) for line in screen.query(LiveText)}
        if self.speaker.on:
            self.speaker.say(*screen_sentences(screen, self.app.language))
            if isinstance(screen, IdleScreen):
                self.app.bell()

    def _on_announced(self, widget: Widget) -> bool:
        """Whether ``widget`` is on the screen last announced (and still on a screen at all:
        a dialog's button may be gone by the time its message comes)."""
        try:
            return widget.screen is self._announced
        except NoScreen:
            return False

    def _focus_moved(self, widget: Widget | None) -> None:
        """A screen's focus moved: said from the app's own queue, after what was put there
        before (an error shown, then the focus on its field), and sooner than Textual's
        ``DescendantFocus``, which takes a message queue per container on its way up."""
        if widget is not None and self.speaker.on:
            self.app.call_later(self._say_focus, widget)

    def _say_focus(self, widget: Widget) -> None:
        if widget is not self._described and self._on_announced(widget):
            self._described = widget
            self.speaker.say(*focus_sentences(widget, self.app.language))

    def value_changed(self, event: Input.Changed) -> None:
        """A field's value: the checklist lines it turned, if it is a new password."""
        if event.input.id not in PASSWORD_FIELDS or not self._rules or not self.speaker.on:
            return  # checked first: every key typed in a field comes here
        if not self._on_announced(event.input):
            return
        rules = checklist_states(event.input.screen, self._rule_lines)
        changed = {rule: state for rule, state in rules.items() if self._rules.get(rule) != state}
        self._rules = rules
        self.speaker.say(*checklist_sentences(changed, self.app.language))

    def option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.speaker.on and self._on_announced(event.option_list):
            self.speaker.say(str(event.option.prompt))

    def live_line_changed(self, event: LiveText.Changed) -> None:
        line = event.line
        said_already = self._lines.get(line) == event.text  # said when the screen opened
        if not self.speaker.on or not self._on_announced(line) or said_already:
            return
        self._lines[line] = event.text
        self.speaker.say(*live_sentence(line))
