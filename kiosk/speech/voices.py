"""The back ends of speech: programs started as subprocesses, never waited for on the loop.

Each utterance is one subprocess in a session of its own, so that stopping it kills every
program of a pipeline (``espeak-ng ... | aplay``) at once. The text goes in on standard input:
never on a command line, where ``ps`` would show it and a leading ``-`` would read as an option.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
from pathlib import Path
from typing import Protocol

SPOKEN_FILE = "spoken.txt"
"""The transcript of ``wav:DIR``: one line per utterance, in the order they were synthesised."""


class Voice(Protocol):
    """Starts the synthesis of one sentence; :class:`~kiosk.speech.Speaker` waits and stops."""

    def missing(self) -> str | None:
        """The program that cannot be found, if any (looked up once, before any utterance)."""

    async def start(self, sentence: str, voice: str) -> asyncio.subprocess.Process:
        """Start speaking ``sentence`` with the espeak-ng voice ``voice``; return at once."""

    def finished(
        self, sentence: str, process: asyncio.subprocess.Process, *, stopped: bool
    ) -> None:
        """``process`` ended: by itself (the utterance is complete) or ``stopped``."""


def _programs(command: str) -> list[str]:
    """The programs of a shell pipeline: ``espeak-ng -v fr --stdout | aplay -q`` -> both."""
    programs = []
    for part in command.split("|"):
        words = shlex.split(part)
        if words:
            programs.append(words[0])
    return programs


async def _started(
    sentence: str, process: asyncio.subprocess.Process
) -> asyncio.subprocess.Process:
    """Hand ``sentence`` to the process on its standard input and close it."""
    assert process.stdin is not None
    process.stdin.write(sentence.encode("utf-8"))
    process.stdin.close()  # 100 bytes fit the pipe's buffer: nothing to wait for
    return process


class CommandVoice:
    """``speech_command``: a shell command with ``{voice}``, reading the text on its input."""

    def __init__(self, command: str) -> None:
        self.command = command
        self._missing = next(
            (program for program in _programs(command) if shutil.which(program) is None), None
        )

    def missing(self) -> str | None:
        return self._missing

    async def start(self, sentence: str, voice: str) -> asyncio.subprocess.Process:
        process = await asyncio.create_subprocess_shell(
            # Not str.format: a command may hold braces of its own (awk '{print}').
            self.command.replace("{voice}", shlex.quote(voice)),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
        )
        return await _started(sentence, process)

    def finished(
        self, sentence: str, process: asyncio.subprocess.Process, *, stopped: bool
    ) -> None:
        """Nothing to record: the sentence was heard, or cut short."""


class WavVoice:
    """``speech_output = "wav:DIR"``: each utterance is ``DIR/NNNN.wav``, its text a line of
    ``DIR/spoken.txt`` once the file is complete (a stopped utterance leaves neither)."""

    def __init__(self, directory: Path, program: str = "espeak-ng") -> None:
        self.directory = directory
        self.program = program
        self._count = 0
        self._missing = None if shutil.which(program) else program
        self._files: dict[int, Path] = {}
        """The WAV of each process still running, by pid."""

    def missing(self) -> str | None:
        return self._missing

    @property
    def transcript(self) -> Path:
        """``DIR/spoken.txt``."""
        return self.directory / SPOKEN_FILE

    async def start(self, sentence: str, voice: str) -> asyncio.subprocess.Process:
        if self._count == 0:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._count += 1
        wav = self.directory / f"{self._count:04d}.wav"
        process = await asyncio.create_subprocess_exec(
            self.program,
            "-v",
            voice,
            "-w",
            str(wav),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
        )
        self._files[process.pid] = wav
        return await _started(sentence, process)

    def finished(
        self, sentence: str, process: asyncio.subprocess.Process, *, stopped: bool
    ) -> None:
        wav = self._files.pop(process.pid, None)
        if stopped or process.returncode != 0:
            if wav is not None:
                wav.unlink(missing_ok=True)
            return
        descriptor = os.open(self.transcript, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as transcript:
            transcript.write(sentence + "\n")
