"""The web registration's last step answers in the same time for an address that already has
an account as for a new one (SPEC §4: no enumeration of addresses).

Paired trials in alternating order, as the kiosk's own measurement (tests/attack/
test_enumeration.py): each trial walks a fresh draft through the commune and the identity
(not timed), then times ``POST /inscription/contrat``, once with the address of an active
account (another contract: its owner is e-mailed, nothing is created) and once with a new
address (an account is created, its activation e-mail written). Real argon2 (RFC 9106 low
memory), the embedded SQLite database, the application over httpx's ASGI transport; the clock
moves 21 minutes between trials, so that no address reaches its e-mails' hourly limit.

Target: the median paired difference under 10 ms, as for sign-in and forgotten password.
Usage: python bench/registration_enumeration.py [TRIALS]   (default 40)
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from kiosk.runtime import Runtime, build_runtime, initialise_database  # noqa: E402
from tests.support.clock import MovableClock  # noqa: E402
from tests.support.installation import installation_settings  # noqa: E402
from tests.support.web import BASE_URL, client_for  # noqa: E402
from tests.support.web_registration import (  # noqa: E402
    choose_commune,
    give_contract,
    give_identity,
)
from web.app import create_app  # noqa: E402

OWNER = "marie.dupont@example.fr"
TARGET_MS = 10.0


async def activated_owner(runtime: Runtime, data_dir: Path) -> None:
    """The demo subscriber of Velaux, registered and activated: OWNER has an account."""
    from kiosk.services import RegistrationRequest

    services = runtime.services
    [velaux] = await services.communes.search("velaux")
    password = "Ruisseau-42!"
    await services.registration.register(
        RegistrationRequest(
            velaux.id, "Dupont", "Marie", OWNER, password, password, "1234567", "A12B345678"
        )
    )
    await runtime.worker.deliver_all_due()
    mail = next((data_dir / "mail" / "new").iterdir()).read_text()
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", mail)
    assert code is not None
    await services.redemption.redeem(code.group(0))


async def main(trials: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        settings = dataclasses.replace(
            installation_settings(data_dir),
            mail_transport="maildir",
            public_url=BASE_URL,  # the host the test browser names
        )
        clock = MovableClock()
        prepared = build_runtime(settings, clock=clock)
        await initialise_database(prepared)
        await prepared.close()
        runtime = build_runtime(settings, clock=clock)  # the product's argon2 parameters
        try:
            await activated_owner(runtime, data_dir)
            app = create_app(runtime.services, runtime.settings)
            counter = iter(range(10**6))

            def registration(
                address: Callable[[], str], commune: str, numbers: tuple[str, str]
            ) -> Callable[[], Awaitable[float]]:
                async def walk() -> float:
                    async with client_for(app) as browser:
                        await choose_commune(browser, commune)
                        await give_identity(browser, email=address())
                        page = (await browser.get("/inscription/contrat")).text
                        assert "csrf_token" in page
                        started = time.perf_counter()
                        answer = await give_contract(browser, *numbers)
                        elapsed = time.perf_counter() - started
                    assert answer.headers.get("location") == "/inscription/envoye", answer.text
                    return elapsed

                return walk

            in_use = registration(lambda: OWNER, "La Ciotat", ("2345678", "P10E556677"))
            fresh = registration(
                lambda: f"nouveau{next(counter)}@example.fr", "Marseille", ("7654321", "K09C112233")
            )
            known, unknown = await paired(trials, in_use, fresh, clock)
        finally:
            await runtime.close()
    differences = [a - b for a, b in zip(known, unknown, strict=True)]
    paired_ms = statistics.median(differences) * 1000
    verdict = "met" if abs(paired_ms) < TARGET_MS else "MISSED"
    print(f"web registration, POST /inscription/contrat, {trials} paired trials, real argon2")
    print(f"  address with an account: median {statistics.median(known) * 1000:.1f} ms")
    print(f"  new address:             median {statistics.median(unknown) * 1000:.1f} ms")
    print(
        f"  median paired difference {paired_ms:+.2f} ms "
        f"(target |d| < {TARGET_MS:.0f} ms: {verdict})"
    )


async def paired(
    trials: int,
    known: Callable[[], Awaitable[float]],
    unknown: Callable[[], Awaitable[float]],
    clock: MovableClock,
) -> tuple[list[float], list[float]]:
    """Each pair in alternating order; the clock moves on after each pair."""
    known_times, unknown_times = [], []
    await known(), await unknown()  # warm-up: statements compiled, pools filled
    clock.advance(timedelta(minutes=21))
    for trial in range(trials):
        if trial % 2 == 0:
            known_times.append(await known())
            unknown_times.append(await unknown())
        else:
            unknown_times.append(await unknown())
            known_times.append(await known())
        clock.advance(timedelta(minutes=21))
    return known_times, unknown_times


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 40))
