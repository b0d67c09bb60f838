"""The gettext catalogue (SPEC §11): every customer text has its English, nothing more, nothing
stale; the code asks only for texts the catalogue has; the compiled file is the .po's."""

from __future__ import annotations

import ast
import gettext
import re
import string
from configparser import ConfigParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from textual.binding import Binding

from kiosk.domain.catalogue import FRENCH, hours_text, text
from kiosk.translations import LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, negotiate, translations

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
MessageKey = tuple[str | None, str]
"""(msgctxt, msgid)."""


def po_file(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def entries(catalogue: Catalog) -> dict[MessageKey, Message]:
    return {(message.context, str(message.id)): message for message in catalogue if message.id}


def extracted() -> set[MessageKey]:
    """What ``make i18n-extract`` finds today, with babel.cfg's map, in-process."""
    config = ConfigParser()
    config.read(ROOT / "babel.cfg", encoding="utf-8")
    extractors = dict(config.items("extractors"))
    method_map, options_map = [], {}
    for section in config.sections():
        if section == "extractors":
            continue
        method, pattern = (part.strip() for part in section.split(":", 1))
        method_map.append((pattern, extractors.get(method, method)))
        options_map[pattern] = dict(config.items(section))
    found: set[MessageKey] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT, method_map=method_map, options_map=options_map
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_customer_text_has_its_translation(language: str) -> None:
    translated = entries(read_catalogue(po_file(language)))
    missing = sorted(
        key
        for key, french in FRENCH.items()
        if (key, french) not in translated or not translated[(key, french)].string
    )
    fuzzy = sorted(
        str(message.context or message.id)
        for message in translated.values()
        if message.fuzzy and message.string
    )
    assert missing == [], f"no {language} text for these keys: write it in {po_file(language)}"
    assert fuzzy == [], f"fuzzy (to check, then unmark) in {po_file(language)}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_holds_what_the_code_says_and_nothing_else(language: str) -> None:
    # A text added to kiosk/domain/catalogue.py or a {% trans %} added to a template, without
    # `make i18n-update`, fails here; so does an entry left behind by a removed text. (The
    # extraction runs here, in-process: the template messages.pot is not committed.)
    in_code = extracted()
    assert len(in_code) >= len(FRENCH)  # the extractor reads the catalogue
    translated = entries(read_catalogue(po_file(language)))
    assert sorted(in_code - set(translated), key=str) == [], "run `make i18n-update`"
    assert sorted(set(translated) - in_code, key=str) == [], "stale entries: `make i18n-update`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language: str) -> None:
    def fields(template: str) -> set[str]:
        return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}

    translated = entries(read_catalogue(po_file(language)))
    different = [
        key
        for key, french in FRENCH.items()
        if (key, french) in translated
        and fields(str(translated[(key, french)].string)) != fields(french)
    ]
    assert different == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_the_po_file(language: str) -> None:
    compiled = LOCALE_DIR / language / "LC_MESSAGES" / "messages.mo"
    assert compiled.is_file(), "run `make i18n-compile` (the set-up does it)"
    with compiled.open("rb") as file:
        mo = gettext.GNUTranslations(file)
    stale = [
        str(message.context)
        for message in read_catalogue(po_file(language))
        if message.id
        and message.context
        and mo.pgettext(message.context, str(message.id)) != message.string
    ]
    assert stale == [], "run `make i18n-compile`"


TEMPLATE_TEXT = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']""")


def test_every_key_the_web_and_the_mails_ask_for_exists() -> None:
    # tests/unit/test_catalogue.py scans kiosk/ and screens/; the templates' t("...") and the
    # web's own text("...", language) calls are here.
    asked: dict[str, set[str]] = {}
    for path in (ROOT / "web" / "templates").glob("*.html"):
        asked[path.name] = set(TEMPLATE_TEXT.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "web").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "text"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                asked.setdefault(path.name, set()).add(str(node.args[0].value))
    assert sum(len(keys) for keys in asked.values()) > 30
    missing = {name: sorted(keys - set(FRENCH)) for name, keys in asked.items()}
    assert {name: keys for name, keys in missing.items() if keys} == {}


def test_french_is_the_source_and_english_comes_from_the_catalogue() -> None:
    assert text("button_create") == "Créer mon espace client"
    assert text("button_create", "en") == "Create my customer space"
    assert text("step", "en", number=2) == "Step 2 of 4"
    assert translations("en").pgettext("button_language", "English") == "Français"
    assert hours_text(1.5) == "1,5" and hours_text(1.5, "en") == "1.5"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),
        ("de-DE,it;q=0.5", "fr"),
        ("en;q=0.2,fr;q=0.7", "fr"),
        ("en;q=nonsense,fr", "fr"),
        ("*", "fr"),
    ],
)
def test_accept_language_chooses_on_a_first_visit(header: str, language: str) -> None:
    assert negotiate(header) == language


def test_every_footer_text_of_the_screens_has_its_english() -> None:
    # The Footer shows the bindings' descriptions and key names, written in French in the
    # classes' BINDINGS; screens.language translates those it knows: a new one must be known.
    import importlib
    import inspect
    import pkgutil

    import screens
    from screens.language import FOOTER_KEYS, footer_text

    shown: set[str] = set()
    for module in pkgutil.walk_packages(screens.__path__, "screens."):
        for _name, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            for binding in getattr(cls, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.show:
                    shown.add(binding.description)
                    if binding.key_display and not re.fullmatch(r"F\d+", binding.key_display):
                        shown.add(binding.key_display)
    assert len(shown) > 8
    untranslated = sorted(label for label in shown if footer_text(label, "en") == label)
    assert untranslated == [], f"add their keys to FOOTER_KEYS ({', '.join(FOOTER_KEYS)})"


def test_a_missing_compiled_catalogue_says_how_to_build_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk import translations as module

    monkeypatch.setattr(module, "LOCALE_DIR", tmp_path)
    with pytest.raises(module.CatalogueNotCompiled, match="make i18n-compile"):
        module.translations.__wrapped__("en")
    assert module.translations.__wrapped__("fr").gettext("Bonjour") == "Bonjour"


def test_templates_read_the_same_catalogue_through_jinja2s_i18n_extension() -> None:
    from web.rendering import Renderer
    from web.security import CookiePolicy, CsrfGuard

    envs = Renderer(CsrfGuard("unit-test-key-" + "x" * 32), CookiePolicy("https://x.fr")).envs
    template = (
        '{{ t("button_create") }} / {{ pgettext("button_create", "Créer mon espace client") }}'
    )
    english = envs["en"].from_string(template).render()
    french = envs["fr"].from_string(template).render()
    assert english == "Create my customer space / Create my customer space"
    assert french == "Créer mon espace client / Créer mon espace client"
