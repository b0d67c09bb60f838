"""A real browser (the distribution's Chromium, driven by Selenium through chromedriver) follows
the links of delivered e-mails: activation, then forgotten password and reset, on a 360x740
phone and on a 1280x800 desktop, the desktop run with the keyboard only, and watches the
checklist tick while the password is typed; and a whole registration on the phone with the
keyboard only, from ``/`` to the dashboard through the e-mailed link.

Screenshots of the phone's reset page, of the phone's identity step and of the dashboard are
written to ``tmp_path``, and to ``$KIOSK_SCREENSHOTS_DIR`` when set (``docs/screenshots`` for
the README).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from kiosk.domain.catalogue import text
from kiosk.runtime import Runtime
from tests.support.billing import AFTER_THE_DEMO, pdf_text, signed_in_customer
from tests.support.browser import (
    DESKTOP,
    PHONE,
    checklist_state,
    emulate,
    expected_state,
    follow_link,
    no_horizontal_scroll,
    page_text,
    screenshot,
    tab_to,
    type_watching_the_checklist,
    wait_for_path,
)
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_CONTRACT, DEMO_EMAIL, DEMO_METER, DEMO_PASSWORD, register_demo
from tests.support.live_server import LiveServer
from tests.support.mail import SmtpSink
from tests.support.network import free_port
from tests.support.web import NEW_PASSWORD, register_at_kiosk

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LINK = r"(http://127\.0\.0\.1:\d+/code\?c=[0-9A-Z-]{14})"


def start_browser(profile: Path, accept_language: str) -> WebDriver:
    """Chromium whose customer reads ``accept_language`` (its ``Accept-Language`` header)."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--lang={accept_language.split(',')[0]}",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": accept_language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    """A French customer's browser (SPEC §11: the pages follow ``Accept-Language``)."""
    driver = start_browser(tmp_path / "chromium-profile", "fr-FR,fr")
    yield driver
    driver.quit()


@pytest.fixture
def english_browser(tmp_path: Path) -> Iterator[WebDriver]:
    driver = start_browser(tmp_path / "chromium-profile-en", "en-GB,en")
    yield driver
    driver.quit()


def delivered_link(server: LiveServer, smtp: SmtpSink, count: int) -> str:
    """Deliver the outbox; the link of the ``count``-th e-mail received (1-based)."""
    server.call(server.runtime.worker.deliver_all_due())
    message = server.call(smtp.wait_for(count))[count - 1]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    match = re.search(LINK, body.get_content())
    assert match is not None
    return match.group(1)


