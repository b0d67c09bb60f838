"""Progress of the long commands (imports, synthetic subscribers, purge) for a person at a
terminal: a Rich bar with rows per second and time left. Without a terminal (cron, CI) it
draws nothing, and the command's own summary line is all there is.

Only the command line imports this module: nothing below the entry points knows a terminal.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, TaskID, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from kiosk.domain.progress import Progress, ProgressCallback, ignore_progress

REFRESH_SECONDS = 0.5
"""The bar is redrawn at most this often (a drawing costs 0.5 to 1.5 ms), from
the task's own reports: no refresh thread competes with a million-row import."""


class ProgressBar:
    """``with ProgressBar("subscribers.csv") as progress: await import_(..., progress=progress)``.

    The callback draws a bar on ``console`` (standard error by default) when it is a
    terminal, and does nothing otherwise.
    """

    def __init__(self, description: str, *, console: Console | None = None) -> None:
        self.console = console if console is not None else Console(stderr=True)
        self.description = description
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        self._started = 0.0
        self._drawn = 0.0

    @property
    def shown(self) -> bool:
        """Whether a bar is drawn (the console is a terminal)."""
        return self.console.is_terminal

    def __enter__(self) -> ProgressCallback:
        if not self.shown:
            return ignore_progress
        # Few columns: each costs layout time at every drawing (seven took 1.4 ms, four 0.6).
        self._bar = RichProgress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn(
                "{task.percentage:>3.0f}% {task.fields[rows]:>11,} rows "
                "{task.fields[rate]:>14} time left"
            ),
            TimeRemainingColumn(),
            console=self.console,
            auto_refresh=False,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.description, total=None, rows=0, rate="")
        self._started = self._drawn = time.perf_counter()
        return self.update

    def update(self, progress: Progress) -> None:
        """Move the bar to ``progress``; redraw when the last drawing is old enough."""
        assert self._bar is not None and self._task is not None
        now = time.perf_counter()
        elapsed = now - self._started
        rate = f"{progress.rows / elapsed:,.0f} rows/s" if elapsed > 0 and progress.rows else ""
        self._bar.update(
            self._task,
            completed=progress.done,
            total=progress.total,
            rows=progress.rows,
            rate=rate,
        )
        finished = progress.total is not None and progress.done >= progress.total
        if finished or now - self._drawn >= REFRESH_SECONDS:
            self._bar.refresh()
            self._drawn = now

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.refresh()
            self._bar.stop()
            self._bar = None
