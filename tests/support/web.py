"""Driving the web companion in tests: an httpx client over ASGI, the pages parsed, the forms
posted with their CSRF token, the customer registered at a kiosk, the metrics parsed back."""

from __future__ import annotations

import re
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from kiosk.runtime import Runtime
from tests.support.demo import DEMO_EMAIL, register_demo
from tests.support.mail import SmtpSink, plain_text, read_code
from web.app import WebCompanion

BASE_URL = "https://espaceclients.example.fr"
"""The tests' public_url: https, so cookies are Secure and HSTS is sent."""
CUSTOMER_ADDRESS = "203.0.113.7"


def client_for(app: Any, address: str = CUSTOMER_ADDRESS) -> httpx.AsyncClient:
    """A browser at ``address``: keeps cookies, does not follow redirects by itself."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(address, 50123)),
        base_url=BASE_URL,
    )


class PageParser(HTMLParser):
    """What the tests read in a page: elements by id, inputs, labels, texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.label_targets: set[str] = set()
        self.html_lang: str | None = None
        self._texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "label" and "for" in attributes:
            self.label_targets.add(attributes["for"])

    def handle_data(self, data: str) -> None:
        self._texts.append(data)

    @property
    def text(self) -> str:
        """The visible text, whitespace collapsed."""
        return " ".join(" ".join(self._texts).split())

    def inputs(self) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.elements if tag in {"input", "select", "textarea"}]

    def by_id(self, element_id: str) -> dict[str, str] | None:
        for _tag, attrs in self.elements:
            if attrs.get("id") == element_id:
                return attrs
        return None


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    return parser


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None, "no CSRF token in the page"
    return match.group(1)


async def post_form(
    browser: httpx.AsyncClient, path: str, fields: dict[str, str], *, page: str | None = None
) -> httpx.Response:
    """Post ``fields`` the way the page's form does: with the page's CSRF token."""
    if page is None:
        page = (await browser.get(path)).text
    return await browser.post(path, data={"csrf_token": csrf_token(page), **fields})


# -- customers registered at the kiosk ---------------------------------------------------------


NEW_PASSWORD = "Nouveau*Mot2Passe"
LINK_PATTERN = re.compile(r"https?://[^/\s]+(/code\?c=[0-9A-Z-]{14}(?:&lang=[a-z]{2})?)")


def link_path(message: EmailMessage) -> str:
    """``/code?c=XXXX-XXXX-XXXX`` (``&lang=en`` in English): the link of a delivered e-mail, as
    the browser requests it."""
    match = LINK_PATTERN.search(plain_text(message))
    assert match is not None, "no link in the e-mail"
    return match.group(1)


async def register_at_kiosk(runtime: Runtime, email: str = DEMO_EMAIL) -> None:
    """The demo customer registers at a kiosk (the web cannot register)."""
    await register_demo(runtime.services, email=email)


async def delivered(runtime: Runtime, smtp: SmtpSink, count: int) -> EmailMessage:
    """Deliver the outbox; the ``count``-th e-mail received (1-based)."""
    await runtime.worker.deliver_all_due()
    return (await smtp.wait_for(count))[count - 1]


async def activated_customer(runtime: Runtime, smtp: SmtpSink) -> None:
    """Registered at the kiosk and activated there (two e-mails delivered)."""
    await register_at_kiosk(runtime)
    code = read_code(await delivered(runtime, smtp, 1))
    await runtime.services.redemption.redeem(code)
    await delivered(runtime, smtp, 2)


LOOPBACK = "127.0.0.1"
"""The address /metrics answers by default."""
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(exposition: str) -> Samples:
    """Every sample of a scrape, by name and sorted labels: the text parsed back."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


async def scrape(app: WebCompanion, address: str = LOOPBACK) -> httpx.Response:
    async with client_for(app, address) as client:
        return await client.get("/metrics")
