"""Pilot helpers: type into fields, wait for the kiosk, read what it shows."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static

from kiosk.app.textual_internals import notifications
from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_METER, DEMO_PASSWORD
from tests.support.keys import key_event

SIZE = (100, 32)
"""The terminal of most UI tests."""
SMALL = (80, 24)
"""The smallest terminal the kiosk is made for (SPEC §2): snapshots and bursts of keys."""


class SnapCompare(Protocol):
    """The ``snap_compare`` fixture of pytest-textual-snapshot, typed."""

    def __call__(
        self,
        app: App[None],
        press: tuple[str, ...] = (),
        terminal_size: tuple[int, int] = SMALL,
        run_before: Callable[[Pilot[None]], Awaitable[None]] | None = None,
    ) -> bool: ...


def shown(app: App[Any], selector: str) -> str:
    """The text a Static shows."""
    return str(app.screen.query_one(selector, Static).render())


async def fill(pilot: Pilot[None], selector: str, value: str) -> None:
    """Put ``value`` in the input at once (as a paste would), focused, and let the screen react."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = value
    await pilot.pause()


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 20) -> None:
    """Let the app run until ``condition`` holds (workers hash, query and send)."""
    waited = 0.0
    while not condition():
        if waited > timeout:
            raise AssertionError("the kiosk did not get there in time")
        await pilot.pause(0.02)
        waited += 0.02


def workers_done(app: App[Any]) -> bool:
    """No worker of the app or its screens is still running (the app's life-long background
    tasks, such as the mail worker, aside)."""
    return all(worker.is_finished for worker in app.workers if worker.group != "background")


async def settle(pilot: Pilot[None], condition: Callable[[], bool] | None = None) -> None:
    """Wait for ``condition`` and for every worker to finish (hashing, queries, warm-up), then
    stop every cursor blinking."""
    await wait_for(pilot, condition or (lambda: True))
    await wait_for(pilot, lambda: workers_done(pilot.app))
    await pilot.pause(0.02)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


NEVER_IDLE = 3600.0
"""An idle delay no test reaches by itself: :func:`fall_idle` makes the kiosk idle on purpose."""


def fall_idle(app: Any) -> None:
    """As if nobody had typed for the idle delay: the kiosk's idle check runs now.

    Tests give the kiosk :data:`NEVER_IDLE` and call this, rather than a delay of a second
    that a loaded machine may spend before the test has even reached the screen it checks.
    """
    app.attendance.last_key -= app.attendance.idle_seconds
    app.attendance.check_idle()


def hold_the_idle_countdown(screen: Any) -> None:
    """Time stands still at the start of the idle question's countdown: a snapshot then reads
    its full delay, whatever the time a loaded machine took to take it."""
    started = screen._ends_at - screen._deadline_seconds
    screen._clock = lambda: started
    screen._tick()


def notified(app: App[Any], message: str) -> bool:
    """Whether ``message`` is one of the notifications on screen."""
    return any(notification.message == message for notification in notifications(app))


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" [^>]*clip-path="url\(#[\w-]*-line-(\d+)\)">(.*?)</text>'
)


def svg_text(svg: str) -> str:
    """The characters of an exported screen (``App.export_screenshot``), one line per row."""
    rows: dict[int, list[str]] = {}
    for row, fragment in _SVG_TEXT.findall(svg):
        rows.setdefault(int(row), []).append(html.unescape(fragment).replace("\xa0", " "))
    return "\n".join("".join(rows[row]) for row in sorted(rows))


async def identity_screen(pilot: Pilot[None], commune: str = "velaux") -> None:
    """From Welcome to the Identity screen with the keyboard: F2, the commune, Enter, Enter."""
    from screens.commune import CommuneScreen
    from screens.identity import IdentityScreen

    app = pilot.app
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
    await pilot.press(*commune, "enter")
    await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "continue")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, IdentityScreen))


async def submit_identity(
    pilot: Pilot[None],
    *,
    last_name: str = "Dupont",
    first_name: str = "Marie",
    email: str = DEMO_EMAIL,
    password: str = DEMO_PASSWORD,
) -> None:
    """Fill the Identity screen (password confirmed) and press Enter in the last field."""
    await fill(pilot, "#last-name", last_name)
    await fill(pilot, "#first-name", first_name)
    await fill(pilot, "#email", email)
    await fill(pilot, "#password", password)
    await fill(pilot, "#password-confirm", password)
    await pilot.press("enter")


def burst(app: App[Any], *keys: str) -> None:
    """Post every key to the app at once, without waiting: a fast typist, or a scanner."""
    for key in keys:
        app.post_message(key_event(key))


def typed(text: str) -> list[str]:
    """The keys that type ``text`` (``\\n`` is Enter)."""
    return ["enter" if char == "\n" else char for char in text]


# -- journeys through the registration, settled for a snapshot --------------------------------


async def to_identity(pilot: Pilot[None]) -> None:
    """Welcome -> Velaux -> the Identity screen, settled."""
    from screens.identity import IdentityScreen

    await pilot.press("f2", *"velaux", "enter")
    await settle(pilot, lambda: getattr(pilot.app.focused, "id", None) == "continue")
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(pilot.app.screen, IdentityScreen))


async def to_contract(pilot: Pilot[None]) -> None:
    """... -> the demo identity -> the Contract screen, settled."""
    from screens.contract import ContractScreen

    await to_identity(pilot)
    await submit_identity(pilot)
    await settle(pilot, lambda: isinstance(pilot.app.screen, ContractScreen))


async def to_code_after_registration(pilot: Pilot[None]) -> None:
    """... -> the demo numbers submitted -> the Code screen, notifications cleared."""
    from screens.code import CodeScreen

    await to_contract(pilot)
    await fill(pilot, "#contract", DEMO_CONTRACT)
    await fill(pilot, "#meter", DEMO_METER)
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(pilot.app.screen, CodeScreen))
    pilot.app.clear_notifications()
