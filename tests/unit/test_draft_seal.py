"""The web draft's sealed password: back whole with its token, unreadable without it."""

from __future__ import annotations

import pytest

from kiosk.domain.codes import new_token
from kiosk.domain.passwords import MAX_LENGTH
from kiosk.services.registration_drafts import seal_password, unseal_password


@pytest.mark.parametrize(
    "password", ["Ruisseau-42!", "Mot de passe 1 !", "Пароль-2024", "🌊" * MAX_LENGTH, ""]
)
def test_a_sealed_password_comes_back_whole_with_its_token(password: str) -> None:
    token = new_token()
    sealed = seal_password(token, password)
    assert unseal_password(token, sealed) == password


def test_every_sealed_password_has_one_size_and_shows_nothing() -> None:
    token = new_token()
    short, long = seal_password(token, "Ruisseau-42!"), seal_password(token, "x1!" * 40)
    assert len(short) == len(long)
    assert b"Ruisseau" not in short
    # The same password under two tokens: nothing in common to compare.
    assert seal_password(new_token(), "Ruisseau-42!") != seal_password(new_token(), "Ruisseau-42!")


def test_another_token_does_not_unseal_it() -> None:
    sealed = seal_password(new_token(), "Ruisseau-42!")
    try:
        unsealed = unseal_password(new_token(), sealed)
    except UnicodeDecodeError:
        return
    assert unsealed != "Ruisseau-42!"


def test_longer_than_the_rules_is_refused() -> None:
    with pytest.raises(ValueError):
        seal_password(new_token(), "🌊" * (MAX_LENGTH + 1))
