"""Speech for a customer who cannot see the screen (SPEC §12): what the kiosk says, out loud
through espeak-ng or into WAV files, and nothing about screens or Textual.

- :mod:`kiosk.speech.speaker`: :class:`Speaker`, the one interface (say, stop, repeat,
  language) the app talks to;
- :mod:`kiosk.speech.voices`: the back ends, a command line (espeak-ng piped into aplay) or
  ``wav:DIR`` (one WAV per utterance, its text in ``DIR/spoken.txt``).
"""

from __future__ import annotations

from kiosk.speech.speaker import VOICES, Speaker, speaker_for
from kiosk.speech.voices import CommandVoice, Voice, WavVoice

__all__ = ["VOICES", "CommandVoice", "Speaker", "Voice", "WavVoice", "speaker_for"]
