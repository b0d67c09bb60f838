"""Meter reading: the customer types the index shown on the meter (F11)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import (
    DomainError,
    InvalidInput,
    ReadingBelowLast,
    ReadingNeedsConfirmation,
    SessionExpired,
)
from kiosk.domain.refusals import describe
from kiosk.domain.validation import reading_problems
from kiosk.services.billing_results import ReadingState, RecordedReading
from screens.base import SessionEnded
from screens.form import FormScreen
from screens.widgets import limits
from screens.widgets.field_input import FieldInput
from screens.widgets.form_field import FormField
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class ReadingScreen(FormScreen):
    """``#reading``: ``#index`` and ``#send-reading``; an index far above the usual shows
    ``#confirm-reading`` before anything is recorded."""

    FIELDS: ClassVar[tuple[str, ...]] = ("index",)
    SUBMIT: ClassVar[str] = "send-reading"

    @dataclass
    class Recorded(Message):
        """The index is recorded; the dashboard says so."""

        reading: RecordedReading

    def __init__(self, services: KioskServices, session_token: str) -> None:
        super().__init__()
        self.services = services
        self.session_token = session_token
        self._to_confirm: str | None = None
        """The index that asked to confirm; the confirmation records it and nothing else."""

    def compose(self) -> ComposeResult:
        yield StepHeader(text("reading_title", self.language))
        with VerticalScroll(classes="form"):
            yield Static(text("reading_intro", self.language), classes="intro", markup=False)
            yield Static(text("busy", self.language), id="last-reading", markup=False)
            with Vertical(id="reading"):
                yield FormField(
                    text("label_index", self.language), FieldInput(limits.INDEX, id="index")
                )
                with Horizontal(classes="actions"):
                    yield Button(
                        text("button_send_reading", self.language),
                        id="send-reading",
                        variant="primary",
                    )
                    yield Button(
                        text("button_confirm_reading", self.language), id="confirm-reading"
                    )
            yield from self.compose_status()
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self._load()

    def database_back(self) -> None:
        self._load()

    def _load(self) -> None:
        self.call_service(
            partial(self.services.billing.reading_state, self.session_token),
            self._show_state,
            refused=self._refused,
            group="state",
        )

    def _show_state(self, state: ReadingState) -> None:
        self.query_one("#last-reading", Static).update(state.last_text)

    def on_submit(self) -> None:
        self._record(confirmed=False)

    @on(Button.Pressed, "#confirm-reading")
    def _confirm(self) -> None:
        if not self.busy and self._to_confirm == self.value("index"):
            self.clear_errors()
            self._record(confirmed=True)

    def _record(self, *, confirmed: bool) -> None:
        if self.show_problems(reading_problems(self.value("index"))):
            return
        typed = self.value("index")
        self.call_service(
            partial(
                self.services.billing.record_reading,
                self.session_token,
                typed,
                confirmed=confirmed,
            ),
            lambda reading: self.post_message(self.Recorded(reading)),
            refused=partial(self._reading_refused, typed),
        )

    def _reading_refused(self, typed: str, error: DomainError) -> bool:
        if isinstance(error, ReadingNeedsConfirmation):
            self._to_confirm = typed
            self.form_error(describe(error))
            confirm = self.query_one("#confirm-reading", Button)
            confirm.add_class("-shown")
            confirm.focus()
            return True
        if isinstance(error, InvalidInput | ReadingBelowLast):
            self.field_error("index", describe(error))
            self.query_one("#index", Input).focus()
            return True
        return self._refused(error)

    def _refused(self, error: DomainError) -> bool:
        if isinstance(error, SessionExpired):
            self.post_message(SessionEnded())
            return True
        return False

    @on(Input.Changed, "#index")
    def _index_changed(self, event: Input.Changed) -> None:
        """Another index: the confirmation asked for the previous one goes."""
        if self._to_confirm is not None and event.value != self._to_confirm:
            self._to_confirm = None
            self.query_one("#confirm-reading", Button).remove_class("-shown")
            self.clear_errors()
