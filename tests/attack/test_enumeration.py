"""Nothing tells whether an address has an account: same answers, same waits, same timings.

Each test runs the same steps with an address that has an account and one that has none, and
compares what someone at the kiosk can observe: the answer (value or refusal, with its wait),
the throttles that decide the next answers, and the time taken. The e-mails differ only in
the mailbox of the address's owner, who is told what happened.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from kiosk.domain.errors import DomainError, InvalidCredentials, TooManyAttempts
from kiosk.hashing import PasswordHashing
from kiosk.runtime import Runtime
from kiosk.services import KioskServices, RegistrationReceipt, RegistrationRequest
from kiosk.storage.models import AuthEvent, ThrottleEvent
from tests.support.clock import MovableClock
from tests.support.counting import CountingHashing, statements
from tests.support.database import stored
from tests.support.demo import DEMO_EMAIL, DEMO_PASSWORD, activate_demo
from tests.support.installation import FAST_HASH
from tests.support.mail import SmtpSink

TRIALS = 100
KNOWN = DEMO_EMAIL
UNKNOWN = "personne.inconnue@example.fr"
WRONG_PASSWORD = "Faux#Mot2Passe"


async def outcome(call: Callable[[], Awaitable[object]]) -> tuple[str, object]:
    """What the customer is shown: the value returned, or the refusal and its wait."""
    try:
        return "returned", await call()
    except TooManyAttempts as refusal:
        return "TooManyAttempts", refusal.retry_after_seconds
    except DomainError as refusal:
        return type(refusal).__name__, str(refusal)


async def events_of(runtime: Runtime, masked: str) -> list[str]:
    """The auth events written for one (masked) address, in order."""
    return await stored(
        runtime,
        select(AuthEvent.event).where(AuthEvent.email_masked == masked).order_by(AuthEvent.id),
    )


async def test_forgot_password_answers_and_counts_alike(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    services, deliver = runtime.services, runtime.worker.deliver_all_due
    await activate_demo(services, smtp, deliver)
    known, unknown = [], []
    for _ in range(5):  # three e-mails an hour, the fourth and fifth refused silently
        known.append(await outcome(lambda: services.password_reset.request(KNOWN)))
        unknown.append(await outcome(lambda: services.password_reset.request(UNKNOWN)))
        clock.advance(timedelta(seconds=61))
    assert known == unknown == [("returned", None)] * 5
    # The throttle counts both addresses alike: three e-mails' worth each, hiding nothing.
    per_key = await stored(
        runtime,
        select(func.count()).where(ThrottleEvent.scope == "reset_mail").group_by(ThrottleEvent.key),
    )
    assert per_key == [3, 3]
    known_events = await events_of(runtime, "m***@example.fr")
    unknown_events = await events_of(runtime, "p***@example.fr")
    assert known_events[-2:] == unknown_events[-2:] == ["reset_throttled", "reset_throttled"]
    # Only the owner of an account hears of it, in their own mailbox.
    await deliver()
    resets = [m["To"] for m in smtp.messages if m["Subject"].startswith("Réinitialisation")]
    assert resets == [KNOWN] * 3


async def test_sign_in_refuses_and_locks_alike(
    services: KioskServices, runtime: Runtime, smtp: SmtpSink
) -> None:
    await activate_demo(services, smtp, runtime.worker.deliver_all_due)
    earlier = len(await events_of(runtime, "m***@example.fr"))  # its registration
    known, unknown = [], []
    for _ in range(6):
        known.append(await outcome(lambda: services.sessions.sign_in(KNOWN, WRONG_PASSWORD)))
        unknown.append(await outcome(lambda: services.sessions.sign_in(UNKNOWN, WRONG_PASSWORD)))
    invalid = ("InvalidCredentials", str(InvalidCredentials()))
    # Four refusals, then the same one-minute wait for both (the clock stands still).
    assert known == unknown == [invalid] * 4 + [("TooManyAttempts", 60.0)] * 2
    known_events = (await events_of(runtime, "m***@example.fr"))[earlier:]
    assert known_events == await events_of(runtime, "p***@example.fr")
    assert known_events == ["signin_failed"] * 5  # the sixth was refused before counting


async def register(
    services: KioskServices, commune: str, contract: str, meter: str, email: str
) -> RegistrationReceipt:
    [place] = await services.communes.search(commune)
    return await services.registration.register(
        RegistrationRequest(
            place.id, "Ndiaye", "Aminata", email, DEMO_PASSWORD, DEMO_PASSWORD, contract, meter
        )
    )


def shape(message: EmailMessage) -> tuple[str, str, list[str]]:
    """What a message looks like from outside: sender, type, the types of its parts."""
    parts = [part.get_content_type() for part in message.iter_parts()]
    return str(message["From"]), message.get_content_type(), parts


async def test_registration_with_an_address_in_use_answers_like_a_fresh_one(
    runtime: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    services, deliver = runtime.services, runtime.worker.deliver_all_due
    await activate_demo(services, smtp, deliver)
    before = len(smtp.messages)
    clock.advance(timedelta(seconds=61))  # registration e-mails to one address: 60 s apart
    in_use_address, fresh_address = "Marie.Dupont@example.fr", "Mabel.Dupont@example.fr"
    in_use = await register(services, "La Ciotat", "2345678", "P10E556677", in_use_address)
    fresh = await register(services, "Marseille", "7654321", "K09C112233", fresh_address)
    assert in_use.email_masked == fresh.email_masked == "M***@example.fr"
    assert in_use.expires_at == fresh.expires_at
    assert in_use.token != fresh.token
    # Asking for a resend: the same wait, then the same refusal with the same wait.
    resend = services.registration.resend_activation
    assert await outcome(lambda: resend(in_use.token)) == await outcome(lambda: resend(fresh.token))
    again_in_use = await outcome(lambda: resend(in_use.token))
    again_fresh = await outcome(lambda: resend(fresh.token))
    assert again_in_use == again_fresh and again_in_use[0] == "TooManyAttempts"
    # Each address got one e-mail of the same make from the registration; only the fresh one
    # got the resend, which goes to the account's mailbox and is seen by no one else.
    await deliver()
    received = smtp.messages[before:]
    to_in_use = [m for m in received if m["To"] == in_use_address.lower()]
    to_fresh = [m for m in received if m["To"] == fresh_address]
    assert len(to_in_use) == 1 and len(to_fresh) == 2
    assert shape(to_in_use[0]) == shape(to_fresh[0])


async def timed(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    # The answer is the same for both (the tests above); the time is what is compared.
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


@pytest.mark.timing
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


@pytest.mark.timing
async def test_sign_in_timing(
    production_hashing: Runtime, smtp: SmtpSink, clock: MovableClock
) -> None:
    runtime = production_hashing
    await activate_demo(runtime.services, smtp, runtime.worker.deliver_all_due)
    sessions = runtime.services.sessions
    difference = await compare(
        "sign-in, wrong password vs unknown address",
        lambda: sessions.sign_in(KNOWN, WRONG_PASSWORD),
        lambda: sessions.sign_in(UNKNOWN, WRONG_PASSWORD),
        lambda: clock.advance(timedelta(minutes=16)),  # past any lock, for both alike
    )
    assert difference < 0.010


async def costs(
    runtime: Runtime, call: Callable[[], Awaitable[object]]
) -> tuple[dict[str, int], list[str]]:
    """The argon2 calls and the SQL statements that one call costs."""
    hashing = runtime.services.context.hashing
    assert isinstance(hashing, CountingHashing)
    hashing.calls.clear()
    refusals = contextlib.suppress(InvalidCredentials, TooManyAttempts)
    with statements(runtime.engine) as run, refusals:
        await call()
    return dict(hashing.calls), run


@pytest.fixture
async def counted(runtime: Runtime, smtp: SmtpSink) -> Runtime:
    """The test's argon2 parameters, counted; the demo customer activated."""
    runtime.services.context.hashing = CountingHashing(2, FAST_HASH)
    await activate_demo(runtime.services, smtp, runtime.worker.deliver_all_due)
    return runtime


