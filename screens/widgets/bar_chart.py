"""A horizontal bar chart in Unicode blocks: one line per period, its label, bar and value.

Our own, not a plotting widget: six to a dozen bars need no axes, no dependency, and every
figure stays text that a test (or a screen reader) reads as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

_EIGHTHS = " ▏▎▍▌▋▊▉"
"""Partial blocks, from nothing to seven eighths of a cell."""


def bar(value: int, largest: int, width: int) -> str:
    """``value`` as a bar of at most ``width`` cells (``largest`` fills them all), drawn to an
    eighth of a cell; a non-zero value shows at least a sliver."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value * width * 8 / largest))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def bar_chart(rows: Sequence[tuple[str, int]], unit: str, width: int) -> str:
    """The chart of ``rows`` (label, value), one line each, fitting ``width`` columns."""
    if not rows:
        return ""
    label_width = max(len(label) for label, _ in rows)
    values = [f"{value} {unit}" for _, value in rows]
    value_width = max(len(value) for value in values)
    bar_width = max(4, width - label_width - value_width - 4)
    largest = max(value for _, value in rows)
    lines = []
    for (label, value), shown in zip(rows, values, strict=True):
        drawn = bar(value, largest, bar_width)
        lines.append(f"{label:<{label_width}}  {drawn:<{bar_width}}  {shown:>{value_width}}")
    return "\n".join(lines)
