"""Checks that can fail: every field labelled, ``lang="fr"``, text contrast at least 4.5:1
computed from the stylesheet, one script of the product's own and nothing external."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from kiosk.domain.billing_rules import InvoiceStatus
from kiosk.services.billing_results import ConsumptionBar, InvoiceLine, ReadingState
from tests.support.web import parse
from web.billing import svg_bars
from web.rendering import Renderer, checklist
from web.security import CookiePolicy, CsrfGuard

TEMPLATES = Path(str(resources.files("web").joinpath("templates")))
STYLESHEET = resources.files("web").joinpath("static/site.css").read_text("utf-8")
SUMMARY = SimpleNamespace(first_name="Marie", last_name="Dupont")
INVOICE = InvoiceLine(
    "F202607-000006",
    date(2026, 7, 15),
    date(2026, 1, 1),
    date(2026, 6, 30),
    38,
    Decimal("162.36"),
    Decimal("171.29"),
    date(2026, 8, 14),
    InvoiceStatus.OVERDUE,
)
BARS = [ConsumptionBar(date(2026, 1, 1), date(2026, 6, 30), 38)]
OPERATOR = SimpleNamespace(name="Eaux de Marseille")
DRAFT = SimpleNamespace(commune=SimpleNamespace(name="Velaux"), operator=OPERATOR)
COMMUNE = SimpleNamespace(id=1, name="Velaux", territory="Pays d'Aix")

CONTEXTS: dict[str, dict[str, Any]] = {
    "home.html": {},
    "code.html": {"error": "", "field_error": "Champ obligatoire", "sent": True},
    "activate.html": {"email_masked": "m***@example.fr"},
    "reset.html": {
        "lines": checklist("abc", ""),
        "error": "x",
        "errors": {"password": "x"},
        "email_masked": "m***@example.fr",
    },
    "login.html": {"email": "a@example.fr", "error": "x", "errors": {"email": "x"}},
    "forgot.html": {"email": "", "error": "", "errors": {}},
    "dashboard.html": {"summary": SUMMARY, "rows": [("Commune", "Velaux")], "leak_alert": True},
    "invoices.html": {"invoices": [INVOICE]},
    "consumption.html": {
        "bars": BARS,
        "shapes": svg_bars(BARS),
        "chart_width": 640,
        "chart_height": 240,
        "baseline": 200,
    },
    "reading.html": {
        "state": ReadingState("A12B345678", 486, date(2026, 6, 30)),
        "typed": "600",
        "error": "x",
        "field_error": "x",
        "confirm": True,
    },
    "change_password.html": {"lines": checklist(), "error": "", "errors": {}},
    "error.html": {"error_status": 404, "message": "Cette page n'existe pas."},
    "register_commune.html": {
        "query": "vel",
        "query_max": 60,
        "choices": [COMMUNE],
        "error": "x",
        "operator": OPERATOR,
        "refusal": "x",
        "listed": True,
    },
    "register_operator.html": {"operator": OPERATOR},
    "register_identity.html": {
        "draft": DRAFT,
        "values": {"last_name": "", "first_name": "", "email": ""},
        "errors": {"email": "x", "password": "x"},
        "lines": checklist(),
        "name_max": 60,
    },
    "register_contract.html": {
        "draft": DRAFT,
        "values": {"contract": "", "meter": ""},
        "errors": {"contract": "x"},
        "error": "x",
        "go_back": True,
        "contract_max": 9,
        "meter_max": 40,
    },
}
"""Every page template, with what its route gives it."""


def test_every_template_is_checked() -> None:
    pages = {path.name for path in TEMPLATES.glob("*.html") if not path.name.startswith("_")}
    assert pages - {"base.html"} == set(CONTEXTS), "a new template needs a context here"


@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_every_field_has_a_label_and_the_page_is_french(template: str) -> None:
    renderer = Renderer(CsrfGuard("k" * 40), CookiePolicy("https://example.fr"))
    response = renderer.render(
        None, template, notice=["Votre compte a été validé."], **CONTEXTS[template]
    )
    page = parse(bytes(response.body).decode())
    assert page.html_lang == "fr"
    for field in page.inputs():
        if field.get("type") == "hidden":
            continue
        assert field.get("id") in page.label_targets, f"{template}: {field} has no label"
    described = [attrs for _tag, attrs in page.elements if "aria-describedby" in attrs]
    for attrs in described:
        for target in attrs["aria-describedby"].split():
            assert page.by_id(target) is not None, f"{template}: {target} is not on the page"
    # The keyboard follows the page: no positive tabindex reorders it.
    assert all(int(attrs.get("tabindex", "0")) <= 0 for _tag, attrs in page.elements)
    # No external resource, no inline script or style (the CSP would block them anyway).
    for tag, attrs in page.elements:
        assert "style" not in attrs, f"{template}: inline style on <{tag}>"
        assert not any(name.startswith("on") for name in attrs), f"{template}: inline handler"
        for name in ("src", "href", "action"):
            value = attrs.get(name, "")
            assert not value.startswith(("http:", "https:", "//")), f"{template}: {value}"
        if tag == "script":
            assert attrs.get("src") in {"/static/checklist.js", "/static/communes.js"}
    assert "<style" not in bytes(response.body).decode()


# -- contrast -------------------------------------------------------------------------------


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb`` or ``#rgb``."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(digit * 2 for digit in hex_digits)
    assert re.fullmatch(r"[0-9a-fA-F]{6}", hex_digits), f"unreadable colour {colour!r}"
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def declared_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """Each innermost ``selector { declarations }`` of the stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = {}
        for declaration in body.split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                declarations[name.strip()] = value.strip()
        rules.append((" ".join(selector.split()), declarations))
    return rules


def test_contrast_helper_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just too light


def test_every_text_and_background_pair_has_contrast_4_5() -> None:
    pairs = []
    for selector, declarations in declared_rules(STYLESHEET):
        colour = declarations.get("color")
        background = declarations.get("background-color") or declarations.get("background")
        # The stylesheet's rule: a rule that sets one sets the other, so no pair is guessed.
        assert (colour is None) == (background is None), f"{selector}: colour without background"
        if colour is not None and background is not None:
            pairs.append((selector, colour, background))
    assert len(pairs) >= 10
    weak = {
        selector: round(contrast(colour, background), 2)
        for selector, colour, background in pairs
        if contrast(colour, background) < 4.5
    }
    assert weak == {}


def test_the_phone_layout_needs_no_horizontal_scrolling() -> None:
    page = resources.files("web").joinpath("templates/base.html").read_text("utf-8")
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    widths = re.findall(r"(?<![-\w])(?:min-)?width:\s*(\d+)px", STYLESHEET)
    assert all(int(width) <= 360 for width in widths)