async def test_forgot_password_costs_alike(counted: Runtime, clock: MovableClock) -> None:
    """What keeps the times close (``make timing`` measures them): no argon2 work on either
    side (a hash is what a stopwatch would see), and one transaction each; the known address
    writes its code and e-mail in that same transaction."""
    reset = counted.services.password_reset
    known = await costs(counted, lambda: reset.request(KNOWN))
    clock.advance(timedelta(minutes=21))
    unknown = await costs(counted, lambda: reset.request(UNKNOWN))
    assert known[0] == unknown[0] == {}
    assert known[1].count("BEGIN") == unknown[1].count("BEGIN") == 1
    assert known[1][:3] == unknown[1][:3]  # the same lookups first, in the same order


async def test_sign_in_costs_alike(counted: Runtime, clock: MovableClock) -> None:
    """A wrong password and an unknown address: one verification each, the same statements."""
    sessions = counted.services.sessions
    known = await costs(counted, lambda: sessions.sign_in(KNOWN, WRONG_PASSWORD))
    clock.advance(timedelta(minutes=16))
    unknown = await costs(counted, lambda: sessions.sign_in(UNKNOWN, WRONG_PASSWORD))
    assert known[0] == unknown[0] == {"verify": 1}
    assert known[1] == unknown[1]
