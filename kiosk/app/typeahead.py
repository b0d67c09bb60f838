"""Type-ahead: keys typed without waiting land where they would if typed slowly (SPEC §2).

Textual hands each key to the focused widget's queue as soon as the app reads it. In a burst
(an agent typing by heart, a keyboard-wedge scanner), the keys after an Enter are thus queued
in the field being left before the Enter has moved the focus, and the keys typed while a
screen opens reach the screen below it. Here the app holds the keys that follow a key which
may move the focus (anything but text typed into a field: Enter, Tab, Escape, the F keys, any
key on a button) until everything that key set going has run: every message queue of the app
and its screens is empty, every widget is mounted and no screen is between two steps of its
opening (:class:`screens.base.OpensQuickly`), so the focus has moved and the next screen, if
one opens without a service call, has mounted and focused its first field. Then the held keys
go on, one by one, by the same way.

Text typed into a field is not held (its keys go to the same field in order anyway), so fast
typing pays nothing. A screen that waits for a service keeps the focus where it was: keys
typed meanwhile go there, as before.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import events
from textual.widget import Widget
from textual.widgets import Input

from screens.base import OpensQuickly

if TYPE_CHECKING:
    from kiosk.app.kiosk_app import KioskApp

TextEvent = events.Key | events.Paste
"""What a customer types: keys and pastes (a paste is text for the focused field)."""

EDITING_KEYS = frozenset({"backspace", "delete", "left", "right", "home", "end"})
"""Keys that edit the focused field without leaving it."""

QUIET_TURNS = 3
"""Loop turns in a row with every queue empty before the held keys go on."""

SETTLE_LIMIT_TURNS = 500
"""After this many loop turns (about a second on an idle kiosk) the held keys go on even if
some widget keeps posting messages. Counted in turns, not seconds: on a loaded machine a
second may pass before the focus has moved, and the keys would land in the field being left."""


class TypeAhead:
    """Holds the keys that follow a focus-moving key until its effects have run."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self._held: deque[TextEvent] = deque()
        """Keys and pastes read while an earlier key's effects were running."""
        self._settling = False
        """A focus-moving key was handed over; its effects may still be running."""
        self._released: TextEvent | None = None
        """The held key or paste sent back to the app's own queue, on its way."""
        self._settler: asyncio.Task[None] | None = None

    async def deliver(
        self, event: events.Event, handle: Callable[[events.Event], Awaitable[None]]
    ) -> None:
        """Hand ``event`` to ``handle`` (Textual's own handling of the app's events), or hold
        it if it is a key or a paste that an earlier key's effects must not overtake."""
        if not isinstance(event, TextEvent) or event.is_forwarded:
            await handle(event)
            return
        if event is self._released:
            self._released = None
        elif self._settling or self._held or self._released is not None:
            self._held.append(event)
            return
        moves_focus = not self._stays_in_field(event)
        if moves_focus:
            self._settling = True  # keys read from now on are held
        try:
            await handle(event)
        finally:
            if moves_focus:
                # Only now is the key in its widget's queue: Textual may await (the bindings)
                # before handing it over, and queues all empty meanwhile would release the held
                # keys too early.
                self._settler = asyncio.create_task(self._settle())
            else:
                self._release_next()

    def _stays_in_field(self, event: TextEvent) -> bool:
        """Text, or an editing key, for the focused input: the focus stays where it is."""
        if not isinstance(self.app.focused, Input):
            return False
        return isinstance(event, events.Paste) or event.is_printable or event.key in EDITING_KEYS

    def _release_next(self) -> None:
        """Send the oldest held key back through the app's own queue (keeps the order)."""
        if self._held and not self._settling and self._released is None:
            self._released = self._held.popleft()
            self.app.post_message(self._released)

    async def _settle(self) -> None:
        """Wait until every message queue of the app and its screens is empty."""
        rounds = quiet = 0
        try:
            while rounds < SETTLE_LIMIT_TURNS:
                # Zero-length sleeps first: a focus move settles within a few loop turns.
                await asyncio.sleep(0 if rounds < 20 else 0.002)
                rounds += 1
                # Empty queues at several turns in a row: a handler that awaits in the middle
                # of a message (its queue empty meanwhile) has had the turns to finish it.
                quiet = quiet + 1 if self._all_queues_empty() else 0
                if quiet >= QUIET_TURNS:
                    break
        finally:
            self._settling = False
            self._release_next()

    def _all_queues_empty(self) -> bool:
        if self.app.message_queue_size:
            return False
        for screen in self.app.screen_stack:
            # A screen between two steps of its opening, or a widget still composing and
            # mounting (Textual does that outside its queue), has work under way.
            if isinstance(screen, OpensQuickly) and screen.breathing:
                return False
            for node in screen.walk_children(with_self=True):
                if node.message_queue_size or (isinstance(node, Widget) and not node.is_mounted):
                    return False
        return True
