"""Nothing tells whether an address has an account: same answers, same timings."""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from kiosk.errors import InvalidCredentials, TooManyAttempts
from kiosk.hashing import PasswordHashing
from kiosk.runtime import Runtime
from kiosk.services import RegistrationReceipt, RegistrationRequest
from tests.conftest import MovableClock, SmtpSink
from tests.integration.test_flows import PASSWORD, activate_demo

TRIALS = 100
KNOWN = "marie.dupont@example.fr"
UNKNOWN = "personne.inconnue@example.fr"


async def timed(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    # The answer is the same for both; the time is what is compared.
    with contextlib.suppress(InvalidCredentials, TooManyAttempts):
        await call()
    return time.perf_counter() - started


async def compare(
    name: str,
    known: Callable[[], Awaitable[object]],
    unknown: Callable[[], Awaitable[object]],
    between: Callable[[], None],
) -> float:
    """Median of the paired differences (known - unknown), trials in alternating order.

    Pairing and alternating cancel the drift of a shared machine (other processes, the
    thread pool warming up); the medians of each side are printed too.
    """
    known_times, unknown_times = [], []
    for trial in range(TRIALS):
        if trial % 2:
            unknown_times.append(await timed(unknown))
            known_times.append(await timed(known))
        else:
            known_times.append(await timed(known))
            unknown_times.append(await timed(unknown))
        between()
    k, u = statistics.median(known_times), statistics.median(unknown_times)
    paired = statistics.median(a - b for a, b in zip(known_times, unknown_times, strict=True))
    print(
        f"\n{name}: median known {k * 1000:.2f} ms, unknown {u * 1000:.2f} ms, "
        f"median paired difference {paired * 1000:+.2f} ms over {TRIALS} trials each"
    )
    return abs(paired)


@pytest.fixture
async def production_hashing(runtime: Runtime) -> Runtime:
    """The real argon2 profile: timing is about the cost that customers pay."""
    runtime.services.context.hashing = PasswordHashing(2)
    return runtime


async def test_forgot_password_timing(
    production_hashing: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    runtime = production_hashing
    await activate_demo(runtime.services, smtp, runtime.worker.deliver_all_due)
    reset = runtime.services.password_reset
    difference = await compare(
        "forgot password",
        lambda: reset.request(KNOWN),
        lambda: reset.request(UNKNOWN),
        lambda: clock.advance(timedelta(minutes=21)),  # stay under 3 e-mails an hour
    )
    assert difference < 0.010


async def test_sign_in_timing(
    production_hashing: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    runtime = production_hashing
    await activate_demo(runtime.services, smtp, runtime.worker.deliver_all_due)
    sessions = runtime.services.sessions
    difference = await compare(
        "sign-in, wrong password vs unknown address",
        lambda: sessions.sign_in(KNOWN, "Faux#Mot2Passe"),
        lambda: sessions.sign_in(UNKNOWN, "Faux#Mot2Passe"),
        lambda: clock.advance(timedelta(minutes=16)),  # past any lock, for both alike
    )
    assert difference < 0.010


async def test_registration_with_an_address_in_use_answers_like_a_fresh_one(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    services = runtime.services
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    [ciotat] = await services.communes.search("La Ciotat")
    [marseille] = await services.communes.search("Marseille")

    async def register(commune: int, contract: str, meter: str, email: str) -> RegistrationReceipt:
        return await services.registration.register(
            RegistrationRequest(
                commune, "Ndiaye", "Aminata", email, PASSWORD, PASSWORD, contract, meter
            )
        )

    clock.advance(timedelta(seconds=61))  # registration e-mails to one address: 60 s apart
    in_use = await register(ciotat.id, "2345678", "P10E556677", "Marie.Dupont@example.fr")
    fresh = await register(marseille.id, "7654321", "K09C112233", "Mabel.Dupont@example.fr")
    assert type(in_use) is type(fresh)
    assert in_use.email_masked == fresh.email_masked == "M***@example.fr"
    assert in_use.expires_at == fresh.expires_at
    assert len(in_use.token) == len(fresh.token)
    # Asking for a resend behaves the same way for both.
    assert await services.registration.resend_activation(in_use.token) == 60
    assert await services.registration.resend_activation(fresh.token) == 60
