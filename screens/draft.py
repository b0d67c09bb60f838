"""The registration draft: what the registration screens collected so far (plain data).

The app keeps one draft per registration (:mod:`kiosk.app.flow`); the Identity screen fills
the identity, the Contract screen the numbers, so that a customer sent back to the password
finds them again. Nothing here imports Textual or the database layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.results import CommuneChoice, OperatorInfo, RegistrationRequest


@dataclass(frozen=True)
class Identity:
    """What the Identity screen collected, checked and normalised by the input rules."""

    last_name: str
    first_name: str
    email: str
    password: str
    password_confirm: str


@dataclass
class RegistrationDraft:
    """The chosen commune and its operator, the identity, and the numbers typed so far."""

    commune: CommuneChoice
    operator: OperatorInfo
    identity: Identity
    contract: str = ""
    meter: str = ""

    def request(
        self, *, contract: str | None = None, meter: str | None = None
    ) -> RegistrationRequest:
        """The registration as the service takes it, with these numbers (default: the draft's)."""
        identity = self.identity
        return RegistrationRequest(
            commune_id=self.commune.id,
            last_name=identity.last_name,
            first_name=identity.first_name,
            email=identity.email,
            password=identity.password,
            password_confirm=identity.password_confirm,
            contract=self.contract if contract is None else contract,
            meter=self.meter if meter is None else meter,
        )
