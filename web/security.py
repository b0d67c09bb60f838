"""What keeps a request honest: the browser cookie and its CSRF token, cookie attributes, and
the client address behind trusted reverse proxies."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Sequence

from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import Scope

BROWSER_COOKIE = "ec_browser"
"""Random identifier of the browser; the CSRF token is its HMAC under the installation's key."""
SESSION_COOKIE = "ec_session"
"""The opaque session token that the services return (they store only its HMAC)."""
CODE_COOKIE = "ec_code"
"""The code of an e-mailed link (or a reset code typed), kept off the address bar until it is
used; sent only to ``/code``."""
NOTICE_COOKIE = "ec_notice"
"""The catalogue key of a message to show once, after a redirect."""
DEVICE_COOKIE = "ec_device"
"""The device pass of the last account signed in from this browser: its owner is not held by
the wait that strangers' wrong passwords earn (:mod:`kiosk.services.device_passes`)."""
DEVICE_COOKIE_SECONDS = 180 * 24 * 3600
HOST_PREFIX = "__Host-"
"""On https every cookie is ``__Host-``: Secure, Path=/, no Domain, so that a sibling
subdomain can neither plant nor shadow one (a planted browser cookie would forge the CSRF
token, a planted session or grant would put the customer in a stranger's account)."""
DRAFT_COOKIE = "ec_draft"
"""The token of a registration under way (never the password); sent to ``/inscription`` only."""
DRAFT_PATH = "/inscription"
CSRF_FIELD = "csrf_token"
CODE_PATH = "/code"


_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_.-]*")
"""Every value we set is a token, a code or a key: nothing that needs quoting."""


class CookiePolicy:
    """Every cookie HttpOnly and SameSite=Lax; Secure and ``__Host-`` whenever the public
    address is https (then every cookie has Path=/, as the prefix requires).

    The ``Set-Cookie`` lines are written here rather than by ``http.cookies``, which would
    cost a quarter of the landing's time for values that never need quoting.
    """

    def __init__(self, public_url: str) -> None:
        self.secure = public_url.startswith("https://")
        self.prefix = HOST_PREFIX if self.secure else ""
        self._attributes = "; HttpOnly; SameSite=lax" + ("; Secure" if self.secure else "")

    def name(self, name: str) -> str:
        """The name a cookie has in the browser (``__Host-`` on https)."""
        return self.prefix + name

    def get(self, connection: HTTPConnection, name: str) -> str:
        """The value of our cookie ``name`` in the request; empty when absent."""
        return connection.cookies.get(self.prefix + name, "")

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
            "set-cookie",
            f"{self.name(name)}={value}; Path={self._path(path)}{lifetime}{self._attributes}",
        )

    def clear(self, response: Response, name: str, *, path: str = "/") -> None:
        response.headers.append(
            "set-cookie",
            f"{self.name(name)}=; Path={self._path(path)}; Max-Age=0; "
            f"expires=Thu, 01 Jan 1970 00:00:00 GMT{self._attributes}",
        )

    def _path(self, path: str) -> str:
        return "/" if self.secure else path


class CsrfGuard:
    """Double submit tied to the browser: the form's token is an HMAC of the browser cookie."""

    def __init__(self, secret_key: str, cookie: str = BROWSER_COOKIE) -> None:
        self._key = hashlib.sha256(b"web-csrf:" + secret_key.encode()).digest()
        self._cookie = cookie
        """The browser cookie's name (:meth:`CookiePolicy.name`)."""

    def browser_id(self, connection: HTTPConnection) -> str | None:
        """The browser cookie, when it looks like one we set."""
        value = connection.cookies.get(self._cookie, "")
        if 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
            return value
        return None

    @staticmethod
    def new_browser_id() -> str:
        return secrets.token_urlsafe(24)

    def token_for(self, browser_id: str) -> str:
        digest = hmac.digest(self._key, browser_id.encode(), "sha256")
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def verify(self, connection: HTTPConnection, token: str) -> bool:
        """True when ``token`` was made for this browser."""
        browser = self.browser_id(connection)
        if browser is None or not token:
            return False
        # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
        return hmac.compare_digest(self.token_for(browser).encode(), token.encode())


