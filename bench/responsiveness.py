"""Responsiveness: the longest event-loop stall during a full registration through the kiosk app,
then a tour of the dashboard's services (invoices, one invoice sent by e-mail, consumption,
meter reading).

The app runs under ``run_test`` (headless, 100x32) on real parts: argon2id with the production
profile (RFC 9106 low memory), a SQLite file, and the outbox worker and the purge task running
in the app as under ``kiosk run``, sending to a real aiosmtpd on loopback. The SMTP server runs
in a process of its own (as a real relay would), so that its Python code does not share the
kiosk's interpreter lock; it writes each message to a folder, where this script reads the code.

The keyboard drives it, every character: Welcome -> F2 -> commune ->
identity -> contract -> submit -> code (from the delivered e-mail) -> dashboard. Each key
reaches the app as the terminal's input thread hands it over (the driver's ``send_message``),
one every 20 ms; with ``--pilot``, through Textual's test pilot instead (``pilot.press``, which
after each key waits for every widget of the screen to be idle: work of the test harness, on
the same event loop, that a terminal does not do). Meanwhile a
monitor task sleeps 1 ms at a time and records every gap between its wake-ups; a watchdog
thread samples the event-loop thread's stack whenever the monitor is more than 4 ms late, and
garbage collections are timed, so that each long stall comes with what was running.

Each gap is measured twice: on the wall clock (what the customer sees), and as the CPU time
the event-loop thread spent in it (``time.thread_time``): on a machine busy with other work,
a gap of the wall clock also holds the time the system gave to other processes, which the
kiosk cannot help; the CPU time is the kiosk's own work (it leaves out the time the loop waits
for the interpreter lock held by the kiosk's own threads, which the wall clock shows).

With ``--speech``, the kiosk speaks all along (SPEC §12): espeak-ng synthesises every sentence
in a subprocess, as on a kiosk, its sound discarded (a benchmark machine has no sound card),
and every key kills the one speaking.

Usage: python bench/responsiveness.py [--pilot] [--speech]
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import gc
import multiprocessing
import os
import re
import socket
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from textual_probes import key_event, send_from_terminal

from kiosk.app import KioskApp
from kiosk.config import Settings
from kiosk.runtime import build_runtime, initialise_database
from screens.code import CodeScreen
from screens.commune import CommuneScreen
from screens.consumption import ConsumptionScreen
from screens.contract import ContractScreen
from screens.dashboard import DashboardScreen
from screens.identity import IdentityScreen
from screens.invoice_detail import InvoiceDetailScreen
from screens.invoices import InvoicesScreen
from screens.reading import ReadingScreen

SIZE = (100, 32)
CONTRACT, METER = "1234567", "A12B345678"
EMAIL, PASSWORD = "marie.dupont@example.fr", "Ruisseau-42!"
CODE_PATTERN = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")
TICK = 0.001
LATE = 0.004
"""The watchdog samples the loop thread's stack when the monitor is this late."""
KEY_GAP = 0.02
"""Between two keys sent as the terminal sends them: a fast typist."""
FRAME = 0.016
"""The target: no stall over one frame (60 Hz), in any phase."""
SPEECH_COMMAND = "espeak-ng -v {voice} --stdout > /dev/null"
"""``--speech``: the kiosk's synthesis, without ``aplay`` (no sound card here)."""


# -- the SMTP server, in a process of its own --------------------------------------------------


