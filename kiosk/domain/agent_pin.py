"""The agent PIN's rules, written once for the service that checks a PIN and for the commands
that make one (``kiosk hash-pin``) or start a kiosk (``kiosk run``)."""

from __future__ import annotations

MIN_LENGTH = 6
"""The fewest characters of a PIN made with ``kiosk hash-pin``."""


def new_pin_problem(pin: str, again: str) -> str | None:
    """Why a new PIN is refused (for the agent's command line, in English), or None."""
    if len(pin) < MIN_LENGTH or pin != again:
        return f"the PIN must have at least {MIN_LENGTH} characters, twice the same"
    return None


def agent_can_leave(pin_hash: str, demo_pin_allowed: bool) -> bool:
    """Whether any PIN opens the kiosk: a configured hash, or else the demo PIN where it is
    allowed (the embedded demo); a kiosk that no PIN opens must not start."""
    return bool(pin_hash) or demo_pin_allowed
