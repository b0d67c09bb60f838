"""Typing: a key in ``#password`` to the checklist ``#password-rules`` updated, beside a bare
Textual Input whose ``Input.Changed`` handler does nothing.

Not named ``typing.py``: run as ``python bench/typing.py``, that file would be imported for the
standard library's ``typing`` by every module of the process.

Both apps run in-process under ``run_test`` (headless, 100x32). Each key goes in by the driver's
own path (``driver.send_message``, as the terminal's input thread does), one at a time, 40 ms
apart (a fast typist), so that no key waits behind another. Timestamps:

- *handled*: the key sent -> ``PasswordChecklist.show_rules`` returned (kiosk) or the app's
  ``Input.Changed`` handler ran (bare);
- *painted*: the key sent -> the end of the first frame that started after that (kiosk) or
  after the Input's value changed (bare): layout, compositor and the terminal sequence, which
  the headless driver skips and this script builds (``render_segments``) to count it;
- *frame*: the work of that frame alone.

Usage: python bench/typing_latency.py [KEYS]   (default 480, after 48 keys of warm-up)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bare_app import BareApp
from textual.app import App
from textual.widgets import Input
from textual_probes import key_event, send_from_terminal, time_frames, time_value_changes

from kiosk.app import KioskApp
from kiosk.config import Settings
from kiosk.runtime import Runtime, build_runtime, initialise_database
from screens.identity import IdentityScreen
from screens.widgets.password_checklist import PasswordChecklist

SIZE = (100, 32)
PASSWORD = "Ruisseau-42!"
CYCLE = [*PASSWORD, *["backspace"] * len(PASSWORD)]
"""Type the password, then erase it: every key changes the value and the checklist."""
KEY_GAP = 0.040
WARM_UP = 2 * len(CYCLE)


class Probe:
    """Timestamps of one key's journey, filled in by the wrappers below."""

    def __init__(self) -> None:
        self.armed = False
        self.value_changed = 0.0
        self.updated = 0.0
        self.frames: list[tuple[float, float]] = []
        self.signal = asyncio.Event()

    def arm(self) -> None:
        self.armed = True
        self.value_changed = self.updated = 0.0
        self.frames.clear()
        self.signal.clear()

    def mark_value(self) -> None:
        if self.armed and not self.value_changed:
            self.value_changed = time.perf_counter()

    def mark_updated(self) -> None:
        if self.armed and not self.updated:
            self.updated = time.perf_counter()
            self.signal.set()

    def mark_frame(self, started: float, ended: float) -> None:
        if self.armed:
            self.frames.append((started, ended))
            self.signal.set()


class Idle(Probe):
    """The probe before any key is sent: it notes nothing."""

    def __init__(self) -> None:
        super().__init__()


PROBE: Probe = Idle()
"""The probe of the keys being measured (one app at a time)."""


def probe() -> Probe:
    return PROBE


def instrument() -> None:
    """Wrap, for this process only, the points where the timestamps are taken."""
    show_rules: Callable[[PasswordChecklist], None] = PasswordChecklist.show_rules

    def value_changed(field: Input) -> None:
        if field.id == "password":
            probe().mark_value()

    def timed_show_rules(self: PasswordChecklist) -> None:
        show_rules(self)
        probe().mark_updated()

    time_value_changes(value_changed)
    time_frames(lambda started, ended: probe().mark_frame(started, ended), time.perf_counter)
    setattr(PasswordChecklist, "show_rules", timed_show_rules)  # noqa: B010


class BareTypingApp(BareApp):
    """The anchor: the bare app with its Input, and a handler that only notes the change."""

    def __init__(self) -> None:
        super().__init__(with_input=True)

    def on_input_changed(self, event: Input.Changed) -> None:
        probe().mark_updated()


Sample = tuple[float, float, float]
"""handled, painted, frame work (seconds) of one key."""


