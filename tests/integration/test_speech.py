"""The speech layer on the real espeak-ng: WAV files, a stop that kills, a missing program."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from kiosk.speech import CommandVoice, Speaker, WavVoice
from tests.support.speech import spoken, wav_seconds_and_rms

SENTENCES = {
    "fr": "Bienvenue sur votre Espace Client. Que souhaitez-vous faire ?",
    "en": "Welcome to your customer space. What would you like to do?",
}


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_one_sentence_per_language_is_real_speech(tmp_path: Path, language: str) -> None:
    speaker = Speaker(WavVoice(tmp_path), on=True, language=language)
    speaker.say(SENTENCES[language])
    await speaker.quiet()
    assert spoken(tmp_path) == [SENTENCES[language]]
    seconds, rms = wav_seconds_and_rms(tmp_path / "0001.wav")
    assert 1.5 < seconds < 10  # a dozen words: a few seconds, not a click nor a loop
    assert rms > 500  # a voice, not silence (16-bit samples)


async def test_sentences_follow_one_another_and_blanks_are_skipped(tmp_path: Path) -> None:
    speaker = Speaker(WavVoice(tmp_path), on=True)
    speaker.say("Nom, obligatoire, vide.", "  ", "Étape 3 sur 4\n Ouvrir un espace client")
    speaker.say("Prénom, obligatoire, vide.")
    await speaker.quiet()
    assert spoken(tmp_path) == [
        "Nom, obligatoire, vide.",
        "Étape 3 sur 4 Ouvrir un espace client",
        "Prénom, obligatoire, vide.",
    ]
    assert sorted(path.name for path in tmp_path.glob("*.wav")) == [
        "0001.wav",
        "0002.wav",
        "0003.wav",
    ]


async def test_nothing_is_said_while_speech_is_off(tmp_path: Path) -> None:
    speaker = Speaker(WavVoice(tmp_path), on=False)
    speaker.say("Bonjour")
    await speaker.quiet()
    assert spoken(tmp_path) == []
    assert speaker.toggle("Aide vocale activée", "Aide vocale désactivée")
    await speaker.quiet()
    assert not speaker.toggle("Aide vocale activée", "Aide vocale désactivée")
    await speaker.quiet()
    speaker.say("Bonjour")  # off again
    await speaker.quiet()
    assert spoken(tmp_path) == ["Aide vocale activée", "Aide vocale désactivée"]


class RecordedVoice(CommandVoice):
    """The real command voice, keeping each process it started."""

    def __init__(self, command: str) -> None:
        super().__init__(command)
        self.processes: list[asyncio.subprocess.Process] = []

    async def start(self, sentence: str, voice: str) -> asyncio.subprocess.Process:
        process = await super().start(sentence, voice)
        self.processes.append(process)
        return process


async def test_stop_kills_the_whole_pipeline_at_once() -> None:
    # A pipeline that would speak for a minute: the shell, cat, then sleep.
    voice = RecordedVoice("cat > /dev/null | sleep 60")
    speaker = Speaker(voice, on=True)
    speaker.say("Une phrase très longue.", "La suivante, qui ne sera jamais dite.")
    while not voice.processes:
        await asyncio.sleep(0.01)
    speaker.stop()
    await asyncio.wait_for(speaker.quiet(), timeout=10)
    [process] = voice.processes  # the second sentence was forgotten
    assert process.returncode == -9


async def test_the_command_gets_the_voice_and_the_text_on_its_input(tmp_path: Path) -> None:
    heard = tmp_path / "heard.txt"
    speaker = Speaker(
        CommandVoice(f"awk '{{print \"{{voice}}\", $0}}' >> {heard}"), on=True, language="en"
    )
    speaker.say("-v fr Bonjour ; rm -rf /")  # neither an option nor a shell command
    await speaker.quiet()
    assert heard.read_text(encoding="utf-8") == "en-gb -v fr Bonjour ; rm -rf /\n"


async def test_repeat_says_the_last_sentences_again(tmp_path: Path) -> None:
    speaker = Speaker(WavVoice(tmp_path), on=True)
    speaker.say("Nom, obligatoire, vide.")
    await speaker.quiet()
    speaker.repeat()
    await speaker.quiet()
    assert spoken(tmp_path) == ["Nom, obligatoire, vide.", "Nom, obligatoire, vide."]


async def test_a_missing_program_is_logged_once_and_the_kiosk_stays_silent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    speaker = Speaker(CommandVoice("no-such-speech-program -v {voice} | aplay -q"), on=True)
    with caplog.at_level(logging.WARNING, logger="kiosk"):
        speaker.say("Bonjour")
        speaker.say("Au revoir")
        await speaker.quiet()
    warnings = [record.getMessage() for record in caplog.records]
    assert warnings == ["speech: no-such-speech-program cannot be run; the kiosk goes on silent"]
    assert not speaker.speaking


async def test_a_program_that_vanished_is_caught_by_its_exit_status(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Found when the kiosk started, gone since: the shell answers 127.
    speaker = Speaker(CommandVoice("cat >/dev/null; exit 127"), on=True)
    with caplog.at_level(logging.WARNING, logger="kiosk"):
        speaker.say("Bonjour", "Au revoir")
        await speaker.quiet()
        speaker.say("Encore")
        await speaker.quiet()
    assert len(caplog.records) == 1
