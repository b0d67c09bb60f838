"""The forgot and sign-in pages answer identically for known and unknown addresses: the same
page and the same work by default; the same time on real argon2 under ``make timing`` (the
kiosk's measurement: paired trials in alternating order)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
import pytest

from kiosk.hashing import PasswordHashing
from kiosk.runtime import Runtime
from tests.support.clock import MovableClock
from tests.support.counting import CountingHashing, statements
from tests.support.demo import DEMO_EMAIL
from tests.support.installation import FAST_HASH
from tests.support.mail import SmtpSink
from tests.support.web import activated_customer, client_for, csrf_token
from web.app import create_app

TRIALS = 100
"""As many as the kiosk's own measurement (tests/attack/test_enumeration.py)."""
UNKNOWN = "personne.inconnue@example.fr"
WRONG_PASSWORD = "Faux#Mot2Passe"


@pytest.fixture
async def production_hashing(runtime: Runtime, smtp: SmtpSink) -> Runtime:
    """The real argon2 profile, then an activated customer: timing is about the real cost."""
    runtime.services.context.hashing = PasswordHashing(2)
    await activated_customer(runtime, smtp)
    return runtime


def comparable(response: httpx.Response, typed: str) -> tuple[int, str, list[tuple[str, str]]]:
    """Status, page and headers, with the address the page shows back put aside."""
    headers = [
        (name, value) for name, value in response.headers.items() if name != "content-length"
    ]
    return response.status_code, response.text.replace(typed, "<adresse>"), headers


async def paired_difference(
    name: str,
    known: Callable[[], Awaitable[object]],
    unknown: Callable[[], Awaitable[object]],
    between: Callable[[], None],
) -> float:
    """Median of the paired differences (known - unknown), trials in alternating order."""

    async def timed(call: Callable[[], Awaitable[object]]) -> float:
        started = time.perf_counter()
        await call()
        return time.perf_counter() - started

    known_times, unknown_times = [], []
    for trial in range(TRIALS):
        first, second = (known, unknown) if trial % 2 == 0 else (unknown, known)
        first_time, second_time = await timed(first), await timed(second)
        if trial % 2 == 0:
            known_times.append(first_time)
            unknown_times.append(second_time)
        else:
            known_times.append(second_time)
            unknown_times.append(first_time)
        between()
    paired = statistics.median(a - b for a, b in zip(known_times, unknown_times, strict=True))
    print(
        f"\nweb {name}: median known {statistics.median(known_times) * 1000:.2f} ms, "
        f"unknown {statistics.median(unknown_times) * 1000:.2f} ms, "
        f"median paired difference {paired * 1000:+.2f} ms over {TRIALS} trials each"
    )
    return abs(paired)


@pytest.fixture
async def counted(runtime: Runtime, smtp: SmtpSink) -> Runtime:
    """The test's argon2 parameters, counted; an activated customer."""
    runtime.services.context.hashing = CountingHashing(2, FAST_HASH)
    await activated_customer(runtime, smtp)
    return runtime


async def test_sign_in_answers_alike(counted: Runtime, clock: MovableClock) -> None:
    """The same page, one verification each and the same statements (``make timing`` times
    the same two requests on real argon2)."""
    hashing = counted.services.context.hashing
    assert isinstance(hashing, CountingHashing)
    app = create_app(counted.services, counted.settings)
    async with client_for(app) as browser:
        sign_in = await sign_in_form(browser)
        answers, costs = [], []
        for address in (DEMO_EMAIL, UNKNOWN):
            hashing.calls.clear()
            with statements(counted.engine) as run:
                answers.append(comparable(await sign_in(address), address))
            costs.append((dict(hashing.calls), run))
            clock.advance(timedelta(minutes=16))
    assert answers[0] == answers[1]
    assert "Adresse e-mail ou mot de passe incorrect." in answers[0][1]
    assert costs[0] == costs[1]
    assert costs[0][0] == {"verify": 1}


async def test_forgot_answers_alike(counted: Runtime, clock: MovableClock) -> None:
    hashing = counted.services.context.hashing
    assert isinstance(hashing, CountingHashing)
    app = create_app(counted.services, counted.settings)
    async with client_for(app) as browser:
        forgot = await forgot_form(browser)
        hashing.calls.clear()
        known, unknown = await forgot(DEMO_EMAIL), await forgot(UNKNOWN)
    assert comparable(known, DEMO_EMAIL) == comparable(unknown, UNKNOWN)
    assert known.text == unknown.text  # the neutral page does not even repeat the address
    assert "Si votre compte existe, un e-mail vous a été adressé." in known.text
    assert hashing.calls == {}


async def sign_in_form(browser: httpx.AsyncClient) -> Callable[[str], Awaitable[httpx.Response]]:
    token = csrf_token((await browser.get("/connexion")).text)

    async def sign_in(email: str) -> httpx.Response:
        fields = {"csrf_token": token, "email": email, "password": WRONG_PASSWORD}
        return await browser.post("/connexion", data=fields)

    return sign_in


async def forgot_form(browser: httpx.AsyncClient) -> Callable[[str], Awaitable[httpx.Response]]:
    token = csrf_token((await browser.get("/mot-de-passe-oublie")).text)

    async def forgot(email: str) -> httpx.Response:
        return await browser.post(
            "/mot-de-passe-oublie", data={"csrf_token": token, "email": email}
        )

    return forgot


@pytest.mark.timing
async def test_sign_in_timing(production_hashing: Runtime, clock: MovableClock) -> None:
    app = create_app(production_hashing.services, production_hashing.settings)
    async with client_for(app) as browser:
        sign_in = await sign_in_form(browser)
        difference = await paired_difference(
            "sign-in, wrong password vs unknown address",
            lambda: sign_in(DEMO_EMAIL),
            lambda: sign_in(UNKNOWN),
            lambda: clock.advance(timedelta(minutes=16)),  # past any lock, for both alike
        )
    assert difference < 0.010


@pytest.mark.timing
async def test_forgot_timing(production_hashing: Runtime, clock: MovableClock) -> None:
    app = create_app(production_hashing.services, production_hashing.settings)
    async with client_for(app) as browser:
        forgot = await forgot_form(browser)
        difference = await paired_difference(
            "forgot password, known vs unknown address",
            lambda: forgot(DEMO_EMAIL),
            lambda: forgot(UNKNOWN),
            lambda: clock.advance(timedelta(minutes=21)),  # stay under 3 e-mails an hour
        )
    assert difference < 0.010
