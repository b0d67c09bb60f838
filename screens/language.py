"""The language the kiosk shows: the screens and widgets write their texts in it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import ActiveBinding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer

from kiosk.domain.catalogue import FRENCH, text
from kiosk.translations import SOURCE_LANGUAGE, supported


def language_of(node: DOMNode) -> str:
    """The language chosen at the terminal (the app's ``language``: French until a customer
    switches, and again after them)."""
    return supported(getattr(node.app, "language", None))


FOOTER_KEYS = (
    "key_back",
    "key_escape",
    "key_reveal",
    "key_create",
    "key_login",
    "key_forgot",
    "key_code",
    "key_language",
    "key_change_password",
    "key_logout",
    "button_home",
    "button_close",
    "button_cancel",
)
"""The catalogue keys of the texts a Footer shows (the bindings' descriptions and key names,
written in French in the screens' ``BINDINGS``)."""

_FOOTER_KEY_OF = {FRENCH[key]: key for key in FOOTER_KEYS}


def footer_text(french: str, language: str) -> str:
    """A binding's French description or key name, in ``language``."""
    key = _FOOTER_KEY_OF.get(french)
    return french if key is None else text(key, language)


def translated_bindings(
    bindings: dict[str, ActiveBinding], language: str
) -> dict[str, ActiveBinding]:
    """The bindings a Footer shows, their descriptions and key names in ``language``."""
    if language == SOURCE_LANGUAGE:
        return bindings
    return {
        key: active._replace(
            binding=replace(
                active.binding,
                description=footer_text(active.binding.description, language),
                key_display=(
                    footer_text(active.binding.key_display, language)
                    if active.binding.key_display
                    else active.binding.key_display
                ),
            )
        )
        for key, active in bindings.items()
    }


def relabel_footer(screen: Screen[Any]) -> None:
    """The labels of the screen's Footer in its language, changed in place.

    Textual's own way (``refresh_bindings``) recomposes the Footer: it mounts and styles every
    key again, over a frame of the loop's time; here each key keeps its widget and only its two
    texts change (``FooterKey.description`` and ``key_display``, public attributes).
    """
    bindings = {active.binding.action: active.binding for active in screen.active_bindings.values()}
    for footer in screen.query(Footer):
        for widget in footer.query("FooterKey"):
            key: Any = widget  # Textual's FooterKey, which textual.widgets does not export
            binding = bindings.get(key.action)
            if binding is not None:
                key.description = binding.description
                key.key_display = screen.app.get_key_display(binding)
                key.refresh(layout=True)
