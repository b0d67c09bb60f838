"""Driving the distribution's Chromium in tests: phone or desktop sizes, the keyboard, the
live checklist, screenshots (``$KIOSK_SCREENSHOTS_DIR`` publishes them for the README)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.wait import WebDriverWait

from kiosk.domain.passwords import password_checklist

PHONE = (360, 740)
DESKTOP = (1280, 800)


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


def screenshot(driver: WebDriver, folder: Path, name: str, *, whole_page: bool = False) -> Path:
    """A PNG of the viewport (``whole_page``: of the whole page, as wide as the viewport)."""
    path = folder / name
    if whole_page:
        width, height = driver.execute_script(
            "return [window.innerWidth, document.documentElement.scrollHeight]"
        )
        emulate(driver, (int(width), int(height)))
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
    """The page's visible text, whitespace collapsed; read in one script call, so that a page
    being replaced meanwhile (a form just submitted) gives no stale element."""
    text = driver.execute_script("return document.body ? document.body.innerText : ''")
    return " ".join(str(text).split())


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
