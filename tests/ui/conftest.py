"""Pilot helpers: build the kiosk on the real services, type into fields, read what is shown."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static

from kiosk.app import KioskApp
from kiosk.app.textual_internals import notifications
from kiosk.config import Settings
from kiosk.services import KioskServices, RegistrationReceipt, RegistrationRequest
from tests.conftest import SmtpSink, read_code

SIZE = (100, 32)

DEMO_CONTRACT = "1234567"
DEMO_METER = "A12B345678"
DEMO_EMAIL = "marie.dupont@example.fr"
DEMO_PASSWORD = "Ruisseau-42!"


@pytest.fixture
def make_app(services: KioskServices, settings: Settings) -> Callable[..., KioskApp]:
    """A kiosk on the test's services; keyword arguments override settings."""

    def make(*, dev: bool = False, **overrides: Any) -> KioskApp:
        chosen = Settings(**{**settings.__dict__, **overrides}) if overrides else settings
        return KioskApp(services, chosen, dev=dev)

    return make


def shown(app: App[Any], selector: str) -> str:
    """The text a Static shows."""
    return str(app.screen.query_one(selector, Static).render())


async def fill(pilot: Pilot[None], selector: str, value: str) -> None:
    """Put ``value`` in the input, as if typed, and let the screen react."""
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


def demo_request(**changes: Any) -> RegistrationRequest:
    """The registration of the demo subscriber (Velaux), as the screens would send it."""
    values: dict[str, Any] = {
        "commune_id": 0,
        "last_name": "Dupont",
        "first_name": "Marie",
        "email": DEMO_EMAIL,
        "password": DEMO_PASSWORD,
        "password_confirm": DEMO_PASSWORD,
        "contract": DEMO_CONTRACT,
        "meter": DEMO_METER,
    }
    values.update(changes)
    return RegistrationRequest(**values)


async def register_demo(services: KioskServices) -> RegistrationReceipt:
    """Register the demo subscriber through the service (for flows that start later)."""
    [velaux] = await services.communes.search("Velaux")
    return await services.accounts.register(demo_request(commune_id=velaux.id))


async def activate_demo(
    services: KioskServices, smtp: SmtpSink, deliver: Callable[[], Awaitable[Any]]
) -> None:
    """Register and activate the demo subscriber; its e-mails are delivered and read."""
    await register_demo(services)
    await deliver()
    messages = await smtp.wait_for(1)
    await services.accounts.redeem_code(read_code(messages[-1]))
    await deliver()
    await smtp.wait_for(2)


def notified(app: KioskApp, message: str) -> bool:
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
