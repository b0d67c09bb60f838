"""What the kiosk tells at the top right, by catalogue key, and the language it tells it in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.notifications import SeverityLevel

from kiosk.app.textual_internals import notifications
from kiosk.domain.catalogue import text
from kiosk.translations import SOURCE_LANGUAGE, supported
from screens.base import KioskModal, KioskScreen

if TYPE_CHECKING:
    from kiosk.app.kiosk_app import KioskApp

Told = tuple[str, str, SeverityLevel, dict[str, object]]
"""A notification by catalogue keys: message, title, severity, values."""

NOTIFICATION_SECONDS = 10.0
"""How long a notification stays at the top right."""


class Notices:
    """The screens' language (SPEC §11) and the notification on screen, told again in a new
    language."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app
        self.language = SOURCE_LANGUAGE
        """The language of every screen: switched on Welcome, French again for the next
        customer."""
        self._told: Told | None = None
        """The last notification, by catalogue key: told again in a new language."""

    def tell(
        self,
        key: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        language: str | None = None,
        **values: object,
    ) -> None:
        """A notification at the top right, replacing those of the previous steps.

        Args:
            key: the catalogue key of the message (``values`` fill its placeholders).
            title: the catalogue key of its title, if any.
            language: the message's language when not the screens' (a farewell).
        """
        self._told = (key, title, severity, values)
        self._show_told(language or self.language)

    def _show_told(self, language: str) -> None:
        assert self._told is not None
        key, title, severity, values = self._told
        self.app.clear_notifications()
        self.app.notify(
            text(key, language, **values),
            title=text(title, language) if title else "",
            severity=severity,
            timeout=NOTIFICATION_SECONDS,
        )

    def switch_language(self, language: str) -> None:
        """Show every open screen, its Footer and the notification on screen in ``language``.

        In three steps, each painted before the next (a frame apart): the screens' texts, then
        their Footers, then the notification; done at once, their layout and paint held the
        loop for more than a frame.
        """
        language = supported(language)
        if language == self.language:
            return
        app = self.app
        self.language = language
        app.title = text("app_title", language)
        screens = [
            screen for screen in app.screen_stack if isinstance(screen, KioskScreen | KioskModal)
        ]
        for screen in screens:
            screen.language_changed()
        told = self._told if notifications(app) else None
        app.call_after_refresh(self._relabel_footers, screens, language, told)

    def _relabel_footers(
        self, screens: list[KioskScreen | KioskModal[Any]], language: str, told: Told | None
    ) -> None:
        if language != self.language:
            return  # switched back meanwhile: that switch relabels them
        for screen in screens:
            screen.relabel_footer()
        if told is not None:
            self.app.call_after_refresh(self._retell, language, told)

    def _retell(self, language: str, told: Told) -> None:
        """The notification of the switch's moment again, unless another replaced it."""
        if language == self.language and self._told is told:
            self._show_told(language)

    def forget_told(self) -> None:
        """What this customer was told is not told again (in the next one's language)."""
        self._told = None
