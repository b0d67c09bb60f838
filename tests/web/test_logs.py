"""A code never appears in a log line: neither the service's nor the access log's, through the
ASGI application or a real uvicorn server."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import httpx
import pytest

from kiosk.domain.codes import normalise_code
from kiosk.runtime import Runtime
from tests.support.demo import DEMO_EMAIL
from tests.support.live_server import LiveServer
from tests.support.mail import SmtpSink, read_code
from tests.support.network import free_port
from tests.support.web import (
    NEW_PASSWORD,
    csrf_token,
    delivered,
    link_path,
    post_form,
    register_at_kiosk,
)


def secrets_of(code: str) -> list[str]:
    canonical = normalise_code(code)
    assert canonical is not None
    return [code, canonical, code.lower(), canonical.lower()]


WRITTEN_LOGGERS = ("kiosk", "uvicorn", "starlette")
"""The loggers whose lines reach a log (kiosk.logs sends them to the file, and to stderr for
``kiosk web``). The drivers' own debug loggers (aiosqlite prints every statement with its
values) and the test's HTTP client have no handler in the product."""


def written(records: list[logging.LogRecord]) -> str:
    """The lines the product writes, at any level, formatted."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(
        formatter.format(record) for record in records if record.name.startswith(WRITTEN_LOGGERS)
    )


async def test_no_code_in_any_log_record(
    runtime: Runtime, smtp: SmtpSink, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await register_at_kiosk(runtime)
    activation = await delivered(runtime, smtp, 1)
    await client.head(link_path(activation))
    await client.get(link_path(activation))
    page = await client.get("/code")
    await post_form(client, "/code", {"step": "activate"}, page=page.text)
    await post_form(client, "/mot-de-passe-oublie", {"email": DEMO_EMAIL})
    reset = await delivered(runtime, smtp, 3)
    await client.get(link_path(reset))
    form = await client.get("/code")
    await post_form(
        client,
        "/code",
        {"step": "reset", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        page=form.text,
    )
    # A code typed, right and wrong, and a wrong one in a link.
    await post_form(client, "/code", {"step": "type", "code": "ABCD-EFGH-JKMN"})
    await client.get("/code?c=ABCD-EFGH-JKMP")

    lines = written(caplog.records)
    for code in (read_code(activation), read_code(reset), "ABCD-EFGH-JKMN", "ABCD-EFGH-JKMP"):
        for form_of_it in secrets_of(code):
            assert form_of_it not in lines
    assert NEW_PASSWORD not in lines
    access = [r.getMessage() for r in caplog.records if r.name == "kiosk.web.access"]
    assert any(line.startswith("GET /code 303") for line in access)  # the landing, logged
    assert any(line.startswith("HEAD /code 303") for line in access)
    assert all("?" not in line and "c=" not in line for line in access)
    assert "client=203.0.113.7" in access[0]


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def server_logs() -> Iterator[Collected]:
    """Everything the kiosk's and uvicorn's loggers write, whatever their propagation."""
    collected = Collected()
    loggers = [logging.getLogger(name) for name in ("kiosk", "uvicorn", "uvicorn.access", "")]
    for logger in loggers:
        logger.addHandler(collected)
    previous = logging.getLogger("kiosk").level
    logging.getLogger("kiosk").setLevel(logging.DEBUG)
    yield collected
    for logger in loggers:
        logger.removeHandler(collected)
    logging.getLogger("kiosk").setLevel(previous)


def test_no_code_in_a_real_servers_logs(
    make_runtime: Callable[..., Runtime], smtp: SmtpSink, server_logs: Collected
) -> None:
    port = free_port()
    runtime = make_runtime(public_url=f"http://127.0.0.1:{port}")
    with LiveServer(runtime, port) as server, httpx.Client(base_url=server.url) as browser:

        def open_link(count: int) -> str:
            """Deliver, open the e-mail's link as a scanner and a browser do; its code."""
            server.call(runtime.worker.deliver_all_due())
            message = server.call(smtp.wait_for(count))[count - 1]
            link = link_path(message)
            assert browser.head(link).status_code == 303
            assert browser.get(link).status_code == 303
            assert browser.get("/code").status_code == 200
            return read_code(message)

        server.call(register_at_kiosk(runtime))
        activation = open_link(1)
        page = browser.get("/code").text
        browser.post("/code", data={"csrf_token": csrf_token(page), "step": "activate"})
        forgot = browser.get("/mot-de-passe-oublie").text
        browser.post(
            "/mot-de-passe-oublie", data={"csrf_token": csrf_token(forgot), "email": DEMO_EMAIL}
        )
        reset = open_link(3)
    lines = written(server_logs.records)
    for code in (activation, reset):
        for form_of_it in secrets_of(code):
            assert form_of_it not in lines
    assert "GET /code 303" in lines and "POST /code 303" in lines  # logged, without the query
    assert not [r for r in server_logs.records if r.name == "uvicorn.access"]
