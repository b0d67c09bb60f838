"""Load test: simulated kiosks registering at once through the service layer on PostgreSQL.

``make load`` (or ``python -m bench.load [--kiosks 50] [--registrations 20]``): each simulated
kiosk has its own kiosk id, its own engine (a pool of 2, as a kiosk process would) and serves
its customers one after the other, without pause; all share the machine's argon2 thread pool
(one hash per core at once), real argon2id with the RFC 9106 low-memory profile. The database
is a throwaway PostgreSQL cluster (``tests/support/pg_cluster.py``) unless
``KIOSK_TEST_PG_URL`` names a server. Prints registrations per second and the latency
percentiles, beside the argon2 bound (cores / time of one hash) and the rate of the hash pool
alone.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import func, select

from kiosk.config import Settings
from kiosk.domain.clock import system_clock
from kiosk.hashing import PasswordHashing
from kiosk.runtime import build_runtime, initialise_database
from kiosk.services import KioskServices, RegistrationRequest, ServiceContext
from kiosk.storage.engine import create_engine, session_factory
from kiosk.storage.models import Account, Commune, Operator, OutboxMessage, Subscriber
from tests.support.pg_cluster import start_server

PASSWORD = "Truite#Bleue-97"
SECRET_KEY = "load-test-secret-key-with-at-least-32-bytes!!"
KIOSK_POOL_SIZE = 2


@dataclass(frozen=True)
class Customer:
    commune_id: int
    contract: str
    meter: str
    email: str


def one_hash_seconds(rounds: int = 7) -> float:
    """Median time of one hash with the production profile, on one thread."""
    hasher = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
    hasher.hash("warm-up")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        hasher.hash(PASSWORD)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pool_hash_rate(threads: int, hashes: int = 20) -> float:
    """Hashes per second of ``threads`` threads hashing side by side (nothing else)."""
    hasher = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
    with ThreadPoolExecutor(threads) as pool:
        started = time.perf_counter()
        list(pool.map(lambda _: hasher.hash(PASSWORD), range(hashes)))
        return hashes / (time.perf_counter() - started)


async def prepare(settings: Settings, customers: int) -> list[Customer]:
    """Schema, demo data and enough synthetic subscribers of served communes."""
    runtime = build_runtime(settings)
    try:
        await initialise_database(runtime)
        await runtime.imports.add_synthetic_subscribers(customers * 3)
        async with runtime.engine.connect() as connection:
            rows = await connection.execute(
                select(Subscriber.commune_id, Subscriber.contract, Subscriber.meter)
                .join(Commune, Commune.id == Subscriber.commune_id)
                .join(Operator, Operator.code == Commune.operator_code)
                .where(Operator.served_here, Subscriber.contract >= "8000000")
                .order_by(Subscriber.contract)
                .limit(customers)
            )
            found = [
                Customer(commune_id, contract, meter, f"client.{contract}@example.fr")
                for commune_id, contract, meter in rows
            ]
    finally:
        await runtime.close()
    if len(found) < customers:
        raise SystemExit(f"only {len(found)} subscribers of served communes")
    return found


async def kiosk(services: KioskServices, customers: list[Customer]) -> list[float]:
    """One kiosk: its customers one after the other; the latency of each registration."""
    latencies = []
    for customer in customers:
        started = time.perf_counter()
        await services.registration.register(
            RegistrationRequest(
                customer.commune_id,
                "Dupont",
                "Marie",
                customer.email,
                PASSWORD,
                PASSWORD,
                customer.contract,
                customer.meter,
            )
        )
        latencies.append(time.perf_counter() - started)
    return latencies


async def run(url: str, data_dir: Path, kiosks: int, per_kiosk: int) -> None:
    base = Settings(
        data_dir=data_dir,
        database_url=url,
        secret_key=SECRET_KEY,
        demo_data=True,
        mail_transport="maildir",
        db_pool_size=KIOSK_POOL_SIZE,
    )
    customers = await prepare(base, kiosks * per_kiosk)
    cores = os.cpu_count() or 1
    hashing = PasswordHashing(cores, RFC_9106_LOW_MEMORY)
    engines = [create_engine(url, pool_size=KIOSK_POOL_SIZE) for _ in range(kiosks)]
    kiosk_services = [
        KioskServices.build(
            ServiceContext(
                sessions=session_factory(engine),
                settings=Settings(**{**base.__dict__, "kiosk_id": f"agence-{number:02d}"}),
                clock=system_clock,
                hashing=hashing,
            )
        )
        for number, engine in enumerate(engines, start=1)
    ]
    try:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                kiosk(services, customers[n * per_kiosk : (n + 1) * per_kiosk])
                for n, services in enumerate(kiosk_services)
            )
        )
        elapsed = time.perf_counter() - started
        async with engines[0].connect() as connection:
            accounts = await connection.scalar(select(func.count()).select_from(Account))
            mails = await connection.scalar(select(func.count()).select_from(OutboxMessage))
    finally:
        for engine in engines:
            await engine.dispose()
        hashing.close()
    latencies = sorted(
        latency for per_kiosk_latencies in results for latency in per_kiosk_latencies
    )
    total = len(latencies)
    assert accounts == total and mails == total, (accounts, mails, total)
    quantiles = statistics.quantiles(latencies, n=100)
    one_hash = one_hash_seconds()
    print(f"{kiosks} kiosks x {per_kiosk} registrations on PostgreSQL, {cores} cores")
    print(f"  {total} registrations in {elapsed:.1f} s: {total / elapsed:.1f} registrations/s")
    print(
        f"  latency: p50 {quantiles[49] * 1000:.0f} ms, p95 {quantiles[94] * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms (kiosks queue for the {cores} argon2 threads)"
    )
    print(
        f"  argon2 bound: {cores} cores / {one_hash * 1000:.0f} ms per hash = "
        f"{cores / one_hash:.1f} registrations/s"
    )
    print(
        f"  argon2 pool alone ({cores} threads, nothing else): {pool_hash_rate(cores):.1f} hashes/s"
    )
    print(f"  rows written: {accounts} accounts, {mails} outbox messages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--registrations", type=int, default=20, help="per kiosk")
    args = parser.parse_args()
    server = start_server()
    try:
        url = server.create_database(f"kiosk_load_{os.getpid()}")
        with tempfile.TemporaryDirectory(prefix="kiosk-load-") as data_dir:
            asyncio.run(run(url, Path(data_dir), args.kiosks, args.registrations))
    finally:
        server.drop_database(f"kiosk_load_{os.getpid()}")
        server.stop()


if __name__ == "__main__":
    main()
