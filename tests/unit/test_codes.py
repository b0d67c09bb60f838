"""Codes: 60 random bits in Crockford base32, forgiving typing, links, HMAC digests."""

from __future__ import annotations

import re

import pytest

from kiosk.domain.codes import (
    ALPHABET,
    code_digest,
    code_link,
    generate_code,
    normalise_code,
)

KEY = "k" * 32


def test_generated_codes_are_formatted_and_distinct() -> None:
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert re.fullmatch(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", code)


@pytest.mark.parametrize(
    "typed",
    ["AB12-CD34-EF56", "ab12cd34ef56", "ab12 cd34 ef56", " AB12-cd34-EF56 ", "AB12-CD34-EF56"],
)
def test_typing_is_forgiving(typed: str) -> None:
    assert normalise_code(typed) == "AB12CD34EF56"


def test_confusable_letters() -> None:
    assert normalise_code("O0IL-1111-0000") == "001111110000"
    assert normalise_code("oOiI-lL00-0000") == "001111000000"


@pytest.mark.parametrize(
    "typed",
    ["", "AB12-CD34-EF5", "AB12-CD34-EF567", "AB12-CD34-EFU6", "AB12-CD34-EF5!", "x" * 5000],
)
def test_not_a_code(typed: str) -> None:
    assert normalise_code(typed) is None


def test_the_link_carries_the_code() -> None:
    link = code_link("https://espaceclients.example.fr/", "AB12-CD34-EF56")
    assert link == "https://espaceclients.example.fr/code?c=AB12-CD34-EF56"
    assert normalise_code(link) == "AB12CD34EF56"
    assert normalise_code("https://x.example/code?c=1&c=2") is None
    assert normalise_code("https://x.example/code?d=AB12-CD34-EF56") is None


def test_digest_is_keyed_and_ignores_the_typing() -> None:
    digest = code_digest(KEY, "AB12-CD34-EF56")
    assert digest == code_digest(KEY, "ab12 cd34 ef56")
    assert digest != code_digest("j" * 32, "AB12-CD34-EF56")
    assert "AB12" not in digest and len(digest) == 64
