"""Speech's keys and limits (SPEC §12): F1, Ctrl+R, any key stops, secrets only counted, the
idle question said with the bell and its delay doubled at each answer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input

from kiosk.app import KioskApp
from screens.idle import IdleScreen
from screens.login import LoginScreen
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.speech import keys_by_ear, listen, spoken, type_by_ear
from tests.support.ui import SIZE, identity_screen, wait_for

LOGIN = [
    "Se connecter",
    "Connectez-vous avec l'adresse e-mail et le mot de passe de votre espace.",
]


async def test_f1_turns_speech_on_and_off_anywhere(
    make_app: Callable[..., KioskApp], tmp_path: Path
) -> None:
    app = make_app(speech_output=f"wav:{tmp_path}")  # speech off, the default
    async with app.run_test(size=SIZE) as pilot:
        await keys_by_ear(pilot, "f3", "a")
        assert spoken(tmp_path) == []
        await keys_by_ear(pilot, "f1")  # in a field: nothing typed, speech on
        assert spoken(tmp_path) == [
            "Aide vocale activée",
            *LOGIN,
            "Adresse e-mail, obligatoire, a",
        ]
        await keys_by_ear(pilot, "f1", "tab")
        assert spoken(tmp_path)[-1] == "Aide vocale désactivée"
        assert len(spoken(tmp_path)) == 5
        assert app.screen.query_one("#email", Input).value == "a"


async def test_ctrl_r_says_the_last_sentences_again_and_does_nothing_else(
    make_app: Callable[..., KioskApp], tmp_path: Path
) -> None:
    app = make_app(speech="on", speech_output=f"wav:{tmp_path}")
    async with app.run_test(size=SIZE) as pilot:
        await listen(pilot)
        await keys_by_ear(pilot, "down")
        await keys_by_ear(pilot, "ctrl+r")
        assert spoken(tmp_path)[-2:] == ["Se connecter, bouton", "Se connecter, bouton"]
        assert app.focused is not None and app.focused.id == "login"


async def test_any_key_stops_the_speech_at_once(
    make_app: Callable[..., KioskApp], tmp_path: Path
) -> None:
    # A voice that would speak for a minute.
    app = make_app(speech="on", speech_command="cat > /dev/null; sleep 60")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.speech.speaker.process is not None)
        speaking = app.speech.speaker.process
        assert speaking is not None
        await pilot.press("x")  # a key that does nothing on Welcome
        await asyncio.wait_for(app.speech.speaker.quiet(), timeout=10)
        assert speaking.returncode == -9  # killed, with the rest of Welcome's sentences
        assert app.speech.speaker.process is None


async def test_a_secret_is_said_only_by_its_length(
    make_app: Callable[..., KioskApp], tmp_path: Path
) -> None:
    app = make_app(speech="on", speech_output=f"wav:{tmp_path}")
    async with app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        for value in ("Dupont", "Marie", DEMO_EMAIL, DEMO_PASSWORD):
            await type_by_ear(pilot, value)
        await keys_by_ear(pilot, "shift+tab")  # back to the password
        assert spoken(tmp_path)[-5:] == [
            "Mot de passe, obligatoire, caractères saisis : 12",
            "Un nombre : respecté",
            "8 caractères : respecté",
            "Un caractère spécial : respecté",
            "Confirmation identique : non respecté",
        ]
        await keys_by_ear(pilot, "f12", *"1234", "enter")  # the agent's PIN, wrong
        assert spoken(tmp_path)[-3:] == [
            "Sortie agent",
            "Code PIN agent, vide",
            "Code PIN agent : Code PIN incorrect.",
        ]
    everything = "\n".join(spoken(tmp_path))
    assert DEMO_PASSWORD not in everything and "1234" not in everything


async def test_the_idle_question_is_said_with_the_bell_and_its_delay_doubles(
    make_app: Callable[..., KioskApp], tmp_path: Path
) -> None:
    app = make_app(
        speech="on", speech_output=f"wav:{tmp_path}", idle_seconds=1.0, idle_countdown_seconds=20
    )
    bells: list[bool] = []
    app.bell = lambda: bells.append(True)  # type: ignore[method-assign]  # no terminal here
    async with app.run_test(size=SIZE) as pilot:
        await keys_by_ear(pilot, "f3")
        await wait_for(pilot, lambda: isinstance(app.screen, IdleScreen))
        await listen(pilot)
        question, countdown, button = spoken(tmp_path)[-3:]
        assert question == "Êtes-vous toujours là ?"
        assert countdown.startswith("Sans réponse, la borne revient à l'accueil dans ")
        assert button == "Oui, je suis là, bouton"
        assert bells == [True]
        await keys_by_ear(pilot, "space")  # any key answers
        assert isinstance(app.screen, LoginScreen)
        assert app.attendance.idle_seconds == 2.0
        await wait_for(pilot, lambda: isinstance(app.screen, IdleScreen))
        await listen(pilot)
        await keys_by_ear(pilot, "space")
        assert app.attendance.idle_seconds == 4.0
        assert len(bells) == 2


async def test_f1_answers_the_idle_question_and_ctrl_r_repeats_it(
    make_app: Callable[..., KioskApp], tmp_path: Path
) -> None:
    app = make_app(
        speech="on", speech_output=f"wav:{tmp_path}", idle_seconds=1.0, idle_countdown_seconds=20
    )
    async with app.run_test(size=SIZE) as pilot:
        await keys_by_ear(pilot, "f3")
        await wait_for(pilot, lambda: isinstance(app.screen, IdleScreen))
        await listen(pilot)
        await keys_by_ear(pilot, "ctrl+r")
        assert isinstance(app.screen, IdleScreen)
        assert spoken(tmp_path)[-1] == "Oui, je suis là, bouton"
        assert "Êtes-vous toujours là ?" in spoken(tmp_path)[-3:]
        await keys_by_ear(pilot, "f1")  # speech off, and the customer is here
        assert isinstance(app.screen, LoginScreen)
        assert app.attendance.idle_seconds == 2.0
        assert spoken(tmp_path)[-1] == "Aide vocale désactivée"
