"""Password rules: the live checklist and the refusals beyond it (pure functions)."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from kiosk.domain.rules import has_forbidden_characters
from kiosk.domain.states import PasswordRefusal

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


_SEPARATORS = re.compile(r"[^\w\n]|_")
"""Whatever is neither a letter nor a digit (the blocklist's line breaks aside)."""


def _compact(text: str) -> str:
    """Case-folded, separators removed: ``Pass word-1!`` -> ``password1``.

    Both sides of every comparison go through it, so that a space, a dot or a hyphen
    hides neither a common password nor the address's local part.
    """
    return _SEPARATORS.sub("", text.casefold())


@functools.cache
def common_passwords() -> frozenset[str]:
    """The blocklist shipped with the package, compacted as :func:`_compact` does."""
    text = resources.files("kiosk").joinpath("data/common-passwords.txt").read_text("utf-8")
    entries = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    # One substitution over the whole file: a few milliseconds for 17,000 entries.
    return frozenset(_compact(entries).split("\n")) - {""}


def _core_word(compact: str) -> str:
    """The password without the digits around it: ``password1`` -> ``password``."""
    start, end = 0, len(compact)
    while start < end and not compact[start].isalpha():
        start += 1
    while end > start and not compact[end - 1].isalpha():
        end -= 1
    return compact[start:end]


def password_refusal(
    password: str, *, contract: str = "", meter: str = "", email: str = ""
) -> PasswordRefusal | None:
    """Why a password that passes the checklist is still refused, or None.

    Args:
        password: as typed.
        contract: the contract number; a password containing it is refused.
        meter: the meter number; likewise.
        email: the address; a password containing its local part is refused.

    Returns:
        The refusal (any :class:`PasswordRefusal` but ``CHECKLIST``), or None.
    """
    if has_forbidden_characters(password):
        return PasswordRefusal.FORBIDDEN_CHARACTERS
    normalised = normalise_password(password)
    if len(normalised) > MAX_LENGTH:
        return PasswordRefusal.TOO_LONG
    compact = _compact(normalised)
    blocklist = common_passwords()
    core = _core_word(compact)
    if compact in blocklist or (len(core) >= 4 and core in blocklist):
        return PasswordRefusal.COMMON
    if contract and contract in compact:
        return PasswordRefusal.CONTAINS_CONTRACT
    if meter and _compact(meter) in compact:
        return PasswordRefusal.CONTAINS_METER
    local = _compact(email.rpartition("@")[0])
    if len(local) >= 3 and local in compact:
        return PasswordRefusal.CONTAINS_EMAIL
    return None
