"""The client address behind trusted proxies: X-Forwarded-For is believed only from them."""

from __future__ import annotations

import pytest
from starlette.requests import HTTPConnection

from web.security import ClientAddress


def connection(peer: str, *forwarded: str) -> HTTPConnection:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return HTTPConnection(
        {"type": "http", "client": (peer, 40000), "headers": headers, "path": "/"}
    )


PROXIES = ClientAddress(["10.0.0.0/8", "2001:db8::1"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        # No trusted proxy configured: the peer, whatever the header says.
        ("198.51.100.4", ("203.0.113.9",), "198.51.100.4"),
        # A trusted proxy: the address it saw.
        ("10.0.0.2", ("203.0.113.9",), "203.0.113.9"),
        ("2001:db8::1", ("203.0.113.9",), "203.0.113.9"),
        # A client that forges the header: the first untrusted address from the right wins.
        ("10.0.0.2", ("192.0.2.66, 203.0.113.9",), "203.0.113.9"),
        # Two proxies of ours in a chain.
        ("10.0.0.2", ("203.0.113.9, 10.0.0.3",), "203.0.113.9"),
        # Two header lines are one list.
        ("10.0.0.2", ("192.0.2.66", "203.0.113.9"), "203.0.113.9"),
        # Not an address: an unknown client, never the proxy (which may read /metrics).
        ("10.0.0.2", ("unknown",), "unknown"),
        # No header from a proxy: the proxy.
        ("10.0.0.2", (), "10.0.0.2"),
    ],
)
def test_forwarded_for_is_read_only_from_trusted_proxies(
    peer: str, forwarded: tuple[str, ...], expected: str
) -> None:
    resolver = PROXIES if peer.startswith(("10.", "2001:db8")) else ClientAddress([])
    assert resolver(connection(peer, *forwarded)) == expected


def test_an_untrusted_peer_cannot_choose_its_address() -> None:
    assert PROXIES(connection("198.51.100.4", "203.0.113.9")) == "198.51.100.4"
