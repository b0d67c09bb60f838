"""The password checklist, the refusals beyond it, and hashing off the event loop."""

from __future__ import annotations

import asyncio
import time

import pytest
from argon2 import PasswordHasher

from kiosk.domain.passwords import (
    common_passwords,
    password_checklist,
    password_refusal,
)
from kiosk.hashing import PasswordHashing
from tests.support.installation import FAST_HASH


def ticks(password: str, confirmation: str) -> dict[str, bool]:
    return {r.rule: r.satisfied for r in password_checklist(password, confirmation)}


def test_checklist_one_result_per_rule_in_order() -> None:
    assert [r.rule for r in password_checklist("", "")] == [
        "digit",
        "length",
        "special",
        "confirmation",
    ]
    assert ticks("", "") == {
        "digit": False,
        "length": False,
        "special": False,
        "confirmation": False,
    }


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("abc", {"digit": False, "length": False, "special": False}),
        ("abc1", {"digit": True, "length": False, "special": False}),
        ("abcdefgh", {"digit": False, "length": True, "special": False}),
        ("abc def1", {"digit": True, "length": True, "special": True}),  # a space is special
        ("Eau#Source9", {"digit": True, "length": True, "special": True}),
        ("ｅａｕ＃１２３４", {"digit": True, "length": True, "special": True}),  # NFKC
    ],
)
def test_checklist_rules(password: str, expected: dict[str, bool]) -> None:
    result = ticks(password, password)
    assert {k: result[k] for k in expected} == expected
    assert result["confirmation"] is True


def test_confirmation_must_be_identical() -> None:
    assert ticks("Eau#Source9", "Eau#Source8")["confirmation"] is False
    # NFKC: the full-width form confirms the ASCII form.
    assert ticks("Eau#Source9", "Eau#Source９")["confirmation"] is True


def test_blocklist_is_large_and_has_composition_satisfying_entries() -> None:
    blocklist = common_passwords()
    assert len(blocklist) > 5000
    for common in ("Password1!", "Azerty123!", "Marseille13!", "motdepasse"):
        assert password_refusal(common) == "common"
    assert password_refusal("Soleil2024!") == "common"  # a common word decorated
    assert password_refusal("Truite#Bleue-97") is None


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Abc#1234567x", "contains_contract"),
        ("Xa12b345678!", "contains_meter"),
        ("Marie.dupont#9", "contains_email"),
        ("Aa1!" * 33, "too_long"),
        ("Eau#Sou\u200brce9", "forbidden_characters"),
        ("Eau#Source9\n", "forbidden_characters"),
    ],
)
def test_refusals_beyond_the_checklist(password: str, reason: str) -> None:
    assert (
        password_refusal(
            password, contract="1234567", meter="A12B345678", email="marie.dupont@example.fr"
        )
        == reason
    )


async def test_hashing_runs_off_the_event_loop() -> None:
    hashing = PasswordHashing(2, FAST_HASH)
    try:
        stored = await hashing.hash("Eau#Source9")
        assert stored.startswith("$argon2id$")
        assert await hashing.verify(stored, "Eau#Source9")
        assert await hashing.verify(stored, "ｅａｕ") is False
        assert await hashing.verify(None, "Eau#Source9") is False  # unknown account
        # While hashes run, the loop keeps ticking.
        ticks_seen = 0

        async def ticker() -> None:
            nonlocal ticks_seen
            while True:
                ticks_seen += 1
                await asyncio.sleep(0.001)

        task = asyncio.create_task(ticker())
        await asyncio.gather(*(hashing.hash("x") for _ in range(4)))
        task.cancel()
        assert ticks_seen > 1
    finally:
        hashing.close()


async def test_hash_made_with_other_parameters_needs_a_rehash() -> None:
    hashing = PasswordHashing(1, FAST_HASH)
    try:
        old = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash("Eau#Source9")
        assert hashing.needs_rehash(old)
        assert not hashing.needs_rehash(await hashing.hash("Eau#Source9"))
        assert hashing.needs_rehash("not a hash")
    finally:
        hashing.close()


def test_nfkc_applies_before_hashing() -> None:
    hashing = PasswordHashing(1, FAST_HASH)

    async def scenario() -> bool:
        stored = await hashing.hash("Ｅａｕ＃Ｓｏｕｒｃｅ９")
        return await hashing.verify(stored, "Eau#Source9")

    try:
        started = time.perf_counter()
        assert asyncio.run(scenario())
        assert time.perf_counter() - started < 60
    finally:
        hashing.close()


@pytest.mark.parametrize(
    "password",
    [
        "mot de passe1",
        "Pass word1!",
        "Bon jour1!",
        "Azerty 123!",
        "P.a.s.s.w.o.r.d1!",
        "soleil_2024!",
    ],
)
def test_separators_do_not_hide_a_common_password(password: str) -> None:
    assert password_refusal(password) == "common"


@pytest.mark.parametrize(
    ("password", "email"),
    [
        ("jean-dupont1!", "jean.dupont@example.fr"),
        ("Jean Dupont 1!", "jean.dupont@example.fr"),
        ("jeandupont#1", "jean_dupont@example.fr"),
        ("x-Jean.Dupont-9", "jean-dupont@example.fr"),
    ],
)
def test_separators_do_not_hide_the_address(password: str, email: str) -> None:
    assert password_refusal(password, email=email) == "contains_email"


@pytest.mark.parametrize(
    ("password", "reason"),
    [("Eau#12 34 567", "contains_contract"), ("Eau#A12.B345.678", "contains_meter")],
)
def test_separators_do_not_hide_the_contract_or_the_meter(password: str, reason: str) -> None:
    assert password_refusal(password, contract="1234567", meter="A12B345678") == reason


def test_passphrases_with_separators_are_still_allowed() -> None:
    for password in ("Truite#Bleue-97", "Ruisseau-42!", "la truite bleue du 7 juin"):
        assert password_refusal(password, email="marie.dupont@example.fr") is None


def test_the_refusal_stays_fast() -> None:
    common_passwords()  # the load is measured by the next test
    started = time.perf_counter()
    for _ in range(1000):
        password_refusal(
            "la truite bleue du 7 juin", contract="1234567", meter="A12B345678", email="m@x.fr"
        )
    assert time.perf_counter() - started < 0.5  # well under a millisecond each


def test_the_blocklist_loads_quickly() -> None:
    common_passwords.cache_clear()
    started = time.perf_counter()
    common_passwords()
    assert time.perf_counter() - started < 0.25
