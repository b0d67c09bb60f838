"""The customer's two languages: French, the source, and English from a gettext catalogue.

The French texts are :data:`kiosk.domain.catalogue.FRENCH`; each one is a gettext message whose
context (``msgctxt``) is its key and whose ``msgid`` is the French sentence itself. English
lives in ``kiosk/locale/en/LC_MESSAGES/messages.po`` (Babel), compiled into ``messages.mo`` by
``make`` (``make i18n-compile``); the kiosk reads the compiled file with the standard
library's :mod:`gettext`. Web templates may also say ``{% trans %}`` (Jinja2's i18n
extension): those messages, without context, are in the same catalogue.
"""

from __future__ import annotations

import ast
import gettext
from collections.abc import Collection, Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import IO, Any

LANGUAGES: tuple[str, ...] = ("fr", "en")
"""Every language a customer can choose, the product's own first."""
SOURCE_LANGUAGE = "fr"
"""The language of the texts in the code, and of a kiosk nobody has switched."""
LANGUAGE_NAMES: Mapping[str, str] = {"fr": "Français", "en": "English"}
"""Each language as its readers name it (the kiosk's button, the web's link)."""
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


class CatalogueNotCompiled(RuntimeError):
    """A language's ``.mo`` file is missing: the set-up (``make``) compiles it."""


def supported(language: str | None) -> str:
    """``language`` if a customer can choose it, else the source language."""
    return language if language in LANGUAGES else SOURCE_LANGUAGE


def other_language(language: str) -> str:
    """The language the switch offers while ``language`` is shown (there are two)."""
    return LANGUAGES[1] if language == LANGUAGES[0] else LANGUAGES[0]


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The messages of ``language``; French is the source and needs no catalogue.

    Raises:
        CatalogueNotCompiled: the ``.mo`` file of ``language`` is not there.
    """
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    if language not in LANGUAGES:
        raise ValueError(f"no such language: {language!r}")
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, [language])
    except FileNotFoundError:
        raise CatalogueNotCompiled(
            f"the {language!r} catalogue is not compiled: run `make i18n-compile`"
        ) from None


@lru_cache(maxsize=256)
def negotiate(accept_language: str) -> str:
    """The language an ``Accept-Language`` header prefers among :data:`LANGUAGES`.

    ``en-GB,en;q=0.9,fr;q=0.8`` -> ``en``; nothing we speak (or no header) -> French.
    Remembered: a few browsers' headers come again and again.
    """
    best, best_quality = SOURCE_LANGUAGE, 0.0
    for position, item in enumerate(accept_language.split(",")[:20]):
        tag, _, parameters = item.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        quality = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                continue
        # Earlier items win ties, as browsers list them by preference.
        quality -= position * 1e-6
        if language in LANGUAGES and quality > best_quality:
            best, best_quality = language, quality
    return best


def extract_catalogue(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel's extractor for ``kiosk/domain/catalogue.py`` (``babel.cfg``): each entry of ``FRENCH``
    as ``pgettext(key, french)``, read from the source without importing it."""
    tree = ast.parse(fileobj.read())
    for node in tree.body:
        if not (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "FRENCH"
            and isinstance(node.value, ast.Dict)
        ):
            continue
        for key, value in zip(node.value.keys, node.value.values, strict=True):
            if not (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                raise ValueError(f"line {value.lineno}: a catalogue entry is not a literal")
            yield value.lineno, "pgettext", (key.value, value.value), []