@functools.lru_cache(maxsize=4096)
def canonical_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``text`` as an address, an IPv4-mapped IPv6 address (``::ffff:127.0.0.1``, how a
    dual-stack socket sees an IPv4 peer) as the IPv4 one; None when it is not an address.
    Remembered (the same few addresses come again and again; parsing one costs more than
    the rest of a request's address handling)."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=4096)
def address_text(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """``str(address)``, remembered as :func:`canonical_address` is."""
    return str(address)


IPV6_CLIENT_PREFIX = 64
"""An IPv6 client holds a whole /64 (a phone, a home network): the per-client throttles key
it by that network, not by each of its 2**64 addresses."""

UNKNOWN_CLIENT = "unknown"
"""The client of a request whose forwarded addresses cannot be read: one bucket for all of
them, which no allow-list names."""


@functools.lru_cache(maxsize=4096)
def client_key(address: str) -> str:
    """The key of the per-client throttles for ``address`` (as :class:`ClientAddress` gives
    it): an IPv4 address itself, an IPv6 address its /64."""
    parsed = canonical_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False)
        return str(network)
    return str(parsed) if parsed is not None else address


_CLIENT_IN_SCOPE = "kiosk.client"
"""Where :class:`ClientAddress` keeps a request's client in its ASGI scope."""

FORWARDING_HEADERS = (b"x-forwarded-for", b"forwarded", b"x-real-ip")


def is_forwarded(connection: HTTPConnection) -> bool:
    """Whether the request says a proxy forwarded it (behind a local proxy that
    ``trusted_proxies`` does not name, every customer looks like the loopback)."""
    return any(name in FORWARDING_HEADERS for name, _value in connection.scope["headers"])


class ClientAddress:
    """The customer's address: the peer, or what a trusted proxy says in ``X-Forwarded-For``;
    IPv4-mapped addresses as IPv4, for the peer and every hop."""

    def __init__(self, trusted_proxies: Sequence[str]) -> None:
        self._trusted = tuple(ipaddress.ip_network(item, strict=False) for item in trusted_proxies)

    def _is_trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in self._trusted)

    def trusted_peer(self, connection: HTTPConnection) -> bool:
        """Whether the peer is one of ``trusted_proxies``."""
        peer = canonical_address(connection.client.host if connection.client else "")
        return peer is not None and self._is_trusted(peer)

    def __call__(self, connection: HTTPConnection) -> str:
        """The client of this request (:meth:`of_scope`)."""
        return self.of_scope(connection.scope)

    def of_scope(self, scope: Scope) -> str:
        """The client of this request, read once per request (the access log and the pages
        ask for it), kept in its scope."""
        client: str | None = scope.get(_CLIENT_IN_SCOPE)
        if client is None:
            client = scope[_CLIENT_IN_SCOPE] = self._read(scope)
        return client

    def _read(self, scope: Scope) -> str:
        peer_address = scope.get("client")
        raw_peer = peer_address[0] if peer_address else UNKNOWN_CLIENT
        peer = canonical_address(raw_peer)
        if peer is None:
            return raw_peer
        if not self._trusted or not self._is_trusted(peer):
            return address_text(peer)
        forwarded = ",".join(
            value.decode("latin-1")
            for name, value in scope["headers"]
            if name == b"x-forwarded-for"
        )
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        # Read from the right: each trusted proxy appended the address it saw; the first
        # address that is not one of ours is the client (anything left of it can be forged).
        # A hop that is no address ends the reading: the client is unknown, never the proxy
        # (which may read /metrics).
        last: ipaddress.IPv4Address | ipaddress.IPv6Address = peer
        for hop in reversed(hops):
            address = canonical_address(hop)
            if address is None:
                return UNKNOWN_CLIENT
            if not self._is_trusted(address):
                return address_text(address)
            last = address
        return address_text(last)
