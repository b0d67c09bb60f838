"""What is said on the screens a registration crosses (SPEC §12): the commune list as the
arrows move in it, an operator not served here, and errors that name their field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.app import KioskApp
from tests.support.speech import keys_by_ear, listen, spoken
from tests.support.ui import SIZE, identity_screen


async def test_choosing_a_commune_by_ear(make_app: Callable[..., KioskApp], tmp_path: Path) -> None:
    app = make_app(speech="on", speech_output=f"wav:{tmp_path}")
    async with app.run_test(size=SIZE) as pilot:
        await keys_by_ear(pilot, "f2", "a", "u")
        before = len(spoken(tmp_path))
        await keys_by_ear(pilot, "down", "down", "enter")  # Auriol: not served here
        assert spoken(tmp_path)[before:] == [
            "Aubagne (Pays d'Aubagne et de l'Étoile)",
            "Auriol (Pays d'Aubagne et de l'Étoile)",
            "Société gestionnaire : Régie des eaux de l'Est (démonstration)",
            "Votre contrat est géré par Régie des eaux de l'Est (démonstration). Cette borne ne "
            "peut pas ouvrir d'espace client pour cette société : veuillez la contacter au "
            "04 00 00 00 01 ou sur https://regie-est.example.fr.",
        ]


async def test_errors_name_their_field(make_app: Callable[..., KioskApp], tmp_path: Path) -> None:
    app = make_app(speech="on", speech_output=f"wav:{tmp_path}")
    async with app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        await listen(pilot)
        await keys_by_ear(pilot, *["enter"] * 5)  # through every field, empty, and submit
        assert spoken(tmp_path)[-6:] == [
            "Nom : Champ obligatoire",
            "Prénom : Champ obligatoire",
            "Adresse e-mail : Champ obligatoire",
            "Mot de passe : Champ obligatoire",
            "Confirmation : Champ obligatoire",
            "Nom, obligatoire, vide",  # where the focus went: the first field in error
        ]
    assert app.recovery.unexpected_errors == []
