"""The password checklist tells the truth: its lines are always those of the two fields' values,
whatever the order of keys, pastes, erasures, submits and refusals."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from kiosk.app import KioskApp
from kiosk.config import Settings
from kiosk.domain.passwords import CHECKLIST_RULES, password_checklist
from kiosk.runtime import Runtime
from screens.identity import IdentityScreen
from tests.support.ui import SMALL, burst, fill, wait_for

FIELDS = ("password", "password-confirm")


def shown_lines(app: KioskApp) -> dict[str, tuple[bool, str]]:
    """Each line of the checklist: whether it is marked satisfied, and its text."""
    rules = app.screen.query_one("#password-rules")
    return {
        rule: (
            rules.query_one(f".rule-{rule}").has_class("-satisfied"),
            str(rules.query_one(f".rule-{rule}", Static).render()),
        )
        for rule in CHECKLIST_RULES
    }


def expected_lines(password: str, confirmation: str) -> dict[str, tuple[bool, str]]:
    labels = {"digit": "Un nombre", "length": "8 caractères", "special": "Un caractère spécial"}
    labels["confirmation"] = "Confirmation identique"
    return {
        result.rule: (result.satisfied, f"{'✓' if result.satisfied else '✗'} {labels[result.rule]}")
        for result in password_checklist(password, confirmation)
    }


def field_values(app: KioskApp) -> tuple[str, str]:
    password, confirmation = (app.screen.query_one(f"#{f}", Input).value for f in FIELDS)
    return password, confirmation


async def test_a_refused_password_does_not_tick_the_confirmation(
    make_app: Callable[..., KioskApp],
) -> None:
    # Issue 11: the form probed the checklist with (password, password) and left it there.
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await app.push_screen(IdentityScreen())
        await fill(pilot, "#password", "Truite#Bleue")
        await fill(pilot, "#password-confirm", "Truite#Bleue-97")
        app.screen.query_one("#next", Button).press()
        await wait_for(pilot, lambda: app.screen.query_one("#password-error").has_class("-shown"))
        await pilot.pause()
        assert shown_lines(app) == expected_lines("Truite#Bleue", "Truite#Bleue-97")
        assert shown_lines(app)["confirmation"] == (False, "✗ Confirmation identique")
        assert shown_lines(app)["digit"] == (False, "✗ Un nombre")


TYPED = st.text(
    alphabet=st.sampled_from([*"aZé9#- ", "٣", "ﬀ", "Ⅻ"]),  # an Arabic digit, NFKC expansions
    max_size=12,
)
"""What a customer may type or paste into the password fields."""
PASTED = st.one_of(TYPED, st.sampled_from(["Ruisseau-42!", "a\nb", "x" * 200, "Dup\u200bont-1"]))


class ChecklistMachine(RuleBasedStateMachine):
    """Random typing, erasing, pasting and submitting on the Identity screen; after every
    step the checklist shows exactly the rules of the two fields' values.

    The kiosk runs on its own thread (Hypothesis's steps are plain functions); each step runs
    there, in the app's context, through ``App.call_from_thread``.
    """

    app: KioskApp
    pilot: Pilot[None]

    def __init__(self) -> None:
        super().__init__()
        self.on_app(self._empty_fields)

    def on_app(self, step: Callable[..., Any], *args: Any) -> Any:
        return self.app.call_from_thread(step, *args)

    def field(self, field_id: str) -> Input:
        return self.app.screen.query_one(f"#{field_id}", Input)

    async def _empty_fields(self) -> None:
        for field in FIELDS:
            self.field(field).value = ""
        await self.pilot.pause()

    async def _keys(self, field_id: str, keys: list[str], *, at_end: bool = False) -> None:
        field = self.field(field_id)
        field.focus()
        await self.pilot.pause()
        if at_end:
            field.cursor_position = len(field.value)  # not the selection the focus made
        burst(self.app, *keys)
        await self.pilot.pause()

    async def _paste(self, field_id: str, pasted: str) -> None:
        self.field(field_id).focus()
        await self.pilot.pause()
        self.app.post_message(events.Paste(pasted))
        await self.pilot.pause()

    async def _press_next(self) -> None:
        self.app.screen.query_one("#next", Button).press()
        await self.pilot.pause()

    @rule(field_id=st.sampled_from(FIELDS), typed=TYPED)
    def type_keys(self, field_id: str, typed: str) -> None:
        self.on_app(self._keys, field_id, list(typed))

    @rule(field_id=st.sampled_from(FIELDS), count=st.integers(1, 6))
    def erase(self, field_id: str, count: int) -> None:
        self.on_app(partial(self._keys, field_id, ["backspace"] * count, at_end=True))

    @rule(field_id=st.sampled_from(FIELDS), pasted=PASTED)
    def paste(self, field_id: str, pasted: str) -> None:
        self.on_app(self._paste, field_id, pasted)

    @rule()
    def submit_with_enter(self) -> None:
        self.on_app(self._keys, "password-confirm", ["enter"])

    @rule()
    def submit_with_the_button(self) -> None:
        self.on_app(self._press_next)

    def _check(self) -> None:
        assert isinstance(self.app.screen, IdentityScreen)  # no commune chosen: it stays
        assert shown_lines(self.app) == expected_lines(*field_values(self.app))

    @invariant()
    def checklist_tells_the_truth(self) -> None:
        self.on_app(self._check)


@pytest.fixture
def identity_app(
    make_runtime: Callable[..., Runtime], settings: Settings
) -> Iterator[tuple[KioskApp, Pilot[None]]]:
    """A kiosk on the Identity screen, running on a thread of its own."""
    ready, done = threading.Event(), threading.Event()
    running: list[tuple[KioskApp, Pilot[None]]] = []
    app = KioskApp(make_runtime().services, settings)

    async def run() -> None:
        async with app.run_test(size=SMALL) as pilot:
            await app.push_screen(IdentityScreen())
            await pilot.pause()
            running.append((app, pilot))
            ready.set()
            while not done.is_set():
                await asyncio.sleep(0.02)

    thread = threading.Thread(target=asyncio.run, args=(run(),))
    thread.start()
    try:
        assert ready.wait(30), "the kiosk did not start"
        yield running[0]
    finally:
        done.set()
        thread.join(30)
    assert app.recovery.unexpected_errors == []


def test_the_checklist_is_a_function_of_the_two_fields(
    identity_app: tuple[KioskApp, Pilot[None]],
) -> None:
    ChecklistMachine.app, ChecklistMachine.pilot = identity_app
    run_state_machine_as_test(
        ChecklistMachine,
        settings=settings(
            max_examples=20,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
