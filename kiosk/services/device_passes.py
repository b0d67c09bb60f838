"""Device passes (OWASP's device cookies): an owner is not held by strangers' wrong passwords.

A sign-in, an activation or a completed reset hands the browser (a cookie) or the kiosk (its
memory) a pass for that address: ``<nonce>.<mac>``, the MAC binding the nonce to the address
under the installation's key, so nothing is stored. A sign-in that presents a valid pass for
its address is not held by the address's wait, which strangers' failures earn; its own
failures count against the pass alone, which then waits as an address would. A sign-in
without one is an untrusted client: the address's wait holds it, as before.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections import OrderedDict

from kiosk.domain import codes

DEVICE_FAILURES = "device_signin_failed"
"""Failed sign-ins made with a pass, keyed by the digest of its nonce."""

KIOSK_MEMORY = 1000
"""Passes a kiosk remembers (the addresses last signed in there); the oldest goes first."""


def _mac(secret_key: str, email_key: str, nonce: str) -> str:
    key = hashlib.sha256(b"device-pass:" + secret_key.encode()).digest()
    digest = hmac.digest(key, f"{email_key}\n{nonce}".encode(), "sha256")
    return base64.urlsafe_b64encode(digest[:18]).decode()


def issue(secret_key: str, email_key: str) -> str:
    """A new pass for the address whose key is ``email_key``."""
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_mac(secret_key, email_key, nonce)}"


def failure_key(secret_key: str, email_key: str, device_pass: str | None) -> str | None:
    """The key under which the failures of ``device_pass`` count; None when it is no valid
    pass for this address (then the sign-in is an untrusted client's)."""
    if not device_pass or len(device_pass) > 100:
        return None
    nonce, dot, mac = device_pass.partition(".")
    expected = _mac(secret_key, email_key, nonce).encode()
    # As bytes: a cookie may hold anything, and compare_digest refuses non-ASCII str.
    if not dot or not nonce or not hmac.compare_digest(mac.encode(), expected):
        return None
    return codes.token_digest(secret_key, "device:" + nonce)


class KioskMemory:
    """The passes a kiosk was handed, by address: the kiosk's equivalent of a browser's
    cookie. Kept in memory (a restart forgets them: the address's wait holds again)."""

    def __init__(self, size: int = KIOSK_MEMORY) -> None:
        self._size = size
        self._passes: OrderedDict[str, str] = OrderedDict()

    def get(self, email_key: str) -> str | None:
        return self._passes.get(email_key)

    def remember(self, email_key: str, device_pass: str) -> None:
        self._passes[email_key] = device_pass
        self._passes.move_to_end(email_key)
        while len(self._passes) > self._size:
            self._passes.popitem(last=False)
