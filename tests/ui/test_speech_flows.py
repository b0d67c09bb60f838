"""What a blind customer hears (SPEC §12): a registration, an activation and a sign-in driven
by keys alone, speech on, nothing read from the screen; the kiosk's words from ``spoken.txt``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.services import KioskServices
from screens.code import CodeScreen
from screens.dashboard import DashboardScreen
from tests.support.demo import (
    DEMO_CONTRACT,
    DEMO_EMAIL,
    DEMO_METER,
    DEMO_PASSWORD,
    activate_demo,
)
from tests.support.mail import SmtpSink, read_code
from tests.support.speech import keys_by_ear, listen, spoken, type_by_ear
from tests.support.ui import shown, wait_for

WELCOME = [
    "Étape 1 sur 4",
    "Bienvenue sur votre Espace Client",
    "F1 : aide vocale",
    "Ctrl+T : contraste élevé",
    "Que souhaitez-vous faire ? Utilisez les flèches, Tab ou les touches F.",
    "Créer mon espace client, bouton",
]
ALL_RULES_UNMET = [
    "Un nombre : non respecté",
    "8 caractères : non respecté",
    "Un caractère spécial : non respecté",
    "Confirmation identique : non respecté",
]
DASHBOARD = [
    "Tableau de Bord",
    "Bonjour Marie Dupont",
    "Commune : Velaux",
    "Société gestionnaire : Eaux de Marseille",
    f"Numéro de contrat : {DEMO_CONTRACT}",
    f"Numéro de compteur : {DEMO_METER}",
    f"Adresse e-mail : {DEMO_EMAIL}",
    "Mes factures, bouton",  # the first of the services (SPEC §9)
]


async def dashboard_heard(pilot: Pilot[None]) -> None:
    """Wait for the Dashboard and its contract, then hear them out."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
    await wait_for(pilot, lambda: DEMO_CONTRACT in shown(app, "#contract-summary"))
    await listen(pilot)


async def test_register_and_activate_by_ear(
    make_app: Callable[..., KioskApp],
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
    tmp_path: Path,
) -> None:
    heard = tmp_path / "heard"
    app = make_app(speech="on", speech_output=f"wav:{heard}")
    async with app.run_test(size=(100, 32)) as pilot:
        await listen(pilot)
        await keys_by_ear(pilot, "f2")
        await type_by_ear(pilot, "velaux")
        await keys_by_ear(pilot, "enter")
        for value in ("Dupont", "Marie", DEMO_EMAIL, DEMO_PASSWORD, DEMO_PASSWORD):
            await type_by_ear(pilot, value)
        await type_by_ear(pilot, DEMO_CONTRACT)
        await type_by_ear(pilot, DEMO_METER)  # submits: the service registers
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        await listen(pilot)
        await deliver()
        [activation] = await smtp.wait_for(1)
        code = read_code(activation)
        await type_by_ear(pilot, code)  # activates: the Dashboard loads the contract
        await dashboard_heard(pilot)
    assert spoken(heard) == [
        *WELCOME,
        "Étape 2 sur 4",
        "Choisissez votre commune",
        "Commune, obligatoire, vide",
        "Tapez quelques lettres, choisissez avec ↑ ↓ puis Entrée.",
        "Société gestionnaire : Eaux de Marseille",
        "Continuer, bouton",
        "Étape 3 sur 4",
        "Ouvrir un espace client",
        "Les champs marqués * sont obligatoires.",
        "Nom, obligatoire, vide",
        "Prénom, obligatoire, vide",
        "Adresse e-mail, obligatoire, vide",
        "Mot de passe, obligatoire, vide",
        *ALL_RULES_UNMET,
        # Ruisseau-42! key by key: 8 letters, the hyphen, the digits
        "8 caractères : respecté",
        "Un caractère spécial : respecté",
        "Un nombre : respecté",
        "Confirmation, obligatoire, vide",
        "Un nombre : respecté",
        "8 caractères : respecté",
        "Un caractère spécial : respecté",
        "Confirmation identique : non respecté",
        "Confirmation identique : respecté",  # at the last key of the confirmation
        "Étape 3 sur 4",
        "Votre contrat",
        "Les champs marqués * sont obligatoires.",
        "Numéro de contrat, obligatoire, vide",
        "7 chiffres sans la lettre",
        "Numéro de compteur, obligatoire, vide",
        "tel qu'il est imprimé sur la facture",
        "Votre compte a bien été créé. Vous devez à présent cliquer sur le lien d'activation "
        "contenu dans le mail qui vous a été envoyé.",
        "Étape 4 sur 4",
        "Saisissez votre code",
        "Un e-mail vous a été envoyé. Saisissez le code qu'il contient (ou collez le lien). "
        "Attention : ce lien n'est valable que 48 heures. Si vous dépassez ce délai, vous "
        "devrez recommencer entièrement la procédure.",
        "E-mail envoyé à m***@example.fr",
        "Code reçu par e-mail, obligatoire, vide",
        "Bienvenue sur votre Agence en Ligne",
        "Votre compte a été validé.",
        *DASHBOARD,
    ]
    everything = "\n".join(spoken(heard))
    assert DEMO_PASSWORD not in everything and code not in everything
    assert app.recovery.unexpected_errors == []


async def test_sign_in_by_ear(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
    tmp_path: Path,
) -> None:
    await activate_demo(services, smtp, deliver)
    heard = tmp_path / "heard"
    app = make_app(speech="on", speech_output=f"wav:{heard}")
    async with app.run_test(size=(100, 32)) as pilot:
        await listen(pilot)
        await keys_by_ear(pilot, "down", "f3")
        await type_by_ear(pilot, "marie.dupont@example.fr")
        await type_by_ear(pilot, "Mauvais-1!")  # a wrong password first
        await wait_for(pilot, lambda: app.screen.query_one("#form-error").has_class("-shown"))
        await listen(pilot)
        await type_by_ear(pilot, DEMO_PASSWORD)  # the field was emptied and keeps the focus
        await dashboard_heard(pilot)
    assert spoken(heard) == [
        *WELCOME,
        "Se connecter, bouton",
        "Se connecter",
        "Connectez-vous avec l'adresse e-mail et le mot de passe de votre espace.",
        "Adresse e-mail, obligatoire, vide",
        "Mot de passe, obligatoire, vide",
        "Adresse e-mail ou mot de passe incorrect.",
        *DASHBOARD,
    ]
    assert app.recovery.unexpected_errors == []