def no_browser_problem(driver: WebDriver) -> list[str]:
    """What the Content-Security-Policy refused or a script threw (the browser asks for
    /favicon.ico on its own: that 404 is expected)."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")  # type: ignore[no-untyped-call]
        if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
    ]


@pytest.mark.parametrize(
    ("size", "keyboard"),
    [(PHONE, False), (DESKTOP, True)],
    ids=["phone-360x740", "desktop-keyboard"],
)
def test_links_of_the_emails_in_a_real_browser(
    make_runtime: Callable[..., Runtime],
    smtp: SmtpSink,
    browser: WebDriver,
    tmp_path: Path,
    size: tuple[int, int],
    keyboard: bool,
) -> None:
    port = free_port()
    runtime = make_runtime(public_url=f"http://127.0.0.1:{port}")
    with LiveServer(runtime, port) as server:
        emulate(browser, size)

        def deliver_link(count: int) -> str:
            return delivered_link(server, smtp, count)

        # Registered at the kiosk; at home, the customer opens the activation link.
        server.call(register_at_kiosk(runtime))
        follow_link(browser, deliver_link(1))
        assert "Activer mon espace client" in page_text(browser)
        if keyboard:
            tab_to(browser, "activate")
            browser.switch_to.active_element.send_keys(Keys.ENTER)
        else:
            browser.find_element(By.ID, "activate").click()
        wait_for_path(browser, "/tableau-de-bord")
        shown = page_text(browser)
        assert "Bienvenue sur votre Agence en Ligne" in shown
        assert "Votre compte a été validé." in shown
        assert no_horizontal_scroll(browser)
        if not keyboard:
            emulate(browser, DESKTOP)
            screenshot(browser, tmp_path, "dashboard.png")
            emulate(browser, size)

        # Signs out, then forgets the password.
        if keyboard:
            tab_to(browser, "logout")
            browser.switch_to.active_element.send_keys(Keys.ENTER)
            wait_for_path(browser, "/")
            tab_to(browser, "forgot")
            browser.switch_to.active_element.send_keys(Keys.ENTER)
            wait_for_path(browser, "/mot-de-passe-oublie")
            tab_to(browser, "email")
            browser.switch_to.active_element.send_keys(DEMO_EMAIL, Keys.ENTER)
        else:
            browser.find_element(By.ID, "logout").click()
            wait_for_path(browser, "/")
            browser.find_element(By.ID, "forgot").click()
            wait_for_path(browser, "/mot-de-passe-oublie")
            browser.find_element(By.ID, "email").send_keys(DEMO_EMAIL)
            browser.find_element(By.ID, "send").click()
        WebDriverWait(browser, 15).until(lambda d: "Si votre compte existe" in page_text(d))

        # The reset link: the checklist ticks as the new password is typed.
        follow_link(browser, deliver_link(3))
        assert checklist_state(browser) == expected_state("", "")
        if keyboard:  # Tab goes through the form in its order
            tab_to(browser, "password")
            order = []
            for _ in range(2):
                browser.switch_to.active_element.send_keys(Keys.TAB)
                order.append(browser.execute_script("return document.activeElement.id"))
            assert order == ["password-confirm", "validate"]
            for _ in range(2):  # and Shift+Tab back
                browser.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
            assert browser.execute_script("return document.activeElement.id") == "password"
        seen = type_watching_the_checklist(browser, "password", NEW_PASSWORD, "", keyboard=keyboard)
        assert seen[0] == {"digit": False, "length": False, "special": False, "confirmation": False}
        assert seen[-1] == {"digit": True, "length": True, "special": True, "confirmation": False}
        half = NEW_PASSWORD[: len(NEW_PASSWORD) // 2]
        type_watching_the_checklist(
            browser, "password-confirm", half, NEW_PASSWORD, keyboard=keyboard
        )
        if not keyboard:
            assert no_horizontal_scroll(browser)
            screenshot(browser, tmp_path, "reset-phone.png")
        rest = NEW_PASSWORD[len(half) :]
        states = type_watching_the_checklist(
            browser, "password-confirm", rest, NEW_PASSWORD, keyboard=keyboard
        )
        assert states[-1] == {"digit": True, "length": True, "special": True, "confirmation": True}
        if keyboard:
            browser.switch_to.active_element.send_keys(Keys.ENTER)
        else:
            browser.find_element(By.ID, "validate").click()
        wait_for_path(browser, "/connexion")
        assert "Votre mot de passe a été mis à jour." in page_text(browser)

        # And signs in with the new password.
        if keyboard:
            tab_to(browser, "email")
            browser.switch_to.active_element.send_keys(
                DEMO_EMAIL, Keys.TAB, NEW_PASSWORD, Keys.ENTER
            )
        else:
            browser.find_element(By.ID, "email").send_keys(DEMO_EMAIL)
            browser.find_element(By.ID, "password").send_keys(NEW_PASSWORD)
            browser.find_element(By.ID, "login-submit").click()
        wait_for_path(browser, "/tableau-de-bord")
        assert "Bonjour Marie Dupont" in page_text(browser)
        assert no_browser_problem(browser) == []


def press(driver: WebDriver, *keys: str) -> None:
    driver.switch_to.active_element.send_keys(*keys)


def test_a_whole_registration_on_a_phone_with_the_keyboard_only(
    make_runtime: Callable[..., Runtime],
    smtp: SmtpSink,
    browser: WebDriver,
    tmp_path: Path,
) -> None:
    port = free_port()
    runtime = make_runtime(public_url=f"http://127.0.0.1:{port}")
    with LiveServer(runtime, port) as server:
        emulate(browser, PHONE)
        browser.get(server.url + "/")
        tab_to(browser, "create")  # the first of the home's choices
        press(browser, Keys.ENTER)

        # Step 2: the list follows the typing (the product's script), Tab reaches it.
        wait_for_path(browser, "/inscription")
        assert browser.execute_script("return document.activeElement.id") == "commune"
        press(browser, *"velau")
        listed = "return [...document.querySelectorAll('#commune-list button')]"
        WebDriverWait(browser, 15).until(
            lambda d: (
                d.execute_script(listed + ".map(b => b.innerText)") == ["Velaux (Pays Salonais)"]
            )
        )
        assert browser.current_url.endswith("/inscription")  # no page was loaded for it
        velaux = browser.find_element(By.CSS_SELECTOR, "#commune-list button")
        tab_to(browser, str(velaux.get_attribute("id")))
        press(browser, Keys.ENTER)
        WebDriverWait(browser, 15).until(lambda d: "Eaux de Marseille" in page_text(d))
        assert no_horizontal_scroll(browser)
        tab_to(browser, "continue")
        press(browser, Keys.ENTER)

        # Step 3: the identity, Tab from field to field, the checklist ticking.
        wait_for_path(browser, "/inscription/identite")
        assert browser.execute_script("return document.activeElement.id") == "last-name"
        press(browser, "Dupont", Keys.TAB, "Marie", Keys.TAB, DEMO_EMAIL, Keys.TAB)
        type_watching_the_checklist(browser, "password", DEMO_PASSWORD, "", keyboard=True)
        press(browser, Keys.TAB)
        type_watching_the_checklist(
            browser, "password-confirm", DEMO_PASSWORD, DEMO_PASSWORD, keyboard=True
        )
        assert checklist_state(browser) == expected_state(DEMO_PASSWORD, DEMO_PASSWORD)
        assert no_horizontal_scroll(browser)
        screenshot(browser, tmp_path, "registration-identity-phone.png", whole_page=True)
        press(browser, Keys.ENTER)

        # Step 3, second part: the numbers of the invoice.
        wait_for_path(browser, "/inscription/contrat")
        assert browser.execute_script("return document.activeElement.id") == "contract"
        press(browser, DEMO_CONTRACT, Keys.TAB, DEMO_METER, Keys.ENTER)
        wait_for_path(browser, "/inscription/envoye")
        assert text("registered") in page_text(browser)
        assert DEMO_PASSWORD not in browser.page_source
        assert no_horizontal_scroll(browser)

        # Step 4: the e-mailed link, then the keyboard again.
        follow_link(browser, delivered_link(server, smtp, 1))
        tab_to(browser, "activate")
        press(browser, Keys.ENTER)
        wait_for_path(browser, "/tableau-de-bord")
        shown = page_text(browser)
        assert "Votre compte a été validé." in shown and "Bonjour Marie Dupont" in shown
        assert DEMO_CONTRACT in shown
        assert no_browser_problem(browser) == []


def page_language(driver: WebDriver) -> str:
    """The page's ``lang`` (read by a script: an element found during a navigation goes stale)."""
    return str(driver.execute_script("return document.documentElement.lang"))


