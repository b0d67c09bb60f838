"""Password rules: the live checklist, the refusals beyond it, and argon2id off the event loop."""

from __future__ import annotations

import asyncio
import functools
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import TypeVar

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from kiosk.rules import has_forbidden_characters

T = TypeVar("T")

MIN_LENGTH = 8
MAX_LENGTH = 128
CHECKLIST_RULES = ("digit", "length", "special", "confirmation")
"""Keys of the checklist lines, in the order the customer reads them."""


def normalise_password(password: str) -> str:
    """NFKC: what every check and the hash see."""
    return unicodedata.normalize("NFKC", password)


@dataclass(frozen=True)
class RuleResult:
    """One line of the live checklist."""

    rule: str
    """``digit``, ``length``, ``special`` or ``confirmation``."""
    satisfied: bool


def password_checklist(password: str, confirmation: str) -> list[RuleResult]:
    """One result per rule of the checklist, for the screen to tick or cross."""
    normalised = normalise_password(password)
    return [
        RuleResult("digit", any(char.isdigit() for char in normalised)),
        RuleResult("length", len(normalised) >= MIN_LENGTH),
        RuleResult("special", any(not char.isalnum() for char in normalised)),
        RuleResult(
            "confirmation", bool(password) and normalised == normalise_password(confirmation)
        ),
    ]


@functools.cache
def common_passwords() -> frozenset[str]:
    """The blocklist shipped with the package, case-folded."""
    text = resources.files("kiosk").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line and not line.startswith("#")
    )


def _core_word(folded: str) -> str:
    """The password without the digits and symbols around it: ``password1!`` -> ``password``."""
    start, end = 0, len(folded)
    while start < end and not folded[start].isalpha():
        start += 1
    while end > start and not folded[end - 1].isalpha():
        end -= 1
    return folded[start:end]


def password_refusal(
    password: str, *, contract: str = "", meter: str = "", email: str = ""
) -> str | None:
    """Why a password that passes the checklist is still refused, or None.

    Args:
        password: as typed.
        contract: the contract number; a password containing it is refused.
        meter: the meter number; likewise.
        email: the address; a password containing its local part is refused.

    Returns:
        ``forbidden_characters``, ``too_long``, ``common``, ``contains_contract``,
        ``contains_meter``, ``contains_email`` or None.
    """
    if has_forbidden_characters(password):
        return "forbidden_characters"
    normalised = normalise_password(password)
    if len(normalised) > MAX_LENGTH:
        return "too_long"
    folded = normalised.casefold()
    blocklist = common_passwords()
    core = _core_word(folded)
    if folded in blocklist or (len(core) >= 4 and core in blocklist):
        return "common"
    compact = folded.replace(" ", "").replace("-", "")
    if contract and contract in compact:
        return "contains_contract"
    if meter and meter.replace(" ", "").casefold() in compact:
        return "contains_meter"
    local = email.rpartition("@")[0].casefold()
    if len(local) >= 3 and local in folded:
        return "contains_email"
    return None


class PasswordHashing:
    """argon2id hashing and verification in a bounded thread pool, never on the event loop."""

    def __init__(self, concurrency: int, parameters: Parameters = RFC_9106_LOW_MEMORY) -> None:
        self._hasher = PasswordHasher.from_parameters(parameters)
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="argon2")
        self._dummy_hash: str | None = None

    async def _run(self, func: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, func)

    async def hash(self, password: str) -> str:
        """The argon2id hash of the NFKC form of ``password``."""
        return await self._run(functools.partial(self._hasher.hash, normalise_password(password)))

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; with no stored hash, spends the same time and fails."""
        if stored_hash is None:
            if self._dummy_hash is None:
                self._dummy_hash = await self.hash("pas un mot de passe de client")
            stored_hash = self._dummy_hash
            password = password + "\x00"  # can never match the dummy
        return await self._run(functools.partial(self._verify, stored_hash, password))

    def _verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, normalise_password(password))
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made with other parameters than today's."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
