"""The high-contrast theme (SPEC §12): every text at least 7:1 on its background.

``tests/ui/test_contrast.py`` renders each screen in it and computes the ratio of every
character's colours (WCAG 2's formula): a colour changed here, or a style of ``kiosk.tcss``,
that falls under 7:1 fails it.
"""

from __future__ import annotations

from textual.theme import Theme

CONTRAST_THEME = Theme(
    name="contrast",
    primary="#0000C8",
    secondary="#FFFFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    success="#00FF00",
    warning="#FFD000",
    error="#FF9C9C",
    dark=True,
    variables={
        "foreground-muted": "#FFFFFF",
        "surface-lighten-2": "#1C1C1C",
        "primary-darken-1": "#00006E",
        "text": "#FFFFFF",
        "text-muted": "#FFFFFF",
        "footer-background": "#000000",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "input-selection-background": "#0000FF",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "button-foreground": "#FFFFFF",
    },
)
"""White and yellow on black, deep blue behind what is active; no information by colour alone
(the checklist keeps its ✓ and ✗, errors their words)."""