def test_both_languages_in_a_real_browser(
    make_runtime: Callable[..., Runtime], smtp: SmtpSink, english_browser: WebDriver
) -> None:
    port = free_port()
    runtime = make_runtime(public_url=f"http://127.0.0.1:{port}")
    with LiveServer(runtime, port) as server:
        driver = english_browser
        emulate(driver, PHONE)

        # A first visit: the browser asks for English.
        driver.get(f"http://127.0.0.1:{port}/")
        assert page_language(driver) == "en"
        assert "Create your customer space, activate it" in page_text(driver)
        assert no_horizontal_scroll(driver)

        # The link of the page: French, remembered on the next pages.
        driver.find_element(By.ID, "language").click()
        WebDriverWait(driver, 15).until(lambda d: page_language(d) == "fr")
        assert "Créez votre espace client, activez-le" in page_text(driver)
        driver.find_element(By.ID, "login").click()
        wait_for_path(driver, "/connexion")
        assert page_language(driver) == "fr"
        assert "Se connecter" in page_text(driver)
        assert driver.find_element(By.ID, "language").text == "English"

        # Registered in English at the kiosk: the e-mail's link opens English pages again.
        server.call(register_demo(runtime.services, language="en"))
        server.call(runtime.worker.deliver_all_due())
        [activation] = server.call(smtp.wait_for(1))
        assert activation["Subject"] == "Activate your customer space"
        body = activation.get_body(preferencelist=("plain",))
        assert body is not None
        match = re.search(LINK + "&lang=en", body.get_content())
        assert match is not None
        follow_link(driver, match.group(0))
        assert page_language(driver) == "en"
        assert "Your code is valid. Confirm the activation of your customer space." in page_text(
            driver
        )
        driver.find_element(By.ID, "activate").click()
        wait_for_path(driver, "/tableau-de-bord")
        shown = page_text(driver)
        assert "Welcome to your Online Agency" in shown
        assert "Contract number" in shown and "Numéro de contrat" not in shown
        assert driver.find_element(By.ID, "language").text == "Français"
        assert no_horizontal_scroll(driver)


