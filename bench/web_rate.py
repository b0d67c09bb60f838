"""The web companion's rate: requests per second and p99 latency at 1, 10 and 50 concurrent
clients, beside a bare Starlette page served by the same uvicorn process in the same run.

- bare: one Starlette route returning a fixed page of the activation page's size (the anchor);
- landing: ``GET /code?c=CODE``, the e-mail's link (a 303 and a cookie; nothing consumed);
- landing page: ``GET /code`` with the link's cookie (the code peeked at in the database, the
  activation page rendered): what the customer's browser shows after the redirect;
- invoices page: ``GET /factures`` of a signed-in customer (SPEC §9: the session checked, six
  invoices read and rendered);
- sign-in, wrong password: ``POST /connexion`` (one argon2id verification each), beside its
  bound, cores / time of one verification. Unknown addresses, one per request, from as many
  client addresses (X-Forwarded-For from a trusted proxy): a known address would be locked
  after 5 failures, and they cost the same (tests/web/test_enumeration.py).

The server is ``kiosk web``'s application (access log to the data folder's file, the embedded
SQLite database) in a process of its own; the load comes from raw keep-alive HTTP/1.1
connections in this process. The pages are measured in rounds, one after the other, and the
ratios to the bare page are the medians of the rounds' (as ``registration_rate.py``): measured
a minute apart on a shared machine, the bare page's own rate moved by a third.
Usage: python bench/web_rate.py [SECONDS]   (default 8: per page and concurrency; sign-in 8)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import argon2
from argon2.profiles import RFC_9106_LOW_MEMORY

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONCURRENCY = (1, 10, 50)
ROUNDS = 5
BARE_PAGE = "<!doctype html><html lang=fr><title>t</title><p>" + "x" * 1100 + "</p></html>"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# -- the server process --------------------------------------------------------------------


def serve(port: int) -> None:
    """Both applications behind one uvicorn server (run in a child process)."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route
    from starlette.types import Receive, Scope, Send

    from kiosk.cli.web import web_app
    from kiosk.config import ensure_secret_key, load_settings
    from kiosk.logs import configure_logging
    from web.server import route_server_logs, server_config

    settings = ensure_secret_key(load_settings(environ=os.environ))
    configure_logging(settings.data_dir, settings.log_level)
    route_server_logs()
    companion = web_app(settings)

    async def bare_page(request: object) -> HTMLResponse:
        return HTMLResponse(BARE_PAGE)

    bare = Starlette(routes=[Route("/bare", bare_page)])

    async def both(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/bare":
            await bare(scope, receive, send)
        else:
            await companion(scope, receive, send)

    uvicorn.Server(server_config(both, "127.0.0.1", port, lifespan="on")).run()


# -- the load ------------------------------------------------------------------------------


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
    return status, await reader.readexactly(length)


async def measure(
    port: int, clients: int, seconds: float, request: Callable[[int], bytes], expect: int
) -> tuple[float, float, int]:
    """Requests per second, p99 latency (ms) and count, ``clients`` connections at once."""
    latencies: list[float] = []
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds

    async def one_client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(request(next(counter)))
                status, _body = await read_response(reader)
                latencies.append(time.perf_counter() - started)
                assert status == expect, status
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 1 else latencies[0]
    return len(latencies) / elapsed, p99 * 1000, len(latencies)


def get(path: str, cookie: str = "") -> Callable[[int], bytes]:
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    raw = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()
    return lambda _n: raw


def sign_in(cookie: str, token: str) -> Callable[[int], bytes]:
    def make(n: int) -> bytes:
        body = f"csrf_token={token}&email=inconnu{n}%40example.fr&password=Faux%23Mot2Passe"
        forwarded = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        return (
            f"POST /connexion HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
            f"X-Forwarded-For: {forwarded}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}"
        ).encode()

    return make


async def prepare(data_dir: Path, env: dict[str, str]) -> tuple[str, str]:
    """The database with a registered customer, and the activation code from the maildir;
    and a second customer, activated: a session token for the invoices page."""
    from kiosk.config import ensure_secret_key, load_settings
    from kiosk.runtime import build_runtime, initialise_database
    from kiosk.services import RegistrationRequest

    settings = ensure_secret_key(load_settings(environ=env))
    runtime = build_runtime(settings)
    try:
        await initialise_database(runtime)
        services = runtime.services
        [velaux] = await services.communes.search("velaux")
        await services.registration.register(
            RegistrationRequest(
                velaux.id,
                "Dupont",
                "Marie",
                "marie@example.fr",
                "Velaux#Source42",
                "Velaux#Source42",
                "1234567",
                "A12B345678",
            )
        )
        await runtime.worker.deliver_all_due()
        code = _code_in_maildir(data_dir)
        [marseille] = [
            c for c in await services.communes.search("marseille") if c.name == "Marseille"
        ]
        await services.registration.register(
            RegistrationRequest(
                marseille.id,
                "Martin",
                "Paul",
                "paul@example.fr",
                "Velaux#Source42",
                "Velaux#Source42",
                "7654321",
                "K09C112233",
            )
        )
        await runtime.worker.deliver_all_due()
        redeemed = await services.redemption.redeem(_code_in_maildir(data_dir, skip=code))
        assert redeemed.session is not None
        return code, redeemed.session.token
    finally:
        await runtime.close()


def _code_in_maildir(data_dir: Path, skip: str = "") -> str:
    for mail in (data_dir / "mail" / "new").iterdir():
        found = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", mail.read_text())
        if found is not None and found.group(0) != skip:
            return found.group(0)
    raise AssertionError("no code in the maildir")


async def browser_state(port: int) -> tuple[str, str]:
    """A browser cookie and its CSRF token, as a customer's first visit gets them."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(get("/connexion")(0))
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
    page = (await reader.readexactly(length)).decode()
    writer.close()
    cookie = re.search(rb"(?i)set-cookie: (ec_browser=[^;]+)", head).group(1).decode()  # type: ignore[union-attr]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return cookie, token


def argon2_verification_ms() -> float:
    hasher = argon2.PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
    stored = hasher.hash("Velaux#Source42")
    times = []
    for _ in range(10):
        started = time.perf_counter()
        with contextlib.suppress(argon2.exceptions.VerifyMismatchError):
            hasher.verify(stored, "Faux#Mot2Passe")
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def main(seconds: float) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
        env |= {
            "KIOSK_DATA_DIR": str(data_dir),
            "KIOSK_WEB_LISTEN": f"127.0.0.1:{port}",
            "KIOSK_TRUSTED_PROXIES": "127.0.0.1",
            "KIOSK_MAILER_IN_PROCESS": "false",
        }
        code, session = await prepare(data_dir, env)
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port)], env=env, cwd=ROOT
        )
        try:
            for _ in range(200):
                try:
                    _r, w = await asyncio.open_connection("127.0.0.1", port)
                    w.close()
                    break
                except OSError:
                    await asyncio.sleep(0.1)
            cookie, token = await browser_state(port)
            pages = [
                ("bare Starlette page", get("/bare"), 200),
                ("landing GET /code?c=", get(f"/code?c={code}"), 303),
                ("landing page (peek)", get("/code", f"ec_code={code}"), 200),
                ("invoices page /factures", get("/factures", f"ec_session={session}"), 200),
            ]
            cores = os.cpu_count() or 1
            print(f"web companion: one uvicorn process, embedded SQLite, {cores} cores")
            print(
                f"  the pages in {ROUNDS} rounds of {seconds / ROUNDS:.1f} s each, alternating "
                "(the speed of a shared machine drifts); medians of the rounds"
            )
            for clients in CONCURRENCY:
                rates: dict[str, list[float]] = {name: [] for name, _request, _expect in pages}
                p99s: dict[str, list[float]] = {name: [] for name, _request, _expect in pages}
                counts = dict.fromkeys(rates, 0)
                for _name, request, expect in pages:
                    await measure(port, clients, 0.5, request, expect)  # warm-up
                for _round in range(ROUNDS):
                    for name, request, expect in pages:
                        rate, p99, count = await measure(
                            port, clients, seconds / ROUNDS, request, expect
                        )
                        rates[name].append(rate)
                        p99s[name].append(p99)
                        counts[name] += count
                for name in rates:
                    print(
                        f"  {name:<24} c={clients:<3} {statistics.median(rates[name]):9,.1f} "
                        f"req/s, p99 {statistics.median(p99s[name]):9.2f} ms"
                        f"  ({counts[name]} requests)"
                    )
                bare = rates["bare Starlette page"]
                for name in list(rates)[1:]:
                    ratios = [page / anchor for page, anchor in zip(rates[name], bare, strict=True)]
                    print(
                        f"  c={clients:<3} {name} / bare = {statistics.median(ratios):.2f}x, "
                        f"median of the rounds' ratios (min {min(ratios):.2f}x, "
                        f"max {max(ratios):.2f}x)"
                    )
                request = sign_in(cookie, token)
                await measure(port, clients, 0.5, request, 200)  # warm-up
                rate, p99, count = await measure(port, clients, seconds, request, 200)
                print(
                    f"  {'sign-in, wrong password':<24} c={clients:<3} {rate:9,.1f} req/s, "
                    f"p99 {p99:9.2f} ms  ({count} requests)"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    hash_ms = argon2_verification_ms()
    print(
        f"argon2id verification (RFC 9106 low memory): median {hash_ms:.1f} ms; "
        f"bound {cores} cores / {hash_ms:.1f} ms = {cores / hash_ms * 1000:.1f} sign-ins/s"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]))
    else:
        asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 8.0))