class FolderSink:
    """aiosmtpd handler: each message becomes a file of the folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        (self.folder / f"{self.count:04d}.tmp").write_bytes(envelope.content)
        (self.folder / f"{self.count:04d}.tmp").rename(self.folder / f"{self.count:04d}.eml")
        return "250 OK"


def serve_smtp(port: int, folder: str, ready: Any) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(FolderSink(Path(folder)), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()  # until terminated


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# -- the monitor, the watchdog, the collections ------------------------------------------------


@dataclass
class Stall:
    gap: float
    phase: str
    started: float
    stacks: list[tuple[str, ...]] = field(default_factory=list)
    collections: list[tuple[int, float]] = field(default_factory=list)


class LoopWatch:
    """Gaps between the monitor's wake-ups, with the phase of the flow and the stacks seen."""

    def __init__(self) -> None:
        self.phase = "start"
        self.gaps: list[tuple[float, str, float]] = []
        self.work: list[tuple[float, str]] = []
        """The loop thread's CPU time in each gap, and the phase."""
        self.heartbeat = self.started = time.perf_counter()
        self.loop_thread = threading.get_ident()
        self.samples: dict[float, list[tuple[str, ...]]] = {}
        self.collections: list[tuple[float, float, int]] = []
        self._gc_started = 0.0
        self._running = False

    async def monitor(self) -> None:
        self._running = True
        self.heartbeat = self.started = time.perf_counter()
        cpu = time.thread_time()
        while self._running:
            await asyncio.sleep(TICK)
            now, now_cpu = time.perf_counter(), time.thread_time()
            self.gaps.append((now - self.heartbeat, self.phase, self.heartbeat))
            self.work.append((now_cpu - cpu, self.phase))
            self.heartbeat, cpu = now, now_cpu

    def stop(self) -> None:
        self._running = False

    def watchdog(self) -> None:
        """In a thread: sample the loop thread's stack while the monitor is late."""
        while self._running or not self.gaps:
            time.sleep(0.002)
            beat = self.heartbeat
            if time.perf_counter() - beat > LATE:
                frame = sys._current_frames().get(self.loop_thread)
                if frame is not None:
                    stack = tuple(
                        f"{Path(f.filename).name}:{f.lineno} {f.name}"
                        for f in traceback.extract_stack(frame)
                    )
                    self.samples.setdefault(beat, []).append(stack)

    def on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.collections.append(
                (self._gc_started, time.perf_counter() - self._gc_started, info["generation"])
            )

    def stalls(self, count: int) -> list[Stall]:
        longest = sorted(self.gaps, reverse=True)[:count]
        found = []
        for gap, phase, started in longest:
            stall = Stall(gap, phase, started, self.samples.get(started, []))
            stall.collections = [
                (generation, duration)
                for at, duration, generation in self.collections
                if started <= at <= started + gap
            ]
            found.append(stall)
        return found


def where(stack: tuple[str, ...]) -> str:
    """The innermost frames of a sampled stack, newest last."""
    return " <- ".join(reversed(stack[-4:]))


# -- the flow ----------------------------------------------------------------------------------


