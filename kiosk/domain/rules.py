"""Input rules of SPEC §3 as pure functions: a valid value comes back, a bad one raises."""

from __future__ import annotations

import re
import unicodedata

from kiosk.domain.errors import InvalidInput

NAME_MAX = 60
EMAIL_MAX = 254
METER_MAX = 20
"""Letters and digits of a meter number, spaces not counted."""

CONTRACT_TYPED_MAX = len("1234567 K")
"""The longest contract number a field takes: the seven digits, a space, the invoice letter."""
METER_TYPED_MAX = 2 * METER_MAX
"""The longest meter number a field takes, spaces as printed on the invoice included."""
CODE_TYPED_MAX = 512
"""The longest text the code field takes: a code, or the e-mail's whole link."""
COMMUNE_QUERY_MAX = 60
"""The longest commune search (the longest French commune name has 45 characters)."""

_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Control (C0, C1, DEL), format (zero-width, bidirectional overrides and marks), surrogates,
line and paragraph separators."""

_CONTRACT = re.compile(r"([0-9]{7})(?: ?[A-Za-z])?", re.ASCII)
_METER = re.compile(rf"[A-Za-z0-9]{{5,{METER_MAX}}}", re.ASCII)
_NAME_PUNCTUATION = frozenset(" -'’")


def has_forbidden_characters(value: str) -> bool:
    """True when the text holds a control, invisible, bidirectional or line-break character."""
    if value.isprintable():
        return False  # every forbidden category is non-printable: the C fast path
    return any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in value)


def _text(field: str, value: str) -> str:
    """Common checks of every text field; returns the value without surrounding spaces."""
    if has_forbidden_characters(value):
        raise InvalidInput(field, "forbidden_characters")
    value = value.strip(" ")
    if not value:
        raise InvalidInput(field, "required")
    return value


def check_contract(value: str) -> str:
    """Seven ASCII digits, kept as text; a trailing invoice letter (``1234567K``) is dropped."""
    value = _text("contract", value)
    match = _CONTRACT.fullmatch(value)
    if match is None:
        raise InvalidInput("contract", "contract_format")
    return match.group(1)


def normalise_meter(value: str) -> str:
    """The meter number as compared: spaces removed, upper case (no validation)."""
    return value.replace(" ", "").upper()


def check_meter(value: str) -> str:
    """Letters and digits, 5 to 20 once spaces are removed; returned upper-case."""
    value = _text("meter", value)
    meter = normalise_meter(value)
    if _METER.fullmatch(meter) is None:
        raise InvalidInput("meter", "meter_format")
    return meter


def check_email(value: str) -> str:
    """A syntactically valid address of at most 254 characters, as the validator normalises it.

    The domain is lower-cased by normalisation; compare addresses with :func:`email_key`.
    """
    # Imported here: the rules of the other fields serve screens that must paint fast.
    from email_validator import EmailNotValidError, validate_email

    value = _text("email", value)
    if len(value) > EMAIL_MAX:
        raise InvalidInput("email", "email_format")
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput("email", "email_format") from None
    normalised: str = result.normalized
    if len(normalised) > EMAIL_MAX:
        raise InvalidInput("email", "email_format")
    return normalised


def email_key(email: str) -> str:
    """The case-insensitive form of an address, unique among accounts."""
    return unicodedata.normalize("NFKC", email).casefold()


def check_name(field: str, value: str) -> str:
    """1 to 60 characters: letters of any script, spaces, hyphens and apostrophes."""
    value = _text(field, value)
    value = unicodedata.normalize("NFC", value)
    if len(value) > NAME_MAX:
        raise InvalidInput(field, "name_format")
    has_letter = False
    for char in value:
        category = unicodedata.category(char)
        if category.startswith("L"):
            has_letter = True
        elif category.startswith("M") and has_letter:
            continue  # a combining accent that NFC could not compose
        elif char not in _NAME_PUNCTUATION:
            raise InvalidInput(field, "name_format")
    if not has_letter:
        raise InvalidInput(field, "name_format")
    return value


def mask_email(email: str) -> str:
    """``marie.dupont@example.fr`` -> ``m***@example.fr``: for logs and auth events."""
    local, _, domain = email.rpartition("@")
    if not local:
        return "***"
    return f"{local[0]}***@{domain}"


def search_key(text: str) -> str:
    """Accent- and case-insensitive form used to search communes (``Éguilles`` -> ``eguilles``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
