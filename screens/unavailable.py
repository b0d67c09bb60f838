"""``Service momentanément indisponible``: shown while the database cannot be reached."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.domain.catalogue import text
from kiosk.domain.errors import ServiceUnavailable
from screens.base import KioskModal

if TYPE_CHECKING:
    from kiosk.services import KioskServices


class UnavailableScreen(KioskModal[None]):
    """Asks the database every ``RETRY_SECONDS`` and closes itself once it answers.

    It covers the screen the customer was on, which keeps everything typed in it.
    """

    RETRY_SECONDS: ClassVar[float] = 2.5
    """Time between two attempts: one cheap ``SELECT 1`` each."""

    def __init__(self, services: KioskServices) -> None:
        super().__init__()
        self.services = services
        self.attempts = 0
        """Attempts made so far (for the log and the tests)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="unavailable-dialog"):
            yield Static(
                text("service_unavailable", self.language),
                classes="dialog-title",
                id="unavailable",
                markup=False,
            )
            yield Static(
                text("service_unavailable_retry", self.language),
                id="unavailable-detail",
                markup=False,
            )

    def on_mount(self) -> None:
        self.set_interval(self.RETRY_SECONDS, self._try_again)

    @work(exclusive=True, exit_on_error=False)
    async def _try_again(self) -> None:
        self.attempts += 1
        try:
            await self.services.health.ping()
        except ServiceUnavailable:
            return
        if self.is_current:  # an agent's dialog on top: close once it is gone
            self.dismiss(None)