async def wait_for(condition: Any, timeout: float = 30) -> None:
    """Poll ``condition``; a plain sleep, not ``pilot.pause``, which paints the screen itself
    at every poll: loop work of the harness that a terminal does not do."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("the kiosk did not get there in time")
        await asyncio.sleep(0.02)


def shown(app: KioskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


class Keyboard:
    """Sends keys to the app, as the terminal does or through the pilot."""

    def __init__(self, app: KioskApp, pilot: Pilot[None], *, through_pilot: bool) -> None:
        self.app, self.pilot, self.through_pilot = app, pilot, through_pilot

    async def press(self, *keys: str) -> None:
        if self.through_pilot:
            await self.pilot.press(*keys)
            return
        for key in keys:
            await asyncio.sleep(KEY_GAP)
            event = key_event(key)
            event.set_sender(self.app)
            send_from_terminal(self.app, event)


async def type_text(keyboard: Keyboard, value: str) -> None:
    await keyboard.press(*value)


async def read_code(folder: Path, timeout: float = 30) -> str:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        for path in sorted(folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            body = message.get_body(preferencelist=("plain",))
            match = CODE_PATTERN.search(body.get_content() if body is not None else "")
            if match:
                return match.group(0)
        await asyncio.sleep(0.05)
    raise RuntimeError("no activation e-mail arrived")


async def register(app: KioskApp, keyboard: Keyboard, watch: LoopWatch, mails: Path) -> None:
    watch.phase = "welcome -> commune (F2)"
    await keyboard.press("f2")
    await wait_for(lambda: isinstance(app.screen, CommuneScreen))
    watch.phase = "commune: typing and searching"
    await type_text(keyboard, "velaux")
    await keyboard.press("enter")
    await wait_for(lambda: shown(app, "#operator") != "")
    watch.phase = "commune -> identity"
    await keyboard.press("enter")
    await wait_for(lambda: isinstance(app.screen, IdentityScreen))
    watch.phase = "identity: typing"
    for value in ("Dupont", "Marie", EMAIL, PASSWORD, PASSWORD):
        await type_text(keyboard, value)
        await keyboard.press("enter")
    await wait_for(lambda: isinstance(app.screen, ContractScreen))
    watch.phase = "contract: typing"
    await type_text(keyboard, CONTRACT)
    await keyboard.press("enter")
    await type_text(keyboard, METER)
    watch.phase = "submit: argon2 hash, database, outbox"
    await keyboard.press("enter")
    await wait_for(lambda: isinstance(app.screen, CodeScreen))
    watch.phase = "code screen: the mail worker sends (SMTP)"
    code = await read_code(mails)
    watch.phase = "code: typing"
    await type_text(keyboard, code)
    watch.phase = "redeem, dashboard"
    await keyboard.press("enter")
    await wait_for(lambda: isinstance(app.screen, DashboardScreen))
    await wait_for(lambda: CONTRACT in shown(app, "#contract-summary"))
    watch.phase = "dashboard shown"
    await asyncio.sleep(0.5)


async def services_tour(app: KioskApp, keyboard: Keyboard, watch: LoopWatch) -> None:
    """The dashboard's services (SPEC §9): each new screen opened with its key."""
    watch.phase = "dashboard -> invoices (F7)"
    await keyboard.press("f7")
    await wait_for(lambda: isinstance(app.screen, InvoicesScreen))
    await wait_for(lambda: app.screen.query_one("#invoices", DataTable).row_count == 6)
    watch.phase = "invoices -> invoice detail (Enter)"
    await keyboard.press("enter")
    await wait_for(lambda: isinstance(app.screen, InvoiceDetailScreen))
    await wait_for(lambda: "€" in shown(app, "#invoice-detail"))
    watch.phase = "send the invoice (PDF into the outbox)"
    await keyboard.press("enter")
    await wait_for(lambda: shown(app, "#invoice-sent") != "")
    watch.phase = "back to the dashboard"
    await keyboard.press("escape")
    await keyboard.press("escape")
    await wait_for(lambda: isinstance(app.screen, DashboardScreen))
    watch.phase = "dashboard -> consumption (F9)"
    await keyboard.press("f9")
    await wait_for(lambda: isinstance(app.screen, ConsumptionScreen))
    await wait_for(lambda: "m³" in shown(app, "#consumption"))
    await keyboard.press("escape")
    await wait_for(lambda: isinstance(app.screen, DashboardScreen))
    watch.phase = "dashboard -> meter reading (F11)"
    await keyboard.press("f11")
    await wait_for(lambda: isinstance(app.screen, ReadingScreen))
    await wait_for(lambda: "m³" in shown(app, "#last-reading"))
    watch.phase = "meter reading: typing and recording"
    await type_text(keyboard, "500")
    await keyboard.press("enter")
    await wait_for(lambda: isinstance(app.screen, DashboardScreen))
    watch.phase = "dashboard shown again"
    await asyncio.sleep(0.5)


async def run_flow(settings: Settings, mails: Path, through_pilot: bool) -> LoopWatch:
    runtime = build_runtime(settings)  # the production argon2 profile, SMTP from the settings
    app = KioskApp(
        runtime.services,
        settings,
        background=[runtime.services.maintenance.purge_forever, runtime.worker.run_forever],
        manage_garbage=True,  # as kiosk run does
    )
    watch = LoopWatch()
    gc.callbacks.append(watch.on_gc)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)  # the Welcome screen painted, the background tasks started
            monitor = asyncio.create_task(watch.monitor())
            sampler = threading.Thread(target=watch.watchdog, daemon=True)
            sampler.start()
            try:
                keyboard = Keyboard(app, pilot, through_pilot=through_pilot)
                await register(app, keyboard, watch, mails)
                await services_tour(app, keyboard, watch)
            finally:
                watch.stop()
                await monitor
                sampler.join()
            if app.recovery.unexpected_errors:
                raise RuntimeError(f"the kiosk failed: {app.recovery.unexpected_errors}")
    finally:
        gc.callbacks.remove(watch.on_gc)
        await runtime.close()
    return watch


