"""The input rules of every form in one place, for both front ends and the services.

:func:`registration_problems` checks every field of a registration and gives back the values
normalised (names NFC, the address as the validator writes it, the contract's seven digits,
the meter upper-case without spaces, the password NFKC) with the problem of each bad field;
:func:`validate_registration` gives back the normalised registration or raises the first
problem. The other forms have theirs: :func:`sign_in_problems`, :func:`code_problems`,
:func:`new_password_problems` (the one password policy) and :func:`change_password_problems`.
A screen or a page shows every problem at once and then sends the values; the service checks
the same rules again (:func:`raise_first`), since a request may come from elsewhere.

Pure: no Textual, no database layer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Literal

from kiosk.domain.errors import DomainError, InvalidInput, PasswordRejected
from kiosk.domain.passwords import normalise_password, password_checklist, password_refusal
from kiosk.domain.results import RegistrationRequest
from kiosk.domain.rules import check_contract, check_email, check_meter, check_name
from kiosk.domain.states import PasswordRefusal

Step = Literal["identity", "contract"]
"""``identity``: names, e-mail and password only (the Identity screen); ``contract``: all."""

Problems = dict[str, DomainError]
"""The problem of each bad field, by the request's field name, in the order of the form."""


def registration_problems(
    request: RegistrationRequest, *, step: Step = "contract"
) -> tuple[RegistrationRequest, Problems]:
    """Check every field of ``request`` up to ``step``.

    Returns:
        The request with each good field normalised (a bad one keeps what was typed), and
        the problems: ``InvalidInput`` for a field, ``PasswordRejected`` under ``password``
        (or under ``password_confirm`` when only the confirmation differs).
    """
    values: dict[str, str] = {}
    problems: Problems = {}

    def check(field: str, rule: Callable[[str], str]) -> None:
        try:
            values[field] = rule(getattr(request, field))
        except InvalidInput as error:
            problems[field] = error

    check("last_name", lambda value: check_name("last_name", value))
    check("first_name", lambda value: check_name("first_name", value))
    check("email", check_email)
    if step == "contract":
        check("contract", check_contract)
        check("meter", check_meter)
    password_problems = new_password_problems(
        request.password,
        request.password_confirm,
        contract=values.get("contract", ""),
        meter=values.get("meter", ""),
        email=values.get("email", ""),
    )
    problems.update(password_problems)
    if not password_problems:
        values["password"] = normalise_password(request.password)
        values["password_confirm"] = normalise_password(request.password_confirm)
    ordered = {field: problems[field] for field in _FORM_ORDER if field in problems}
    normalised = dataclasses.replace(
        request,
        last_name=values.get("last_name", request.last_name),
        first_name=values.get("first_name", request.first_name),
        email=values.get("email", request.email),
        password=values.get("password", request.password),
        password_confirm=values.get("password_confirm", request.password_confirm),
        contract=values.get("contract", request.contract),
        meter=values.get("meter", request.meter),
    )
    return normalised, ordered


def validate_registration(
    request: RegistrationRequest, *, step: Step = "contract"
) -> RegistrationRequest:
    """The registration with every field normalised.

    Raises:
        InvalidInput: a field breaks its rule (the first, in the order of the form).
        PasswordRejected: the password misses the checklist or is refused by the policy.
    """
    normalised, problems = registration_problems(request, step=step)
    raise_first(problems)
    return normalised


def raise_first(problems: Problems) -> None:
    """Raise the first of ``problems`` (in the order of the form), if there is one."""
    for problem in problems.values():
        raise problem


_FORM_ORDER = (
    "last_name",
    "first_name",
    "email",
    "password",
    "password_confirm",
    "contract",
    "meter",
)


def new_password_problems(
    password: str, confirmation: str, *, contract: str = "", meter: str = "", email: str = ""
) -> Problems:
    """A new password and its confirmation: both filled, the checklist satisfied, then the
    policy of :func:`~kiosk.domain.passwords.password_refusal` (common, contains the contract...).

    Returns:
        The problems under ``password`` and ``password_confirm`` (empty when it is accepted).
    """
    problems: Problems = {}
    if not password:
        problems["password"] = InvalidInput("password", "required")
    if not confirmation:
        problems["password_confirm"] = InvalidInput("password_confirm", "required")
    if problems:
        return problems
    checklist = {
        result.rule: result.satisfied for result in password_checklist(password, confirmation)
    }
    if not all(checklist.values()):
        only_confirmation = [rule for rule, ok in checklist.items() if not ok] == ["confirmation"]
        field = "password_confirm" if only_confirmation else "password"
        return {field: PasswordRejected(PasswordRefusal.CHECKLIST)}
    refusal = password_refusal(password, contract=contract, meter=meter, email=email)
    if refusal is not None:
        return {"password": PasswordRejected(refusal)}
    return {}


def required_problems(**fields: str) -> Problems:
    """``required`` under each of ``fields`` (by name, in the order given) that is empty."""
    return {name: InvalidInput(name, "required") for name, value in fields.items() if not value}


def sign_in_problems(email: str, password: str) -> Problems:
    """The sign-in form: a well-formed address and a password typed (never checked here)."""
    problems: Problems = {}
    try:
        check_email(email)
    except InvalidInput as error:
        problems["email"] = error
    problems.update(required_problems(password=password))
    return problems


def code_problems(code: str) -> Problems:
    """The code form: something typed (a code of the wrong shape is the service's to count)."""
    return required_problems(code=code.strip())


def change_password_problems(current: str, password: str, confirmation: str) -> Problems:
    """The change of password: the current one typed, then :func:`new_password_problems`
    (the policy's checks that need the account are the service's)."""
    return required_problems(current_password=current) | new_password_problems(
        password, confirmation
    )
