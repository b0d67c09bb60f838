"""Each refusal a service can raise reads as its own French message, verbatim."""

from __future__ import annotations

import pytest

from kiosk.domain import errors
from kiosk.domain.refusals import describe
from kiosk.domain.states import CodePurpose, PasswordRefusal

EXPECTED: list[tuple[errors.DomainError, str]] = [
    (
        errors.InvalidInput("email", "email_format"),
        "Veuillez saisir une adresse e-mail valide (254 caractères au plus).",
    ),
    (errors.InvalidInput("contract", "required"), "Champ obligatoire"),
    (
        errors.PasswordRejected(PasswordRefusal.CHECKLIST),
        "Le mot de passe ne respecte pas encore toutes les règles.",
    ),
    (
        errors.PasswordRejected(PasswordRefusal.COMMON),
        "Ce mot de passe est trop courant. Veuillez en choisir un autre.",
    ),
    (
        errors.PasswordRejected(PasswordRefusal.CONTAINS_CONTRACT),
        "Le mot de passe ne doit pas contenir le numéro de contrat.",
    ),
    (errors.TooManyAttempts(90), "Trop de tentatives. Veuillez réessayer dans 2 minutes."),
    (errors.TooManyAttempts(121), "Trop de tentatives. Veuillez réessayer dans 3 minutes."),
    (
        errors.AccountLocked(60),
        "Trop de tentatives. Veuillez réessayer dans 1 minute. Pour ne pas attendre, "
        "choisissez un nouveau mot de passe avec « Mot de passe oublié ? ».",
    ),
    (
        errors.SubscriberNotFound(),
        "Les informations saisies pour ce compte sont incorrectes. Veuillez vérifier votre saisie.",
    ),
    (
        errors.OperatorNotServed(),
        "Cette borne ne peut pas ouvrir d'espace client pour la société qui gère ce contrat.",
    ),
    (
        errors.ContractAlreadyActive(),
        "Un espace client existe déjà pour ce contrat. "
        "Utilisez « Mot de passe oublié ? » pour retrouver l'accès.",
    ),
    (
        errors.UnknownCommune(),
        "Veuillez choisir votre commune dans la liste proposée.",
    ),
    (errors.CodeInvalid(), "Ce code n'est pas valide. Veuillez vérifier votre saisie."),
    (
        errors.CodeExpired(CodePurpose.ACTIVATION),
        "Ce lien d'activation a expiré. Vous devez recommencer entièrement la procédure "
        "de création de votre espace client.",
    ),
    (
        errors.CodeExpired(CodePurpose.RESET),
        "Ce lien de réinitialisation a expiré. Veuillez faire une nouvelle demande "
        "depuis « Mot de passe oublié ? ».",
    ),
    (errors.InvalidCredentials(), "Adresse e-mail ou mot de passe incorrect."),
    (
        errors.AccountNotActivated(),
        "Votre espace client n'est pas encore activé : saisissez le code reçu par e-mail.",
    ),
    (errors.SessionExpired(), "Votre session a pris fin. Veuillez vous reconnecter."),
    (errors.InvoiceNotFound(), "Cette facture n'existe pas."),
    (
        errors.ReadingBelowLast(486),
        "L'index saisi est inférieur au dernier index connu (486 m³). "
        "Veuillez vérifier votre saisie.",
    ),
    (
        errors.ReadingNeedsConfirmation(),
        "Cet index correspond à plus du double de votre consommation habituelle pour cette "
        "durée. Vérifiez votre saisie, puis confirmez-la.",
    ),
    (
        errors.DraftMissing(),
        "Votre demande d'ouverture d'espace client a expiré ou ses étapes n'ont pas été "
        "suivies dans l'ordre. Veuillez recommencer en choisissant votre commune.",
    ),
    (
        errors.DraftRefused(
            {
                "email": errors.InvalidInput("email", "email_format"),
                "password": errors.PasswordRejected(PasswordRefusal.CHECKLIST),
            }
        ),
        "Veuillez saisir une adresse e-mail valide (254 caractères au plus).",
    ),
]


@pytest.mark.parametrize(
    ("error", "message"), EXPECTED, ids=[f"{type(e).__name__}-{e}" for e, _ in EXPECTED]
)
def test_each_refusal_reads_as_its_message(error: errors.DomainError, message: str) -> None:
    assert describe(error) == message


def refusals() -> set[type[errors.DomainError]]:
    """Every customer-facing refusal of kiosk/domain/errors.py (an outage is none)."""
    found, todo = set(), [errors.DomainError]
    while todo:
        for kind in todo.pop().__subclasses__():
            found.add(kind)
            todo.append(kind)
    return found - {errors.ServiceUnavailable}


def test_every_refusal_has_its_expected_message_above() -> None:
    assert refusals() <= {type(error) for error, _ in EXPECTED}