async def prepare(settings: Settings) -> None:
    runtime = build_runtime(settings)
    try:
        await initialise_database(runtime)
    finally:
        await runtime.close()


def report(watch: LoopWatch, seconds: float, load: float, keys: str) -> None:
    gaps = sorted(gap for gap, _, _ in watch.gaps)
    p99 = gaps[max(0, round(len(gaps) * 0.99) - 1)]
    worst = watch.stalls(8)
    longest_work = max(work for work, _ in watch.work)
    print(
        f"event-loop stalls during a full registration ({seconds:.1f} s, {len(gaps):,} "
        f"wake-ups of a {TICK * 1000:.0f} ms monitor; load average {load:.2f} at the start)"
    )
    print(f"  keys sent {keys}")
    print(
        f"  longest stall: {worst[0].gap * 1000:.1f} ms (target < {FRAME * 1000:.0f} ms), "
        f"in '{worst[0].phase}'"
    )
    print(f"  longest loop work: {longest_work * 1000:.1f} ms of the loop thread's CPU in one gap")
    print(
        f"  gaps: median {gaps[len(gaps) // 2] * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, "
        f"over 16 ms: {sum(g > FRAME for g in gaps)}, over 10 ms: {sum(g > 0.010 for g in gaps)}"
    )
    per_phase: dict[str, list[float]] = {}
    for (gap, phase, _), (work, _) in zip(watch.gaps, watch.work, strict=True):
        longest = per_phase.setdefault(phase, [0.0, 0.0])
        longest[0], longest[1] = max(longest[0], gap * 1000), max(longest[1], work * 1000)
    print("  longest stall per phase (wall clock / the loop thread's CPU):")
    for phase, (wall, cpu) in per_phase.items():
        print(f"    {wall:6.1f} ms / {cpu:6.1f} ms  {phase}")
    collections = [c for c in watch.collections if c[1] > 0.002 and c[0] >= watch.started]
    if collections:
        print(
            "  garbage collections over 2 ms during the registration: "
            + ", ".join(
                f"gen {generation} {duration * 1000:.1f} ms"
                for _, duration, generation in collections
            )
        )
    print("  the longest stalls, with what the loop thread was running (sampled):")
    for stall in worst:
        collected = "".join(
            f"; gc gen {g} {d * 1000:.1f} ms" for g, d in stall.collections if d > 0.001
        )
        print(f"    {stall.gap * 1000:6.1f} ms  {stall.phase}{collected}")
        for stack in dict.fromkeys(stall.stacks):  # in order, without repeats
            print(f"             {where(stack)}")


def main() -> None:
    through_pilot = "--pilot" in sys.argv[1:]
    speech = "--speech" in sys.argv[1:]
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mails = folder / "mails"
        mails.mkdir()
        port = free_port()
        ready = spawn.Event()
        server = spawn.Process(target=serve_smtp, args=(port, str(mails), ready), daemon=True)
        server.start()
        try:
            if not ready.wait(30):
                raise RuntimeError("the SMTP server did not start")
            settings = Settings(
                data_dir=folder / "data",
                secret_key="bench-secret-key-" + "x" * 32,
                kiosk_id="bench",
                demo_data=True,
                mail_transport="smtp",
                smtp_host="127.0.0.1",
                smtp_port=port,
                smtp_security="none",
                speech="on" if speech else "off",
                speech_command=SPEECH_COMMAND,
            )
            asyncio.run(prepare(settings))
            load = os.getloadavg()[0]
            started = time.perf_counter()
            watch = asyncio.run(run_flow(settings, mails, through_pilot))
            seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.join()
    keys = "through the pilot (pilot.press)" if through_pilot else "as the terminal sends them"
    if speech:
        keys += ", speech on (espeak-ng)"
    report(watch, seconds, load, keys)


if __name__ == "__main__":
    main()
