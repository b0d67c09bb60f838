"""The speaker: sentences said one after another, stopped at once, repeated on demand.

Nothing here waits on the event loop: :meth:`Speaker.say` queues and returns, a task starts
one subprocess per sentence and waits for it to end; :meth:`Speaker.stop` kills the one
speaking and forgets the rest.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections import deque
from pathlib import Path

from kiosk.config import Settings
from kiosk.speech.voices import CommandVoice, Voice, WavVoice

log = logging.getLogger("kiosk")

VOICES = {"fr": "fr-fr", "en": "en-gb"}
"""The espeak-ng voice of each language of the kiosk (SPEC §11), from Debian's espeak-ng-data."""

COMMAND_NOT_FOUND = 127
"""The shell's exit status for a program it cannot find."""


def speaker_for(settings: Settings) -> Speaker:
    """The speaker the settings ask for: ``speech_output = "wav:DIR"`` writes WAV files,
    anything else plays ``speech_command``."""
    output = settings.speech_output
    voice: Voice
    if output.startswith("wav:"):
        voice = WavVoice(Path(output.removeprefix("wav:")).expanduser())
    else:
        voice = CommandVoice(settings.speech_command)
    return Speaker(voice, on=settings.speech == "on")


class Speaker:
    """The one interface of speech: :meth:`say`, :meth:`stop`, :meth:`repeat`, ``language``."""

    def __init__(self, voice: Voice, *, on: bool = False, language: str = "fr") -> None:
        self.voice = voice
        """The back end that makes each utterance."""
        self.on = on
        """Whether sentences are said (F1 toggles it)."""
        self._language = language
        self._queue: deque[str] = deque()
        self._speaking: tuple[str, asyncio.subprocess.Process] | None = None
        """The sentence being said, and its process."""
        self._task: asyncio.Task[None] | None = None
        self._reapers: set[asyncio.Task[None]] = set()
        """Tasks waiting for stopped processes to end."""
        self._last: tuple[str, ...] = ()
        self._silent = False
        """The speech program is missing: said once in the log, then nothing is tried."""

    @property
    def language(self) -> str:
        """``fr`` or ``en``: the voice of the sentences queued from now on."""
        return self._language

    @language.setter
    def language(self, language: str) -> None:
        if language not in VOICES:
            raise ValueError(f"no voice for the language {language!r}")
        self._language = language

    @property
    def speaking(self) -> bool:
        """Whether a sentence is being said or waits its turn."""
        return self._task is not None and not self._task.done()

    @property
    def process(self) -> asyncio.subprocess.Process | None:
        """The subprocess saying the current sentence, if any."""
        return None if self._speaking is None else self._speaking[1]

    def say(self, *sentences: str) -> None:
        """Say ``sentences`` after what is being said; blank ones are skipped."""
        said = tuple(filter(None, (" ".join(sentence.split()) for sentence in sentences)))
        if not self.on or not said:
            return
        if not self._silent and (program := self.voice.missing()) is not None:
            self._fall_silent(program)
        if self._silent:
            return
        self._last = said
        self._queue.extend(said)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._speak())

    def stop(self) -> None:
        """Stop at once: the sentence being said is cut, those waiting are forgotten.

        The speaking task is cancelled rather than left to see its process end: the next
        sentence starts at once, and a task of its own waits for the killed process.
        """
        self._queue.clear()
        speaking, self._speaking = self._speaking, None
        if speaking is not None:
            sentence, process = speaking
            _kill(process)
            reaper = asyncio.get_running_loop().create_task(self._reap(sentence, process))
            self._reapers.add(reaper)
            reaper.add_done_callback(self._reapers.discard)
        if self._task is not None:
            self._task.cancel()  # a process being started is killed by asyncio itself
            self._task = None

    def repeat(self) -> None:
        """Say again the sentences of the last :meth:`say`."""
        self.stop()
        self.say(*self._last)

    def toggle(self, announce_on: str, announce_off: str) -> bool:
        """Speech on or off, saying so in either case.

        Returns:
            Whether speech is now on.
        """
        self.stop()
        if self.on:
            self.say(announce_off)
            self.on = False
        else:
            self.on = True
            self.say(announce_on)
        return self.on

    async def quiet(self) -> None:
        """Wait until nothing is said nor waits to be, and every stopped process is gone."""
        while self.speaking or self._reapers:
            running = {self._task} if self._task is not None else set()
            await asyncio.wait(running | self._reapers)

    async def _speak(self) -> None:
        while self._queue:
            sentence = self._queue.popleft()
            try:
                process = await self.voice.start(sentence, VOICES[self._language])
            except OSError as error:
                self._fall_silent(type(error).__name__)
                return
            self._speaking = (sentence, process)
            await process.wait()  # cancelled by stop(), which kills the process
            self._speaking = None
            if process.returncode == COMMAND_NOT_FOUND:
                self._fall_silent("a program of speech_command")
                return
            self.voice.finished(sentence, process, stopped=False)

    async def _reap(self, sentence: str, process: asyncio.subprocess.Process) -> None:
        await process.wait()
        self.voice.finished(sentence, process, stopped=True)

    def _fall_silent(self, program: str) -> None:
        log.warning("speech: %s cannot be run; the kiosk goes on silent", program)
        self._silent = True
        self._queue.clear()


def _kill(process: asyncio.subprocess.Process) -> None:
    """Kill every program of the utterance's session (the shell and its pipeline)."""
    with contextlib.suppress(ProcessLookupError):  # it had just ended
        os.killpg(process.pid, signal.SIGKILL)