async def type_keys(app: App[Any], keys: int, kiosk: bool) -> list[Sample]:
    global PROBE
    PROBE = Probe()
    samples: list[Sample] = []
    for n in range(WARM_UP + keys):
        await asyncio.sleep(KEY_GAP)
        event = key_event(CYCLE[n % len(CYCLE)])
        event.set_sender(app)
        PROBE.arm()
        sent = time.perf_counter()
        send_from_terminal(app, event)
        deadline = sent + 1.0
        frame: tuple[float, float] | None = None
        while frame is None and time.perf_counter() < deadline:
            try:
                await asyncio.wait_for(PROBE.signal.wait(), 1.0)
            except TimeoutError:
                break
            PROBE.signal.clear()
            after = PROBE.updated if kiosk else PROBE.value_changed
            if PROBE.updated and after:
                frame = next((f for f in PROBE.frames if f[0] >= after), None)
        PROBE.armed = False
        if frame is None or not PROBE.updated:
            raise RuntimeError(f"key {n} ({CYCLE[n % len(CYCLE)]!r}) was not handled and painted")
        if n >= WARM_UP:
            samples.append((PROBE.updated - sent, frame[1] - sent, frame[1] - frame[0]))
    return samples


async def measure_bare(keys: int) -> list[Sample]:
    app = BareTypingApp()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#password", Input).focus()
        await pilot.pause()
        return await type_keys(app, keys, kiosk=False)


async def measure_kiosk(runtime: Runtime, keys: int) -> list[Sample]:
    app = KioskApp(runtime.services, runtime.settings)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.push_screen(IdentityScreen())
            await pilot.pause()
            app.screen.query_one("#password", Input).focus()
            await pilot.pause()
            samples = await type_keys(app, keys, kiosk=True)
            if app.recovery.unexpected_errors:
                raise RuntimeError(f"the kiosk failed: {app.recovery.unexpected_errors}")
            return samples
    finally:
        await runtime.close()


def kiosk_settings(folder: Path) -> Settings:
    """An installation as the tests build it: SQLite in the folder, the demo data."""
    return Settings(
        data_dir=folder,
        secret_key="bench-secret-key-" + "x" * 32,
        kiosk_id="bench",
        demo_data=True,
        hash_concurrency=2,
    )


async def prepare(settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        await initialise_database(runtime)
    finally:
        await runtime.close()


def summary(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p99 = ordered[max(0, round(len(ordered) * 0.99) - 1)]
    return statistics.median(ordered) * 1000, p99 * 1000


def main() -> None:
    keys = int(sys.argv[1]) if len(sys.argv) > 1 else 480
    instrument()
    with tempfile.TemporaryDirectory() as tmp:
        settings = kiosk_settings(Path(tmp))
        asyncio.run(prepare(settings))  # the database is ready before the app, as in `kiosk run`
        bare = asyncio.run(measure_bare(keys))
        kiosk = asyncio.run(measure_kiosk(build_runtime(settings), keys))
    print(
        f"typing in #password, {keys} keys ({len(PASSWORD)} typed, then erased), "
        f"{KEY_GAP * 1000:.0f} ms apart, headless {SIZE[0]}x{SIZE[1]}"
    )
    labels = (
        "key -> handled (kiosk: checklist updated; bare: Input.Changed handler)",
        "key -> painted (first frame after that: layout, compositor, terminal sequence)",
        "frame work alone (that frame)",
    )
    for index, label in enumerate(labels):
        b50, b99 = summary([sample[index] for sample in bare])
        k50, k99 = summary([sample[index] for sample in kiosk])
        print(label)
        print(f"  anchor, bare Textual Input: median {b50:6.2f} ms, p99 {b99:6.2f} ms")
        print(
            f"  kiosk #password:            median {k50:6.2f} ms, p99 {k99:6.2f} ms  "
            f"ratio median {k50 / b50:.2f}x, p99 {k99 / b99:.2f}x"
        )
    k50, k99 = summary([sample[0] for sample in kiosk])
    b50, _ = summary([sample[0] for sample in bare])
    print(
        f"target: handled median <= 1.5x the bare Input ({k50 / b50:.2f}x), "
        f"p99 < 16 ms ({k99:.2f} ms)"
    )


if __name__ == "__main__":
    main()
