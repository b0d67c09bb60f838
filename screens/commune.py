"""Commune (step 2): find the commune by keyboard and see which company manages the contract."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.domain.catalogue import text
from kiosk.domain.refusals import operator_contact
from kiosk.services import CommuneChoice, OperatorInfo
from screens.base import KioskScreen
from screens.widgets import limits
from screens.widgets.error_line import ErrorLine
from screens.widgets.field_input import FieldInput
from screens.widgets.live_text import LiveText
from screens.widgets.step_header import StepHeader

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class CommuneScreen(KioskScreen):
    """Typing filters the list, Up/Down move in it, Enter chooses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    @dataclass
    class Chosen(Message):
        """A commune whose operator is served here was chosen, and the customer goes on."""

        commune: CommuneChoice
        operator: OperatorInfo

    def __init__(self, services: KioskServices) -> None:
        super().__init__()
        self.services = services
        self._choices: list[CommuneChoice] = []
        self._listed_query: str | None = None
        self._wanted_query = ""
        """The latest search asked for (what the field holds)."""
        self._searching = False
        """A search is running: a later one waits for it, and only the latest runs."""
        self._chosen: tuple[CommuneChoice, OperatorInfo] | None = None

    def compose(self) -> ComposeResult:
        yield StepHeader(text("commune_title", self.language), step=2)
        with VerticalScroll(classes="form"):
            yield Label(text("commune_label", self.language), classes="field-label")
            yield FieldInput(
                limits.COMMUNE, placeholder=text("commune_placeholder", self.language), id="commune"
            )
            yield ErrorLine(id="commune-error", classes="field-error")
            yield Static(text("commune_hint", self.language), classes="field-hint", markup=False)
            yield OptionList(id="commune-list")
            yield LiveText("", id="commune-none", markup=False)
            with Horizontal(classes="operator-line"):
                yield Label(text("operator_label", self.language), classes="field-label")
                yield LiveText("", id="operator", markup=False)
            yield LiveText("", id="operator-contact", markup=False)
            with Horizontal(classes="actions"):
                yield Button(
                    text("button_continue", self.language),
                    id="continue",
                    variant="primary",
                    disabled=True,
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#commune", Input).focus()
        self._search("")

    def database_back(self) -> None:
        self._search(self.query_one("#commune", Input).value)

    @on(FieldInput.PasteRefused, "#commune")
    def _paste_refused(self, event: FieldInput.PasteRefused) -> None:
        self.query_one("#commune-error", ErrorLine).show(event.reason)

    @on(Input.Changed, "#commune")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#commune-error", ErrorLine).clear()
        self._forget_choice()
        self._search(event.value)

    def _search(self, query: str) -> None:
        """List the communes of ``query``; while a search runs, only the latest waits for it.

        A search per key is never cancelled halfway through its query (a burst of keys would
        otherwise cancel database calls one after the other): the keys typed meanwhile are
        searched once, all together, when it ends.
        """
        self._wanted_query = query
        if not self._searching:
            self._searching = True
            self.call_service(self._list_wanted, lambda _: None, group="search")

    async def _list_wanted(self) -> None:
        try:
            while self._listed_query != self._wanted_query:
                await self._list(self._wanted_query)
        finally:
            self._searching = False

    async def _list(self, query: str) -> None:
        """List the communes that match ``query``."""
        self._show_choices(query, await self.services.communes.search(query))

    def _show_choices(self, query: str, choices: list[CommuneChoice]) -> None:
        self._choices, self._listed_query = choices, query
        options = self.query_one("#commune-list", OptionList)
        options.clear_options()
        options.add_options(
            Option(f"{choice.name}  ({choice.territory})", id=str(choice.id)) for choice in choices
        )
        none = self.query_one("#commune-none", Static)
        none.update("" if choices else text("commune_none", self.language))

    def action_move(self, step: int) -> None:
        options = self.query_one("#commune-list", OptionList)
        if not options.option_count:
            return
        if options.highlighted is None:
            options.highlighted = 0 if step > 0 else options.option_count - 1
        elif step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted, "#commune")
    def _enter_in_search(self) -> None:
        options = self.query_one("#commune-list", OptionList)
        query = self.query_one("#commune", Input).value
        index = options.highlighted if self._listed_query == query else None
        self._choose(query, index)

    @on(OptionList.OptionSelected, "#commune-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(self._listed_query or "", event.option_index)

    def _choose(self, query: str, index: int | None) -> None:
        self.call_service(
            partial(self._operator_of, query, index), self._show_operator, group="choose"
        )

    async def _operator_of(
        self, query: str, index: int | None
    ) -> tuple[CommuneChoice, OperatorInfo] | None:
        """The commune at ``index`` of the list for ``query`` (the first when None), and its
        operator; None when nothing matches."""
        if self._listed_query != query:  # Enter came before the list caught up with the typing
            await self._list(query)
        if not self._choices:
            return None
        commune = self._choices[index or 0]
        return commune, await self.services.communes.describe_operator(commune.id)

    def show_refusal(self, message: str) -> None:
        contact = self.query_one("#operator-contact", Static)
        contact.update(message)
        contact.add_class("-shown")

    def _show_operator(self, chosen: tuple[CommuneChoice, OperatorInfo] | None) -> None:
        if chosen is None:
            return
        commune, operator = chosen
        self.query_one("#operator", Static).update(operator.name)
        contact = self.query_one("#operator-contact", Static)
        button = self.query_one("#continue", Button)
        if operator.served_here:
            self._chosen = (commune, operator)
            contact.update("")
            contact.remove_class("-shown")
            button.disabled = False
            button.focus()
        else:
            self._chosen = None
            contact.update(
                text(
                    "operator_not_served",
                    self.language,
                    operator=operator.name,
                    contact=operator_contact(operator, self.language),
                )
            )
            contact.add_class("-shown")
            button.disabled = True
            self.query_one("#commune", Input).focus()
        contact.scroll_visible(animate=False)

    def _forget_choice(self) -> None:
        self._chosen = None
        self.query_one("#operator", Static).update("")
        contact = self.query_one("#operator-contact", Static)
        contact.update("")
        contact.remove_class("-shown")
        self.query_one("#continue", Button).disabled = True

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        if self._chosen is not None:
            self.post_message(self.Chosen(*self._chosen))
