"""How much each field takes (SPEC §2, §3), and what a longer paste is told."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.catalogue import text
from kiosk.domain.passwords import MAX_LENGTH as PASSWORD_MAX
from kiosk.domain.rules import (
    CODE_TYPED_MAX,
    COMMUNE_QUERY_MAX,
    CONTRACT_TYPED_MAX,
    EMAIL_MAX,
    METER_MAX,
    METER_TYPED_MAX,
    NAME_MAX,
)


@dataclass(frozen=True)
class Limit:
    """The most a field takes: typing stops there, a longer paste is refused whole."""

    max_length: int
    """Characters, spaces included."""
    message: str
    """Catalogue key of what a refused paste is told (``{maximum}``: ``max_length``)."""
    restrict: str | None = None
    """A regular expression the whole value must match (Textual's ``Input.restrict``)."""

    def refusal(self, language: str) -> str:
        """The message shown under the field when a paste is too long."""
        return text(self.message, language, maximum=self.max_length)


NAME = Limit(NAME_MAX, "name_format")
EMAIL = Limit(EMAIL_MAX, "email_format")
PASSWORD = Limit(PASSWORD_MAX, "password_too_long")
CONTRACT = Limit(CONTRACT_TYPED_MAX, "contract_format")
METER = Limit(METER_TYPED_MAX, "meter_format", restrict=rf"(?: *[^ ]){{0,{METER_MAX}}} *")
"""At most 20 characters once spaces are removed (the rule counts no space)."""
CODE = Limit(CODE_TYPED_MAX, "paste_too_long")
COMMUNE = Limit(COMMUNE_QUERY_MAX, "paste_too_long")
AGENT_PIN = Limit(PASSWORD_MAX, "paste_too_long")
