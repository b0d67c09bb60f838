"""One-time codes: generation, Crockford normalisation, link parsing and HMAC digest."""

from __future__ import annotations

import hmac
import re
import secrets
from urllib.parse import parse_qs, urlsplit

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O, U."""
CODE_LENGTH = 12
"""12 symbols of 5 bits: 60 bits."""
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CANONICAL = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
"""12 symbols of the alphabet, nothing else."""


def generate_code() -> str:
    """A fresh code, formatted ``XXXX-XXXX-XXXX``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    """``ABCD1234WXYZ`` -> ``ABCD-1234-WXYZ``."""
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_link(public_url: str, code: str, language: str = "fr") -> str:
    """The link an e-mail carries: ``<public_url>/code?c=XXXX-XXXX-XXXX``, and ``&lang=en``
    when the e-mail is in English (the page opens in it)."""
    link = f"{public_url.rstrip('/')}/code?c={code}"
    return link if language == "fr" else f"{link}&lang={language}"


def normalise_code(text: str) -> str | None:
    """The 12 canonical symbols of a typed code or pasted link, or None when it cannot be one.

    Case, dashes and spaces are ignored; ``O`` reads ``0``; ``I`` and ``L`` read ``1``.
    """
    text = text.strip()
    if "?" in text or "://" in text:
        query = parse_qs(urlsplit(text).query)
        values = query.get("c")
        if not values or len(values) != 1:
            return None
        text = values[0]
    if len(text) > 40:
        return None
    candidate = text.replace("-", "").replace(" ", "").upper().translate(_CONFUSABLES)
    return candidate if _is_canonical(candidate) else None


def _is_canonical(code: str) -> bool:
    return _CANONICAL.fullmatch(code) is not None


def code_digest(secret_key: str, code: str) -> str:
    """HMAC-SHA256 of the canonical code under the installation's key: all that is stored."""
    canonical = code if _is_canonical(code) else (normalise_code(code) or code)
    return hmac.digest(secret_key.encode(), canonical.encode(), "sha256").hex()


def token_digest(secret_key: str, token: str) -> str:
    """HMAC-SHA256 of an opaque token (sessions, registrations) under the installation's key."""
    return hmac.digest(secret_key.encode(), b"token:" + token.encode(), "sha256").hex()


def new_token() -> str:
    """An opaque random token for sessions and registration receipts."""
    return secrets.token_urlsafe(32)
