"""Register the demo subscriber with the keyboard, then activate with the e-mailed code."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.widgets import Button, Input, OptionList, Static

from kiosk.app import KioskApp
from kiosk.domain.catalogue import text
from kiosk.services import KioskServices
from screens.code import CodeScreen
from screens.commune import CommuneScreen
from screens.contract import ContractScreen
from screens.dashboard import DashboardScreen
from screens.identity import IdentityScreen
from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_METER, DEMO_PASSWORD, activate_demo
from tests.support.mail import SmtpSink, read_code
from tests.support.ui import SIZE, fill, identity_screen, notified, shown, submit_identity, wait_for


async def test_register_and_activate_with_the_keyboard(
    make_app: Callable[..., KioskApp],
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        assert app.focused is not None and app.focused.id == "commune"
        await pilot.press(*"velaux")
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#operator") != "")
        assert app.focused is not None and app.focused.id == "continue"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, IdentityScreen))
        assert app.focused is not None and app.focused.id == "last-name"
        await fill(pilot, "#last-name", "Dupont")
        await pilot.press("enter")
        assert app.focused.id == "first-name"
        await fill(pilot, "#first-name", "Marie")
        await fill(pilot, "#email", DEMO_EMAIL)
        await fill(pilot, "#password", DEMO_PASSWORD)
        await fill(pilot, "#password-confirm", DEMO_PASSWORD)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await fill(pilot, "#contract", DEMO_CONTRACT)
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "meter"
        await fill(pilot, "#meter", DEMO_METER)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodeScreen))
        assert notified(app, text("registered"))

        await deliver()
        [activation] = await smtp.wait_for(1)
        await fill(pilot, "#code", read_code(activation))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
        await wait_for(pilot, lambda: DEMO_CONTRACT in shown(app, "#contract-summary"))
        summary = shown(app, "#contract-summary")
        assert "Velaux" in summary and DEMO_METER in summary
        assert notified(app, text("welcome_body"))
    assert app.recovery.unexpected_errors == []


async def test_commune_search_ignores_accents_and_case(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        await pilot.press(*"EGUIL", "enter")
        await wait_for(pilot, lambda: shown(app, "#operator") != "")
        options = app.screen.query_one("#commune-list", OptionList)
        assert options.option_count == 1
        assert str(options.get_option_at_index(0).prompt) == "Éguilles  (Pays d'Aix)"
        assert shown(app, "#operator") == "Eaux de Marseille"


async def test_up_and_down_choose_in_the_list(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        await pilot.press(*"au")
        options = app.screen.query_one("#commune-list", OptionList)
        await wait_for(pilot, lambda: options.option_count > 1)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(3)]
        assert prompts == [  # the names that start with "au" first
            "Aubagne  (Pays d'Aubagne et de l'Étoile)",
            "Auriol  (Pays d'Aubagne et de l'Étoile)",
            "Aurons  (Pays Salonais)",
        ]
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: shown(app, "#operator") != "")
        assert options.highlighted == 1
        # Auriol, the second: its operator is not served here, so the search keeps the focus
        assert shown(app, "#operator") == "Régie des eaux de l'Est (démonstration)"
        assert app.focused is not None and app.focused.id == "commune"
        await pilot.press("down", "enter")  # Aurons, the third: served, so on to #continue
        await wait_for(pilot, lambda: shown(app, "#operator") == "Eaux de Marseille")
        assert options.highlighted == 2
        assert app.focused is not None and app.focused.id == "continue"


async def test_an_operator_not_served_is_explained_and_stops_the_flow(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, CommuneScreen))
        await pilot.press(*"aubagne", "enter")
        await wait_for(pilot, lambda: shown(app, "#operator") != "")
        assert "Régie des eaux de l'Est" in shown(app, "#operator")
        contact = shown(app, "#operator-contact")
        assert "04 00 00 00 01" in contact and "https://regie-est.example.fr" in contact
        assert app.screen.query_one("#continue", Button).disabled
        await pilot.press("enter")
        assert isinstance(app.screen, CommuneScreen)


async def test_identity_fields_are_mandatory_and_the_checklist_is_live(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        app.screen.query_one("#next", Button).focus()
        await pilot.press("enter")
        assert shown(app, "#last-name-error") == text("required")
        assert app.focused is not None and app.focused.id == "last-name"
        rules = app.screen.query_one("#password-rules")
        await fill(pilot, "#password", "abc")
        assert [line.has_class("-satisfied") for line in rules.query(".rule")] == [
            False,
            False,
            False,
            False,
        ]
        app.screen.query_one("#password").focus()
        await pilot.press("1", "!")
        assert rules.query_one(".rule-digit").has_class("-satisfied")
        assert rules.query_one(".rule-special").has_class("-satisfied")
        assert not rules.query_one(".rule-length").has_class("-satisfied")
        assert "✗ 8 caractères" in str(rules.query_one(".rule-length", Static).render())


async def test_a_refused_password_is_explained_on_the_contract_screen(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        await submit_identity(pilot, password="Eau-1234567")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await fill(pilot, "#contract", DEMO_CONTRACT)
        await fill(pilot, "#meter", DEMO_METER)
        await pilot.press("enter")
        assert text("password_contains_contract") in shown(app, "#form-error")
        await pilot.press("escape")
        assert isinstance(app.screen, IdentityScreen)
        assert app.screen.query_one("#email", Input).value == DEMO_EMAIL


async def test_unknown_subscriber_reads_the_guide_message(
    make_app: Callable[..., KioskApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        await submit_identity(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        await fill(pilot, "#contract", "7654321")
        await fill(pilot, "#meter", DEMO_METER)
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#form-error") != "")
        assert shown(app, "#form-error") == (
            "Les informations saisies pour ce compte sont incorrectes. "
            "Veuillez vérifier votre saisie."
        )
        await fill(pilot, "#contract", "12345")
        await pilot.press("enter", "enter")  # to the meter, then submit
        assert shown(app, "#contract-error") == text("contract_format")


async def test_tab_follows_the_order_of_the_ids(make_app: Callable[..., KioskApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        order = []
        for _ in range(6):
            assert app.focused is not None
            order.append(app.focused.id)
            await pilot.press("tab")
        assert order == ["last-name", "first-name", "email", "password", "password-confirm", "next"]


async def test_an_active_contract_points_to_forgotten_password(
    make_app: Callable[..., KioskApp],
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Callable[[], Awaitable[Any]],
) -> None:
    await activate_demo(services, smtp, deliver)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await identity_screen(pilot)
        await submit_identity(pilot, email="autre@example.fr")
        await wait_for(pilot, lambda: isinstance(app.screen, ContractScreen))
        order = []
        for _ in range(4):
            assert app.focused is not None
            order.append(app.focused.id)
            await pilot.press("tab")
        assert order == ["contract", "meter", "invoice-help", "submit"]
        await fill(pilot, "#contract", DEMO_CONTRACT)
        await fill(pilot, "#meter", DEMO_METER)
        await pilot.press("enter")
        await wait_for(pilot, lambda: shown(app, "#form-error") != "")
        assert shown(app, "#form-error") == text("contract_already_active")
        assert "Mot de passe oublié ?" in shown(app, "#form-error")
