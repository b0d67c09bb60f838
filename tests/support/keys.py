"""The tests' room for Textual's private names: a key's event as the terminal makes it.

``tests/unit/test_textual_internals.py`` checks that every name of :data:`PRIVATE_NAMES` still
exists and that no other module uses one (the product's room is
``kiosk/app/textual_internals.py``, the benchmarks' ``bench/textual_probes.py``).
"""

from __future__ import annotations

from textual import events

PRIVATE_NAMES: dict[str, tuple[str, ...]] = {"textual.keys": ("_character_to_key",)}
"""Every private name used below, by owner."""


def key_for_character(character: str) -> str:
    """Textual's key name for a printable character (``!`` -> ``exclamation_mark``)."""
    from textual.keys import _character_to_key

    return _character_to_key(character)


def key_event(key: str) -> events.Key:
    """The event of one key: a character (``é``, ``@``) or a key name (``enter``, ``f5``)."""
    if len(key) == 1:
        return events.Key(key if key.isalnum() else key_for_character(key), key)
    return events.Key(key, None)
