"""The kiosk speaks (SPEC §12): screens as they open, the focused field, checklist lines,
errors and notifications; F1 turns speech on and off, Ctrl+R repeats, any key stops it;
Ctrl+T switches to the high-contrast theme.

A part of :class:`~kiosk.app.KioskApp` that only listens: the screen changes (Textual's
``screen_change_signal``), the focus (each screen's ``focused``), the values and the lines
that announce themselves (:class:`~screens.widgets.live_text.LiveText`) come to it; what is
said is read from them by :mod:`kiosk.app.reading`, and :class:`~kiosk.speech.Speaker` says
it off the event loop.
"""

from __future__ import annotations

from typing import Any, ClassVar
from weakref import WeakSet

from textual import events, on
from textual.binding import Binding, BindingType
from textual.dom import NoScreen
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from kiosk.app.contrast import CONTRAST_THEME
from kiosk.app.flow import Navigation
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


class Speaking(Navigation):
    """Says what the screens show, when speech is on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "toggle_speech", text("key_speech"), show=False, priority=True),
        Binding("ctrl+r", "repeat", show=False, priority=True),
        Binding("ctrl+t", "toggle_contrast", text("key_contrast"), show=False, priority=True),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.speaker: Speaker = speaker_for(self.settings)
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

    def switch_language(self, language: str) -> None:
        """The screens' language (SPEC §11), and the voice with it."""
        super().switch_language(language)
        self.speaker.language = self.language

    def on_mount(self) -> None:
        # After KioskApp's own on_mount (Textual calls the subclass's first): Welcome is pushed.
        self.register_theme(CONTRAST_THEME)
        if self.settings.theme == "contrast":
            self.theme = CONTRAST_THEME.name
        self.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
        self._screen_changed(self.screen)

    # -- keys --------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self.speaker.on:
            self.speaker.stop()  # any key, before it does anything else
        await super().on_event(event)

    def _answer_idle_question(self) -> None:
        """F1 and Ctrl+T are keys too: they answer the idle question (Ctrl+R repeats it)."""
        if isinstance(self.screen, IdleScreen) and self.screen.is_current:
            self.screen.dismiss(True)

    def action_toggle_speech(self) -> None:
        """F1, anywhere: speech on or off, said either way."""
        self._answer_idle_question()
        self.speaker.toggle(text("speech_on", self.language), text("speech_off", self.language))
        if self.speaker.on:
            self._announce_after_refresh()  # then where the customer is

    def action_repeat(self) -> None:
        """Ctrl+R: the last sentences again (and nothing else)."""
        self.speaker.repeat()

    def action_toggle_contrast(self) -> None:
        """Ctrl+T, anywhere: the high-contrast theme, or back to the usual one."""
        self._answer_idle_question()
        self.theme = "kiosk" if self.theme == CONTRAST_THEME.name else CONTRAST_THEME.name

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
            self.call_after_refresh(self._announce_screen)

    def _announce_screen(self) -> None:
        self._announcing = False
        screen = self.screen
        self._announced = screen
        self._described = screen.focused
        if screen not in self._watched:
            self._watched.add(screen)
            self.watch(screen, "focused", self._focus_moved, init=False)
        self._rule_lines = checklist_lines(screen)
        self._rules = checklist_states(screen, self._rule_lines)
        self._lines = {line: shown(line) for line in screen.query(LiveText)}
        if self.speaker.on:
            self.speaker.say(*screen_sentences(screen, self.language))
            if isinstance(screen, IdleScreen):
                self.bell()

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
            self.call_later(self._say_focus, widget)

    def _say_focus(self, widget: Widget) -> None:
        if widget is not self._described and self._on_announced(widget):
            self._described = widget
            self.speaker.say(*focus_sentences(widget, self.language))

    @on(Input.Changed)
    def _checklist_lines(self, event: Input.Changed) -> None:
        if event.input.id not in PASSWORD_FIELDS or not self._rules or not self.speaker.on:
            return  # checked first: every key typed in a field comes here
        if not self._on_announced(event.input):
            return
        rules = checklist_states(event.input.screen, self._rule_lines)
        changed = {rule: state for rule, state in rules.items() if self._rules.get(rule) != state}
        self._rules = rules
        self.speaker.say(*checklist_sentences(changed, self.language))

    @on(OptionList.OptionHighlighted)
    def _option(self, event: OptionList.OptionHighlighted) -> None:
        if self.speaker.on and self._on_announced(event.option_list):
            self.speaker.say(str(event.option.prompt))

    @on(LiveText.Changed)
    def _live_line(self, event: LiveText.Changed) -> None:
        line = event.line
        said_already = self._lines.get(line) == event.text  # said when the screen opened
        if not self.speaker.on or not self._on_announced(line) or said_already:
            return
        self._lines[line] = event.text
        self.speaker.say(*live_sentence(line))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        self.speaker.say(title, message)
