"""Every refusal a service can raise has its French message in the catalogue."""

from __future__ import annotations

import pytest

from kiosk import errors
from kiosk.catalogue import FRENCH
from screens.feedback import describe


def all_refusals() -> list[type[errors.DomainError]]:
    found, todo = [], [errors.DomainError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def example(kind: type[errors.DomainError]) -> errors.DomainError:
    if kind is errors.InvalidInput:
        return errors.InvalidInput("email", "email_format")
    if kind is errors.PasswordRejected:
        return errors.PasswordRejected("common")
    if issubclass(kind, errors.TooManyAttempts):
        return kind(90)
    if kind is errors.CodeExpired:
        return errors.CodeExpired("activation")
    return kind()


@pytest.mark.parametrize("kind", all_refusals(), ids=lambda kind: kind.__name__)
def test_every_refusal_reads_as_a_catalogue_message(kind: type[errors.DomainError]) -> None:
    message = describe(example(kind))
    assert message in FRENCH.values() or message == FRENCH["too_many_attempts"].format(minutes=2)


def test_the_throttle_message_is_verbatim() -> None:
    assert describe(errors.TooManyAttempts(90)) == (
        "Trop de tentatives. Veuillez réessayer dans 2 minutes."
    )
