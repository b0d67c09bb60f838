"""A masked input for passwords and codes: copy and cut do nothing; F8 shows it for 5 s."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.timer import Timer

from kiosk.domain.catalogue import text
from screens.widgets.field_input import FieldInput
from screens.widgets.limits import PASSWORD, Limit


class SecretInput(FieldInput):
    """An input whose value is masked and never leaves it through the clipboard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "reveal", text("key_reveal"), key_display="F8"),
    ]

    REVEAL_SECONDS: ClassVar[float] = 5.0
    """How long a revealed value stays readable before it is masked again."""

    def __init__(
        self,
        limit: Limit = PASSWORD,
        *,
        revealable: bool = False,
        placeholder: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(limit, placeholder=placeholder, password=True, id=id, classes=classes)
        self.revealable = revealable
        """Whether F8 may show the value for a few seconds."""
        self._mask_timer: Timer | None = None

    def action_copy(self) -> None:
        """Copying a secret does nothing."""

    def action_cut(self) -> None:
        """Cutting a secret does nothing (the value stays as it is)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return self.revealable
        return True

    def action_reveal(self) -> None:
        """Show the value, and mask it again after ``REVEAL_SECONDS``."""
        self.password = False
        if self._mask_timer is not None:
            self._mask_timer.stop()
        self._mask_timer = self.set_timer(self.REVEAL_SECONDS, self.mask)

    def mask(self) -> None:
        """Mask the value again."""
        self.password = True
        self._mask_timer = None

    def on_blur(self) -> None:
        self.mask()