def test_invoices_and_a_pdf_on_a_phone(
    make_runtime: Callable[..., Runtime],
    smtp: SmtpSink,
    browser: WebDriver,
    tmp_path: Path,
    clock: MovableClock,
) -> None:
    """SPEC §9 on a 360-px phone: the invoices page reads without sideways scrolling, and the
    newest invoice downloads as a real PDF."""
    clock.now = AFTER_THE_DEMO
    port = free_port()
    runtime = make_runtime(public_url=f"http://127.0.0.1:{port}")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with LiveServer(runtime, port) as server:
        server.call(signed_in_customer(runtime.services, smtp, runtime.worker.deliver_all_due))
        emulate(browser, PHONE)
        browser.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        browser.get(f"http://127.0.0.1:{port}/connexion")
        browser.find_element(By.ID, "email").send_keys(DEMO_EMAIL)
        browser.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
        browser.find_element(By.ID, "login-submit").click()
        wait_for_path(browser, "/tableau-de-bord")
        browser.find_element(By.ID, "invoices").click()
        wait_for_path(browser, "/factures")
        rows = browser.find_elements(By.CSS_SELECTOR, "#invoices tbody tr")
        assert len(rows) == 6
        assert "171,29 €" in rows[0].text and "À payer" in rows[0].text
        assert no_horizontal_scroll(browser)
        screenshot(browser, tmp_path, "invoices-phone.png")
        rows[0].find_element(By.CSS_SELECTOR, "a.pdf").click()
        target = downloads / "facture-F202607-000006.pdf"
        WebDriverWait(browser, 15).until(lambda _d: target.exists())
        assert "DUPONT Marie" in pdf_text(target.read_bytes())
        assert "171,29 €" in pdf_text(target.read_bytes())
        browser.get(f"http://127.0.0.1:{port}/consommation")
        assert len(browser.find_elements(By.CSS_SELECTOR, "#consumption rect")) == 6
        assert no_horizontal_scroll(browser)
        emulate(browser, DESKTOP)
        screenshot(browser, tmp_path, "consumption.png")
        assert no_browser_problem(browser) == []
