"""A real browser (the distribution's Chromium, driven by Selenium through chromedriver) follows
the links of delivered e-mails: activation, then forgotten password and reset, on a 360x740
phone and on a 1280x800 desktop, the desktop run with the keyboard only, and watches the
checklist tick while the password is typed.

Screenshots of the phone's reset page and invoices, of the dashboard and of the consumption
chart are written to ``tmp_path``, and to
``$KIOSK_SCREENSHOTS_DIR`` when set (``docs/screenshots`` for the README).
"""

from __future__ import annotations

import os
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

from kiosk.passwords import password_checklist
from kiosk.runtime import Runtime
from tests.support.billing import AFTER_THE_DEMO, pdf_text, signed_in_customer
from tests.support.clock import MovableClock
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.support.live_server import LiveServer
from tests.support.mail import SmtpSink
from tests.support.network import free_port
from tests.support.web import NEW_PASSWORD, register_at_kiosk

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = (360, 740)
DESKTOP = (1280, 800)
LINK = r"(http://127\.0\.0\.1:\d+/code\?c=[0-9A-Z-]{14})"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
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
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def emulate(driver: WebDriver, size: tuple[int, int]) -> None:
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": height,
            "deviceScaleFactor": 2 if width < 600 else 1,
            "mobile": width < 600,
        },
    )


def screenshot(driver: WebDriver, folder: Path, name: str) -> Path:
    path = folder / name
    driver.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    published = os.environ.get("KIOSK_SCREENSHOTS_DIR")
    if published:
        Path(published).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(published) / name)
    return path


def wait_for_path(driver: WebDriver, path: str) -> None:
    WebDriverWait(driver, 15).until(lambda d: d.current_url.split("?")[0].endswith(path))


def page_text(driver: WebDriver) -> str:
    return " ".join(driver.find_element(By.TAG_NAME, "body").text.split())


def checklist_state(driver: WebDriver) -> dict[str, bool]:
    lines = driver.find_elements(By.CSS_SELECTOR, "#password-rules li[data-rule]")
    return {
        line.get_attribute("data-rule") or "": "met" in (line.get_attribute("class") or "").split()
        for line in lines
    }


def expected_state(password: str, confirmation: str) -> dict[str, bool]:
    return {result.rule: result.satisfied for result in password_checklist(password, confirmation)}


def tab_to(driver: WebDriver, element_id: str) -> None:
    """Press Tab until ``element_id`` has the focus (it must be reached in the tab order)."""
    for _ in range(20):
        if (
            driver.execute_script("return document.activeElement && document.activeElement.id")
            == element_id
        ):
            return
        driver.switch_to.active_element.send_keys(Keys.TAB)
    raise AssertionError(f"#{element_id} is not reached with Tab")


def type_watching_the_checklist(
    driver: WebDriver, field_id: str, value: str, other: str, *, keyboard: bool
) -> list[dict[str, bool]]:
    """Type ``value`` key by key into the field; after every key, the checklist must say
    what the kiosk's rules say of the two fields. Returns the states seen."""
    if keyboard:
        tab_to(driver, field_id)
        field = driver.switch_to.active_element
    else:
        field = driver.find_element(By.ID, field_id)
        field.click()
    seen = []
    typed = str(field.get_property("value"))  # what was typed before, in this field
    for char in value:
        field.send_keys(char)
        typed += char
        password, confirmation = (typed, other) if field_id == "password" else (other, typed)
        state = checklist_state(driver)
        assert state == expected_state(password, confirmation), (field_id, typed)
        seen.append(state)
    return seen


def no_horizontal_scroll(driver: WebDriver) -> bool:
    return bool(
        driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    )


def follow_link(driver: WebDriver, link: str) -> None:
    driver.get(link)
    wait_for_path(driver, "/code")
    assert "c=" not in driver.current_url  # the code left the address bar


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
            server.call(runtime.worker.deliver_all_due())
            message = server.call(smtp.wait_for(count))[count - 1]
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            import re

            match = re.search(LINK, body.get_content())
            assert match is not None
            return match.group(1)

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
        # Nothing refused by the Content-Security-Policy, no script error (the browser asks
        # for /favicon.ico on its own: that 404 is expected).
        problems = [
            entry["message"]
            for entry in browser.get_log("browser")  # type: ignore[no-untyped-call]
            if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
        ]
        assert problems == []


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
        problems = [
            entry["message"]
            for entry in browser.get_log("browser")  # type: ignore[no-untyped-call]
            if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]
        ]
        assert problems == []
