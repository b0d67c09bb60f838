"""Secret fields and pasting: masked, nothing copied or cut, a bad paste refused whole."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events
from textual.widgets import Input

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from screens.widgets.secret_input import SecretInput
from tests.support.ui import SIZE, fill, shown, wait_for


async def test_copy_and_cut_of_a_password_do_nothing(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await fill(pilot, "#password", "Secret-123!")
        password = app.screen.query_one("#password", SecretInput)
        assert password.password  # masked
        await pilot.press("ctrl+shift+a", "ctrl+x")
        assert password.value == "Secret-123!"
        assert password.selected_text == "Secret-123!"
        password.action_copy()
        password.action_cut()
        await pilot.press("ctrl+c")
        assert app.clipboard == ""
        assert password.value == "Secret-123!"


async def test_f8_shows_the_password_for_a_moment(
    make_app: Callable[..., KioskApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SecretInput, "REVEAL_SECONDS", 3.0)  # ample on a loaded machine
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await fill(pilot, "#password", "Secret-123!")
        password = app.screen.query_one("#password", SecretInput)
        await pilot.press("f8")
        assert not password.password
        await wait_for(pilot, lambda: password.password)


async def test_a_paste_with_a_line_break_is_refused(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        email = app.screen.query_one("#email", Input)
        email.focus()
        await pilot.pause()
        app.post_message(events.Paste("a@b.fr\nx"))
        await pilot.pause()
        assert email.value == ""
        assert shown(app, "#email-error") == text("forbidden_characters")
        app.post_message(events.Paste("a@b.fr"))
        await pilot.pause()
        assert email.value == "a@b.fr"
