"""A kiosk process for the race and crash tests: performs service calls on a shared database.

Usage: python -m tests.support.kiosk_process DATA_DIR KIOSK_ID ACTION [ARGS...]
  register-same START_AT            register the demo contract once, at wall time START_AT
  redeem CODE START_AT              redeem CODE once, at wall time START_AT
  register-many FIRST COUNT         register COUNT synthetic contracts from FIRST on
  register-loop                     register the demo contract again and again (until killed)
Prints one JSON line: {"ok": n, "errors": {"ExceptionName": n}}.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from kiosk.config import Settings
from kiosk.runtime import build_runtime
from kiosk.services import KioskServices, RegistrationRequest
from tests.support.installation import FAST_HASH, TEST_SECRET_KEY

PASSWORD = "Truite#Bleue-97"


async def velaux(services: KioskServices) -> int:
    [commune] = await services.communes.search("Velaux")
    return commune.id


def request(commune_id: int, contract: str, meter: str, email: str) -> RegistrationRequest:
    return RegistrationRequest(
        commune_id, "Dupont", "Marie", email, PASSWORD, PASSWORD, contract, meter
    )


def wait_until(start_at: float) -> None:
    delay = start_at - time.time()
    if delay > 0:
        time.sleep(delay)


async def main(data_dir: str, kiosk_id: str, action: str, *args: str) -> dict[str, object]:
    settings = Settings(
        data_dir=Path(data_dir),
        secret_key=TEST_SECRET_KEY,
        kiosk_id=kiosk_id,
        mail_transport="maildir",
        hash_concurrency=1,
    )
    runtime = build_runtime(settings, hash_parameters=FAST_HASH)
    services = runtime.services
    outcomes: Counter[str] = Counter()
    try:
        commune_id = await velaux(services)
        calls: list[Coroutine[Any, Any, object]] = []
        if action == "register-same":
            wait_until(float(args[0]))
            calls.append(
                services.registration.register(
                    request(commune_id, "1234567", "A12B345678", f"{kiosk_id}@example.fr")
                )
            )
        elif action == "redeem":
            wait_until(float(args[1]))
            calls.append(services.redemption.redeem(args[0]))
        elif action == "register-many":
            first, count = int(args[0]), int(args[1])
            for number in range(first, first + count):
                calls.append(
                    services.registration.register(
                        request(
                            commune_id,
                            f"{8_000_000 + number:07d}",
                            f"S{number:09d}",
                            f"client{number}@example.fr",
                        )
                    )
                )
        elif action == "register-loop":
            number = 0
            while True:
                number += 1
                try:
                    await services.registration.register(
                        request(commune_id, "1234567", "A12B345678", f"loop{number}@example.fr")
                    )
                    print("registered", number, flush=True)
                except Exception as error:  # report, keep going until killed
                    print("error", type(error).__name__, flush=True)
        for call in calls:
            try:
                await call
                outcomes["ok"] += 1
            except Exception as error:
                outcomes[type(error).__name__] += 1
    finally:
        await runtime.close()
    return {"ok": outcomes.pop("ok", 0), "errors": dict(outcomes)}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(*sys.argv[1:]))), flush=True)
