"""Hostile input against every input rule: a clear refusal, nothing stored, nothing altered."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kiosk.domain.catalogue import FRENCH
from kiosk.domain.codes import ALPHABET, normalise_code
from kiosk.domain.errors import AccountNotActivated, InvalidInput, PasswordRejected
from kiosk.domain.passwords import password_checklist, password_refusal
from kiosk.domain.rules import check_contract, check_email, check_meter, check_name
from kiosk.runtime import Runtime
from kiosk.services import RegistrationRequest
from kiosk.storage.models import Account, OutboxMessage
from tests.support.demo import DEMO_PASSWORD

FORBIDDEN = (
    [chr(c) for c in range(0x20)]
    + [chr(0x7F)]
    + [chr(c) for c in range(0x80, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u2028", "\u2029"]
)
HOSTILE = [
    "a@b.c\r\nBcc: x@y",
    "'; DROP TABLE accounts; --",
    "1234567' OR '1'='1",
    "Robert'); DELETE FROM subscribers;--",
    "x" * 10_000,
    "\u202egnp.exe",
    "١٢٣٤٥٦٧",
    "１２３４５６７",
    "<script>alert(1)</script>",
    "%s%s%n",
    "${jndi:ldap://x}",
]
CHECKS: dict[str, Callable[[str], str]] = {
    "contract": check_contract,
    "meter": check_meter,
    "email": check_email,
    "last_name": lambda value: check_name("last_name", value),
}
fuzz = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("field", CHECKS)
@fuzz
@given(value=st.text(max_size=300))
@example(value="x" * 10_000)
def test_any_text_is_accepted_or_refused_with_a_message(field: str, value: str) -> None:
    try:
        kept = CHECKS[field](value)
    except InvalidInput as refused:
        assert refused.field == field
        assert refused.rule in FRENCH  # a message the customer can read
        return
    assert not any(char in kept for char in FORBIDDEN)
    stripped = value.strip(" ")
    # Nothing is silently altered beyond the documented forms.
    if field == "contract":
        assert stripped.startswith(kept) and kept.isascii() and kept.isdigit()
    elif field == "meter":
        assert kept == stripped.replace(" ", "").upper()
    elif field == "last_name":
        assert kept == unicodedata.normalize("NFC", stripped)


@pytest.mark.parametrize("field", CHECKS)
@fuzz
@given(before=st.text(max_size=20), bad=st.sampled_from(FORBIDDEN), after=st.text(max_size=20))
def test_forbidden_characters_are_always_refused(
    field: str, before: str, bad: str, after: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        CHECKS[field](before + bad + after)
    assert refused.value.rule in {"forbidden_characters", "required"} or bad == " "


@fuzz
@given(password=st.text(max_size=200), confirmation=st.text(max_size=200))
def test_password_rules_never_crash(password: str, confirmation: str) -> None:
    assert len(password_checklist(password, confirmation)) == 4
    refusal = password_refusal(password, contract="1234567", meter="A12B345678", email="a@b.fr")
    assert refusal is None or f"password_{refusal}" in FRENCH


@fuzz
@given(typed=st.text(max_size=100))
def test_code_normalisation_never_crashes(typed: str) -> None:
    code = normalise_code(typed)
    assert code is None or (len(code) == 12 and set(code) <= set(ALPHABET))


@pytest.mark.parametrize(
    "field", ["last_name", "first_name", "email", "contract", "meter", "password"]
)
@pytest.mark.parametrize("hostile", [*HOSTILE, "ab\u200bcd", "Du\npont", "Dupont\x00"])
async def test_registration_with_hostile_values_stores_nothing(
    runtime: Runtime, field: str, hostile: str
) -> None:
    [velaux] = await runtime.services.communes.search("Velaux")
    values = {
        "last_name": "Dupont",
        "first_name": "Marie",
        "email": "marie@example.fr",
        "contract": "1234567",
        "meter": "A12B345678",
        "password": DEMO_PASSWORD,
    }
    values[field] = hostile
    confirm = values["password"]
    acceptable = all(r.satisfied for r in password_checklist(hostile, hostile)) and (
        password_refusal(hostile, contract="1234567", meter="A12B345678", email="marie@example.fr")
        is None
    )
    if field == "password" and acceptable:
        # An SQL- or script-looking password is just a password: kept whole, stored hashed.
        await runtime.services.registration.register(
            RegistrationRequest(velaux.id, password_confirm=confirm, **values)
        )
        async with runtime.engine.connect() as connection:
            stored = await connection.scalar(select(Account.password_hash))
        assert stored is not None and stored.startswith("$argon2id$") and hostile not in stored
        with pytest.raises(AccountNotActivated):  # the password matched: only activation lacks
            await runtime.services.sessions.sign_in("marie@example.fr", hostile)
        return
    with pytest.raises((InvalidInput, PasswordRejected)):
        await runtime.services.registration.register(
            RegistrationRequest(velaux.id, password_confirm=confirm, **values)
        )
    async with runtime.engine.connect() as connection:
        for model in (Account, OutboxMessage):
            assert await connection.scalar(select(func.count()).select_from(model)) == 0
