"""Every row and every bad input of SPEC §3."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import InvalidInput
from kiosk.domain.rules import (
    check_contract,
    check_email,
    check_meter,
    check_name,
    email_key,
    mask_email,
    search_key,
)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("1234567", "1234567"),
        ("0012345", "0012345"),  # leading zeros stay
        ("1234567K", "1234567"),  # the invoice letter pasted with the digits
        ("1234567 K", "1234567"),
        ("1234567k", "1234567"),
        (" 1234567 ", "1234567"),
    ],
)
def test_contract_accepted(typed: str, kept: str) -> None:
    assert check_contract(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "123456",  # too short
        "12345678",  # too long
        "١٢٣٤٥٦٧",  # Arabic-Indic digits
        "１２３４５６７",  # full-width digits
        "¹²³⁴⁵⁶⁷",  # superscripts
        "123 4567",
        "1234567KK",
        "1234567  K",
        "K1234567",
        "12345a7",
        "1234567-K",
    ],
)
def test_contract_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_contract(typed)
    assert (refused.value.field, refused.value.rule) == ("contract", "contract_format")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("A12B345678", "A12B345678"),
        ("a12b 345 678", "A12B345678"),
        ("12345", "12345"),
        ("A" * 20, "A" * 20),
    ],
)
def test_meter_accepted(typed: str, kept: str) -> None:
    assert check_meter(typed) == kept


@pytest.mark.parametrize("typed", ["1234", "A" * 21, "A12B-345678", "A12B34567É", "A12B３45678"])
def test_meter_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_meter(typed)
    assert refused.value.rule == "meter_format"


def test_email_accepted_and_compared_case_insensitively() -> None:
    assert check_email("Marie.Dupont@Example.FR") == "Marie.Dupont@example.fr"
    assert email_key("Marie.Dupont@example.fr") == email_key("marie.dupont@EXAMPLE.fr")
    assert check_email("léa@exemple.fr") == "léa@exemple.fr"


@pytest.mark.parametrize(
    "typed",
    [
        "marie",
        "marie@",
        "@example.fr",
        "marie@@example.fr",
        "marie dupont@example.fr",
        "a" * 245 + "@example.fr",
        "marie@example",
    ],
)
def test_email_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_email(typed)
    assert refused.value.rule == "email_format"


@pytest.mark.parametrize(
    "typed", ["Dupont", "N'Diaye", "Jean-Pierre", "Lê Thị", "Ζωή", "Müller", "O’Brien", "A" * 60]
)
def test_names_accepted(typed: str) -> None:
    assert check_name("last_name", typed) == typed


@pytest.mark.parametrize("typed", ["A" * 61, "Dupont2", "Du_pont", "'-", "Marie!", "<b>"])
def test_names_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_name("first_name", typed)
    assert (refused.value.field, refused.value.rule) == ("first_name", "name_format")


@pytest.mark.parametrize("check", [check_contract, check_meter, check_email])
@pytest.mark.parametrize("typed", ["", "   "])
def test_empty_is_required(check: object, typed: str) -> None:
    assert callable(check)
    with pytest.raises(InvalidInput) as refused:
        check(typed)
    assert refused.value.rule == "required"


@pytest.mark.parametrize(
    "bad",
    [
        "\x00",
        "\x07",
        "\x1b[31m",
        "\x7f",
        "\x85",
        "\x9b",  # C0, DEL, C1
        "\u202e",
        "\u202a",
        "\u2066",
        "\u2069",  # bidirectional overrides and isolates
        "\u200b",
        "\u200d",
        "\ufeff",
        "\u2060",  # zero-width
        "\n",
        "\r\n",
        "\u2028",
        "\u2029",  # line breaks
    ],
)
def test_forbidden_characters_in_every_text_field(bad: str) -> None:
    for field, check, good in [
        ("contract", check_contract, "1234567"),
        ("meter", check_meter, "A12B345678"),
        ("email", check_email, "marie@example.fr"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            check(good[:3] + bad + good[3:])
        assert (refused.value.field, refused.value.rule) == (field, "forbidden_characters")
    with pytest.raises(InvalidInput) as refused:
        check_name("last_name", "Du" + bad + "pont")
    assert refused.value.rule == "forbidden_characters"


def test_header_injection_is_refused() -> None:
    with pytest.raises(InvalidInput):
        check_email("a@b.c\r\nBcc: x@y")


def test_masking_and_search_keys() -> None:
    assert mask_email("marie.dupont@example.fr") == "m***@example.fr"
    assert search_key("Éguilles") == "eguilles"
    assert search_key("CHÂTEAUNEUF-LE-ROUGE") == "chateauneuf-le-rouge"
