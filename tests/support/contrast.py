"""The contrast of what a screen shows: WCAG 2's ratio for every character drawn."""

from __future__ import annotations

from typing import Any

from rich.color import Color as RichColor
from rich.style import Style
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget


def luminance(color: RichColor) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""
    triplet = color.get_truecolor()

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in triplet)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: RichColor, second: RichColor) -> float:
    """WCAG 2's contrast ratio, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _drawing(character: str) -> bool:
    """Box drawing and block elements (U+2500 to U+259F): borders and bars, not text."""
    return 0x2500 <= ord(character) <= 0x259F


def drawn_pairs(screen: Screen[Any]) -> dict[tuple[str, str], str]:
    """Each (text colour, background colour) pair drawn on ``screen``, with an example of text
    drawn in it (spaces, and the blocks and lines of borders, are not text)."""
    pairs: dict[tuple[str, str], str] = {}
    widgets: list[Widget] = [screen, *screen.query("*")]
    for widget in widgets:
        if not widget.display or not widget.region or not widget.is_on_screen:
            continue
        for strip in widget.render_lines(Region(0, 0, *widget.outer_size)):
            for segment in strip:
                style: Style | None = segment.style
                text = "".join(char for char in segment.text if not _drawing(char)).strip()
                if not text or style is None or style.color is None or style.bgcolor is None:
                    continue
                color, background = style.color, style.bgcolor
                if style.reverse:
                    color, background = background, color
                key = (color.get_truecolor().hex, background.get_truecolor().hex)
                pairs.setdefault(key, f"{type(widget).__name__}: {text[:30]}")
    return pairs


def below(screen: Screen[Any], ratio: float) -> list[str]:
    """The pairs of ``screen`` whose contrast is under ``ratio``, readable."""
    from rich.color import Color

    low = []
    for (color, background), example in drawn_pairs(screen).items():
        found = contrast(Color.parse(color), Color.parse(background))
        if found < ratio:
            low.append(f"{color} on {background} = {found:.2f}: {example}")
    return low
