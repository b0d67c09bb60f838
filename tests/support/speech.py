"""Speech helpers: what a ``wav:DIR`` kiosk said, and how loud and long its WAV files are."""

from __future__ import annotations

import math
import wave
from array import array
from pathlib import Path

from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.speech.voices import SPOKEN_FILE


def spoken(directory: Path) -> list[str]:
    """The lines of ``DIR/spoken.txt``: every sentence said in full, in order."""
    transcript = directory / SPOKEN_FILE
    if not transcript.exists():
        return []
    return transcript.read_text(encoding="utf-8").splitlines()


def wav_seconds_and_rms(path: Path) -> tuple[float, float]:
    """The length of a 16-bit mono WAV in seconds, and its root mean square (0 to 32767)."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2 and wav.getnchannels() == 1
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = array("h", frames)
    rms = math.sqrt(sum(sample * sample for sample in samples) / max(1, len(samples)))
    return seconds, rms


async def listen(pilot: Pilot[None]) -> None:
    """Let the kiosk finish what a key set going, then hear it out (a customer who listens
    before the next key)."""
    app = pilot.app
    assert isinstance(app, KioskApp)
    for _ in range(2):  # what was said may set more going (a checklist line after a value)
        await pilot.pause()
        await app.speech.speaker.quiet()


async def keys_by_ear(pilot: Pilot[None], *keys: str) -> None:
    """Press each key, and hear out what it made the kiosk say before the next."""
    for key in keys:
        await pilot.press(key)
        await listen(pilot)


async def type_by_ear(pilot: Pilot[None], value: str) -> None:
    """Type ``value`` key by key, then Enter, hearing out each key."""
    await keys_by_ear(pilot, *value, "enter")
