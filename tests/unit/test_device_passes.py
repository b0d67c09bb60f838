"""Device passes: bound to their address under the installation's key, and any other value
(forged, truncated, another address's, not even ASCII) is no pass at all."""

from __future__ import annotations

import pytest

from kiosk.services.device_passes import KioskMemory, failure_key, issue

KEY = "k" * 48


def test_a_pass_is_good_for_its_address_only() -> None:
    device_pass = issue(KEY, "marie")
    key = failure_key(KEY, "marie", device_pass)
    assert key is not None and device_pass.split(".")[0] not in key  # a digest, not the nonce
    assert failure_key(KEY, "paul", device_pass) is None
    assert failure_key("autre" * 10, "marie", device_pass) is None
    assert failure_key(KEY, "marie", issue(KEY, "marie")) != key  # each pass its own count


@pytest.mark.parametrize(
    "value", ["", "abc", "abc.", ".abc", "é.é", "nonce.mac¿'\"(", "x" * 101, "a.b.c"]
)
def test_anything_else_is_no_pass_and_no_error(value: str) -> None:
    assert failure_key(KEY, "marie", value) is None


def test_a_kiosk_remembers_the_latest_passes_only() -> None:
    memory = KioskMemory(size=2)
    for name in ("a", "b", "c"):
        memory.remember(name, f"pass-{name}")
    memory.remember("b", "pass-b2")
    assert (memory.get("a"), memory.get("b"), memory.get("c")) == (None, "pass-b2", "pass-c")
