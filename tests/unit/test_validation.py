"""The registration's rules in one place: every problem at once, normalised values back."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from kiosk.domain.errors import InvalidInput, PasswordRejected
from kiosk.domain.validation import (
    new_password_problems,
    registration_problems,
    validate_registration,
)
from kiosk.services import RegistrationRequest

PASSWORD = "Ruisseau-42!"
TYPED = RegistrationRequest(
    commune_id=7,
    last_name="  Dupont ",
    first_name="Ma\u0301rie",  # a combining accent: NFC composes it
    email="Marie.Dupont@EXAMPLE.fr",
    password="Ruisseau-４２!",  # full-width digits: NFKC makes them ASCII
    password_confirm="Ruisseau-42!",
    contract="1234567 K",
    meter=" a12b 345678",
)


def test_the_values_come_back_normalised() -> None:
    assert validate_registration(TYPED) == RegistrationRequest(
        commune_id=7,
        last_name="Dupont",
        first_name="Márie",
        email="Marie.Dupont@example.fr",
        password=PASSWORD,
        password_confirm=PASSWORD,
        contract="1234567",
        meter="A12B345678",
    )


def test_every_problem_at_once_in_the_order_of_the_form() -> None:
    typed = dataclasses.replace(
        TYPED, last_name="", email="marie@", meter="12", password="court", password_confirm=""
    )
    normalised, problems = registration_problems(typed)
    assert list(problems) == ["last_name", "email", "password_confirm", "meter"]
    rules = [getattr(problem, "rule", None) for problem in problems.values()]
    assert rules == ["required", "email_format", "required", "meter_format"]
    assert normalised.first_name == "Márie"  # a good field is normalised all the same
    assert normalised.email == "marie@"  # a bad one keeps what was typed


def test_the_first_problem_is_raised() -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_registration(dataclasses.replace(TYPED, first_name="M4rie", contract="12"))
    assert (raised.value.field, raised.value.rule) == ("first_name", "name_format")


def test_a_confirmation_that_differs_is_its_own_problem() -> None:
    only_confirmation = new_password_problems(PASSWORD, "Ruisseau-43!")
    assert list(only_confirmation) == ["password_confirm"]
    both = new_password_problems("Truite#Bleue", "Truite#Bleue-97")
    assert list(both) == ["password"]
    assert all(
        isinstance(problem, PasswordRejected) and problem.reason == "checklist"
        for problem in (*only_confirmation.values(), *both.values())
    )


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Eau-1234567", "contains_contract"),
        ("a12b345678-X!", "contains_meter"),
        ("marie.dupont-1!", "contains_email"),
        ("Password1!", "common"),
    ],
)
def test_the_policy_sees_the_numbers_and_the_address(password: str, reason: str) -> None:
    typed = dataclasses.replace(
        TYPED, email="marie.dupont@example.fr", password=password, password_confirm=password
    )
    with pytest.raises(PasswordRejected) as raised:
        validate_registration(typed)
    assert raised.value.reason == reason


def test_the_identity_step_leaves_the_numbers_alone() -> None:
    typed = dataclasses.replace(TYPED, contract="", meter="", password="Eau-1234567!")
    typed = dataclasses.replace(typed, password_confirm=typed.password)
    checked = validate_registration(typed, step="identity")
    assert (checked.contract, checked.meter) == ("", "")
    with pytest.raises(InvalidInput) as raised:
        validate_registration(typed)
    assert raised.value.field == "contract"


def test_importable_without_the_database_layer() -> None:
    probe = "import sys, kiosk.domain.validation; print('sqlalchemy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
