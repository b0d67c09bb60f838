"""What keeps a request honest: the browser cookie and its CSRF token, cookie attributes, and
the client address behind trusted reverse proxies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Sequence

from starlette.requests import HTTPConnection
from starlette.responses import Response

BROWSER_COOKIE = "ec_browser"
"""Random identifier of the browser; the CSRF token is its HMAC under the installation's key."""
SESSION_COOKIE = "ec_session"
"""The opaque session token that the services return (they store only its HMAC)."""
CODE_COOKIE = "ec_code"
"""The code of an e-mailed link, kept off the address bar; sent only to ``/code``."""
GRANT_COOKIE = "ec_grant"
"""The grant of a reset code already used, while the new password is being chosen."""
NOTICE_COOKIE = "ec_notice"
"""The catalogue key of a message to show once, after a redirect."""
DRAFT_COOKIE = "ec_draft"
"""The token of a registration under way (never the password); sent to ``/inscription`` only."""
DRAFT_PATH = "/inscription"
CSRF_FIELD = "csrf_token"
CODE_PATH = "/code"


_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_.-]*")
"""Every value we set is a token, a code or a key: nothing that needs quoting."""


class CookiePolicy:
    """Every cookie HttpOnly and SameSite=Lax; Secure whenever the public address is https.

    The ``Set-Cookie`` lines are written here rather than by ``http.cookies``, which would
    cost a quarter of the landing's time for values that never need quoting.
    """

    def __init__(self, public_url: str) -> None:
        self.secure = public_url.startswith("https://")
        self._attributes = "; HttpOnly; SameSite=lax" + ("; Secure" if self.secure else "")

    def set(
        self,
        response: Response,
        name: str,
        value: str,
        *,
        path: str = "/",
        max_age: int | None = None,
    ) -> None:
        if not _COOKIE_VALUE.fullmatch(value):
            raise ValueError(f"cookie {name}: a value that would need quoting")
        lifetime = f"; Max-Age={max_age}" if max_age is not None else ""
        response.headers.append(
            "set-cookie", f"{name}={value}; Path={path}{lifetime}{self._attributes}"
        )

    def clear(self, response: Response, name: str, *, path: str = "/") -> None:
        response.headers.append(
            "set-cookie",
            f"{name}=; Path={path}; Max-Age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT"
            f"{self._attributes}",
        )


class CsrfGuard:
    """Double submit tied to the browser: the form's token is an HMAC of the browser cookie."""

    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"web-csrf:" + secret_key.encode()).digest()

    @staticmethod
    def browser_id(connection: HTTPConnection) -> str | None:
        """The browser cookie, when it looks like one we set."""
        value = connection.cookies.get(BROWSER_COOKIE, "")
        if 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
            return value
        return None

    @staticmethod
    def new_browser_id() -> str:
        return secrets.token_urlsafe(24)

    def token_for(self, browser_id: str) -> str:
        digest = hmac.new(self._key, browser_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def verify(self, connection: HTTPConnection, token: str) -> bool:
        """True when ``token`` was made for this browser."""
        browser = self.browser_id(connection)
        if browser is None or not token:
            return False
        return hmac.compare_digest(self.token_for(browser), token)


class ClientAddress:
    """The customer's address: the peer, or what a trusted proxy says in ``X-Forwarded-For``."""

    def __init__(self, trusted_proxies: Sequence[str]) -> None:
        self._trusted = tuple(ipaddress.ip_network(item, strict=False) for item in trusted_proxies)

    def _is_trusted(self, address: str) -> bool:
        try:
            parsed = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(parsed in network for network in self._trusted)

    def __call__(self, connection: HTTPConnection) -> str:
        peer = connection.client.host if connection.client else "unknown"
        if not self._trusted or not self._is_trusted(peer):
            return peer
        forwarded = ",".join(connection.headers.getlist("x-forwarded-for"))
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        # Read from the right: each trusted proxy appended the address it saw; the first
        # address that is not one of ours is the client (anything left of it can be forged).
        for hop in reversed(hops):
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                return peer
            if not self._is_trusted(hop):
                return hop
        return hops[0] if hops else peer
