"""Speech: from a key to the start of what it makes the kiosk say (SPEC §12).

The kiosk runs in-process under ``run_test`` (headless, 100x32) with speech on, on the Identity
screen. Each Tab goes in by the driver's own path (``driver.send_message``, as the terminal's
input thread does), 150 ms apart: it stops the sentence being said (its subprocess killed), moves
the focus, and the kiosk says the next field's label and state. Timed: the key sent -> the
subprocess of that sentence started (``asyncio.create_subprocess_shell`` returned: espeak-ng
is running and has the text). The command is the kiosk's synthesis without ``aplay`` (a
benchmark machine has no sound card): ``espeak-ng -v fr-fr --stdout > /dev/null``.

Usage: python bench/speech_latency.py [KEYS]   (default 300, after 20 keys of warm-up)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual_probes import key_event, send_from_terminal

from kiosk.app import KioskApp
from kiosk.config import Settings
from kiosk.runtime import build_runtime, initialise_database
from kiosk.speech import Voice
from screens.commune import CommuneScreen
from screens.identity import IdentityScreen

SIZE = (100, 32)
KEY_GAP = 0.150
"""Between two Tabs: the sentence has started, and is cut by the next key."""
WARM_UP = 20
SPEECH_COMMAND = "espeak-ng -v {voice} --stdout > /dev/null"


class TimedVoice:
    """The kiosk's voice, noting when each sentence's subprocess has started."""

    def __init__(self, voice: Voice) -> None:
        self.voice = voice
        self.started: list[float] = []

    def missing(self) -> str | None:
        return self.voice.missing()

    async def start(self, sentence: str, voice: str) -> asyncio.subprocess.Process:
        process = await self.voice.start(sentence, voice)
        self.started.append(time.perf_counter())
        return process

    def finished(
        self, sentence: str, process: asyncio.subprocess.Process, *, stopped: bool
    ) -> None:
        self.voice.finished(sentence, process, stopped=stopped)


async def until(condition: object, timeout: float = 30) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise RuntimeError("the kiosk did not get there in time")
        await asyncio.sleep(0.01)


def press(app: KioskApp, key: str) -> None:
    event = key_event(key)
    event.set_sender(app)
    send_from_terminal(app, event)


async def measure(settings: Settings, keys: int) -> tuple[list[float], int]:
    runtime = build_runtime(settings)
    try:
        await initialise_database(runtime)
        app = KioskApp(runtime.services, settings)
        voice = TimedVoice(app.speech.speaker.voice)
        app.speech.speaker.voice = voice
        latencies: list[float] = []
        silent = 0
        async with app.run_test(size=SIZE):
            await asyncio.sleep(0.5)
            press(app, "f2")
            await until(lambda: isinstance(app.screen, CommuneScreen))
            for key in [*"velaux", "enter"]:
                press(app, key)
                await asyncio.sleep(0.05)
            await until(lambda: getattr(app.focused, "id", None) == "continue")
            press(app, "enter")
            await until(lambda: isinstance(app.screen, IdentityScreen))
            await asyncio.sleep(0.5)
            for number in range(WARM_UP + keys):
                before = len(voice.started)
                sent = time.perf_counter()
                press(app, "tab")
                try:
                    await until(lambda: len(voice.started) > before, timeout=2)  # noqa: B023
                except RuntimeError:
                    silent += 1  # a Tab onto something that says nothing
                else:
                    if number >= WARM_UP:
                        latencies.append(voice.started[before] - sent)
                await asyncio.sleep(KEY_GAP)
        if app.recovery.unexpected_errors:
            raise RuntimeError(f"the kiosk failed: {app.recovery.unexpected_errors}")
        return latencies, silent
    finally:
        await runtime.close()


def main() -> None:
    keys = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp) / "data",
            secret_key="bench-secret-key-" + "x" * 32,
            kiosk_id="bench",
            demo_data=True,
            speech="on",
            speech_command=SPEECH_COMMAND,
        )
        latencies, silent = asyncio.run(measure(settings, keys))
    latencies.sort()
    p99 = latencies[max(0, round(len(latencies) * 0.99) - 1)]
    print(
        f"speech: {len(latencies)} Tabs on the Identity screen, each saying the next field "
        f"({silent} said nothing)"
    )
    print(
        f"  key to speech started: median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, longest {latencies[-1] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
