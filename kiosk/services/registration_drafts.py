"""The web's registration between its steps (SPEC §10): a draft kept in the database.

A browser holds only a random draft token (its cookie); the database holds the token's HMAC,
the step reached, the commune, the names and the address, and the password *sealed*: XORed
with a keystream that SHAKE-256 draws from the token. The database alone cannot read the
password and the browser never holds it; the token changes each time a password is sealed,
so a keystream is never used twice. Every process of ``kiosk web --workers N`` finds the
same draft, and a draft is forgotten 30 minutes after its last step.

The steps go in order: a commune (served here), then the identity, then the contract, which
registers through :class:`~kiosk.services.registration.RegistrationService` exactly as the
kiosk's Contract screen does (same rules, messages, throttles, e-mails and timing).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from kiosk.domain import codes
from kiosk.domain.errors import DraftMissing, DraftRefused, InvalidInput
from kiosk.domain.passwords import MAX_LENGTH as PASSWORD_MAX
from kiosk.domain.results import (
    CommuneChoice,
    CommuneChosen,
    DraftView,
    OperatorInfo,
    RegistrationReceipt,
    RegistrationRequest,
)
from kiosk.domain.rules import COMMUNE_QUERY_MAX, has_forbidden_characters
from kiosk.domain.states import DraftStep
from kiosk.domain.validation import registration_problems
from kiosk.services.communes import CommuneService
from kiosk.services.context import ServiceContext
from kiosk.services.registration import RegistrationService
from kiosk.storage.models import RegistrationDraft
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.translations import SOURCE_LANGUAGE

DRAFT_LIFETIME = timedelta(minutes=30)
"""A draft is forgotten this long after its last step (SPEC §10)."""
_SEALED_SIZE = 2 + 4 * PASSWORD_MAX
"""Length prefix, then the longest password in UTF-8, padded: every sealed password is as
long as any other."""


def _keystream(token: str) -> bytes:
    return hashlib.shake_256(b"registration-draft-password\x00" + token.encode()).digest(
        _SEALED_SIZE
    )


def seal_password(token: str, password: str) -> bytes:
    """The password padded to a fixed size and XORed with the keystream of ``token``."""
    raw = password.encode("utf-8")
    if len(raw) > _SEALED_SIZE - 2:
        raise ValueError("password longer than the rules allow")
    padded = len(raw).to_bytes(2, "big") + raw + secrets.token_bytes(_SEALED_SIZE - 2 - len(raw))
    return bytes(a ^ b for a, b in zip(padded, _keystream(token), strict=True))


def unseal_password(token: str, sealed: bytes) -> str:
    padded = bytes(a ^ b for a, b in zip(sealed, _keystream(token), strict=True))
    length = int.from_bytes(padded[:2], "big")
    return padded[2 : 2 + length].decode("utf-8")


class RegistrationDrafts:
    """The four steps of the web, one short transaction each."""

    def __init__(
        self,
        context: ServiceContext,
        communes: CommuneService,
        registration: RegistrationService,
    ) -> None:
        self.ctx = context
        self.communes = communes
        self.registration = registration

    def _digest(self, token: str) -> str:
        return codes.token_digest(self.ctx.settings.secret_key, "draft:" + token)

    async def search(self, query: str) -> tuple[CommuneChoice, ...]:
        """The communes of ``query``, as the kiosk's Commune screen lists them (the same tuple
        for the same search for a minute: see :meth:`CommuneService.search_recent`).

        Raises:
            InvalidInput: longer than a commune search, or holding invisible characters.
        """
        if len(query) > COMMUNE_QUERY_MAX or has_forbidden_characters(query):
            raise InvalidInput("commune", "commune_query_format")
        return await self.communes.search_recent(query)

    async def choose_commune(self, commune_id: int, previous_token: str = "") -> CommuneChosen:
        """Step 2: the commune's operator; when it is served here, a new draft begins, and
        the browser's previous one (``previous_token``), if any, is forgotten.

        Raises:
            UnknownCommune.
        """
        operator = await self.communes.describe_operator(commune_id)
        if not operator.served_here:
            return CommuneChosen(operator, None)
        token, now = codes.new_token(), self.ctx.now()
        async with self.ctx.unit_of_work() as uow:
            await uow.drafts.delete_expired(now)
            if previous_token:
                await uow.drafts.drop(self._digest(previous_token))
            uow.drafts.add(self._digest(token), DraftStep.COMMUNE, commune_id, now + DRAFT_LIFETIME)
            await uow.commit()
        return CommuneChosen(operator, token)

    async def view(self, token: str, *, reached: DraftStep = DraftStep.COMMUNE) -> DraftView:
        """The draft of ``token``, which must have reached ``reached``.

        Raises:
            DraftMissing.
        """
        async with self.ctx.unit_of_work(read_only=True) as uow:
            draft = await self._live(uow, token, reached)
            operator = await uow.communes.operator_of(draft.commune_id)
            commune = await uow.communes.by_id(draft.commune_id)
        if operator is None or commune is None:
            raise DraftMissing()
        return DraftView(
            DraftStep(draft.step),
            CommuneChoice(*commune),
            OperatorInfo(
                operator.code, operator.name, operator.served_here, operator.phone, operator.website
            ),
            draft.last_name,
            draft.first_name,
            draft.email,
        )

    async def _live(self, uow: UnitOfWork, token: str, reached: DraftStep) -> RegistrationDraft:
        draft = await uow.drafts.live(self._digest(token), self.ctx.now()) if token else None
        if draft is None or (reached is DraftStep.IDENTITY and draft.step != DraftStep.IDENTITY):
            raise DraftMissing()
        return draft

    async def give_identity(
        self,
        token: str,
        last_name: str,
        first_name: str,
        email: str,
        password: str,
        password_confirm: str,
    ) -> str:
        """Step 3, first part: the rules of the kiosk's Identity screen, then the identity
        kept (the password sealed) under a new token.

        Returns:
            The draft's new token (the old one no longer finds it).

        Raises:
            DraftMissing, DraftRefused.
        """
        typed = RegistrationRequest(
            0, last_name, first_name, email, password, password_confirm, "", ""
        )
        values, problems = registration_problems(typed, step="identity")
        new_token, now = codes.new_token(), self.ctx.now()
        async with self.ctx.unit_of_work() as uow:
            draft = await self._live(uow, token, DraftStep.COMMUNE)
            if problems:
                raise DraftRefused(problems)
            draft.token_digest = self._digest(new_token)
            draft.step = DraftStep.IDENTITY
            draft.last_name, draft.first_name = values.last_name, values.first_name
            draft.email = values.email
            draft.sealed_password = seal_password(new_token, values.password)
            draft.expires_at = now + DRAFT_LIFETIME
            await uow.commit()
        return new_token

    async def submit(
        self, token: str, contract: str, meter: str, language: str = SOURCE_LANGUAGE
    ) -> RegistrationReceipt:
        """Step 3, second part: the kiosk's Contract screen's checks and registration; the
        draft is gone once the account is registered (nothing can be submitted twice).

        Raises:
            DraftMissing, DraftRefused, and what
            :meth:`~kiosk.services.registration.RegistrationService.register` raises.
        """
        async with self.ctx.unit_of_work(read_only=True) as uow:
            draft = await self._live(uow, token, DraftStep.IDENTITY)
        if draft.sealed_password is None:
            raise DraftMissing()
        password = unseal_password(token, draft.sealed_password)
        typed = RegistrationRequest(
            draft.commune_id,
            draft.last_name,
            draft.first_name,
            draft.email,
            password,
            password,
            contract,
            meter,
            language=language,
        )
        request, problems = registration_problems(typed)
        if problems:
            raise DraftRefused(problems)
        receipt = await self.registration.register(request)
        async with self.ctx.unit_of_work() as uow:
            await uow.drafts.drop(self._digest(token))
            await uow.commit()
        return receipt
