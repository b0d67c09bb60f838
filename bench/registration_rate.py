"""The web registration's commune step: ``GET /inscription?q=`` against a bare Starlette page.

Both are served by one uvicorn process (``bench/web_rate.py --serve``: ``kiosk web``'s
application on the embedded SQLite database with the demo data, and a bare Starlette route
returning a fixed page); the load comes from raw keep-alive HTTP/1.1 connections in this
process, at 1, 10 and 50 clients.

- ``q=`` empty: the first 50 communes (the page a customer opens), a button each;
- ``q=vel``: what the product's script asks while the customer types.

Both with the browser cookie of a first visit (the CSRF token is its HMAC), as a browser sends
it from the second page on.

Target (issue #20): ``GET /inscription?q=`` at least 0.3x the bare page's requests per second.
Usage: python bench/registration_rate.py [SECONDS]   (default 10, per case and concurrency)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from web_rate import CONCURRENCY, browser_state, free_port, get, measure  # noqa: E402  (beside this file)

TARGET = 0.3
"""The commune step's rate, as a share of the bare page's."""
ROUNDS = 5


async def prepare(env: dict[str, str]) -> None:
    """The embedded database with the demo data (communes, operators, subscribers)."""
    from kiosk.config import ensure_secret_key, load_settings
    from kiosk.runtime import build_runtime, initialise_database

    runtime = build_runtime(ensure_secret_key(load_settings(environ=env)))
    try:
        await initialise_database(runtime)
    finally:
        await runtime.close()


async def wait_for_server(port: int) -> None:
    for _ in range(200):
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError("the web companion did not start")


async def main(seconds: float) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
        env |= {
            "KIOSK_DATA_DIR": str(Path(folder) / "data"),
            "KIOSK_WEB_LISTEN": f"127.0.0.1:{port}",
            "KIOSK_MAILER_IN_PROCESS": "false",
        }
        await prepare(env)
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "web_rate.py"), "--serve", str(port)],
            env=env,
            cwd=ROOT,
        )
        try:
            await wait_for_server(port)
            cookie, _token = await browser_state(port)  # a returning browser, as when typing
            cases = [
                ("bare Starlette page", get("/bare")),
                ("GET /inscription?q=", get("/inscription?q=", cookie)),
                ("GET /inscription?q=vel", get("/inscription?q=vel", cookie)),
            ]
            cores = os.cpu_count()
            print(f"web registration: one uvicorn process, embedded SQLite, {cores} cores")
            print(f"  each case in {ROUNDS} rounds, alternating (the load of a shared machine)")
            for clients in CONCURRENCY:
                rates: dict[str, list[float]] = {name: [] for name, _request in cases}
                p99s: dict[str, list[float]] = {name: [] for name, _request in cases}
                for _name, request in cases:
                    await measure(port, clients, 0.5, request, 200)  # warm-up
                for _round in range(ROUNDS):
                    for name, request in cases:
                        rate, p99, _count = await measure(
                            port, clients, seconds / ROUNDS, request, 200
                        )
                        rates[name].append(rate)
                        p99s[name].append(p99)
                for name, _request in cases:
                    print(
                        f"  {name:<24} c={clients:<3} {statistics.median(rates[name]):9,.1f} "
                        f"req/s, p99 {statistics.median(p99s[name]):9.2f} ms (medians)"
                    )
                ratios = [
                    page / bare
                    for page, bare in zip(
                        rates["GET /inscription?q="], rates["bare Starlette page"], strict=True
                    )
                ]
                ratio = statistics.median(ratios)
                verdict = "met" if ratio >= TARGET else "MISSED"
                print(
                    f"  c={clients:<3} /inscription?q= / bare = {ratio:.2f}x, median of the "
                    f"rounds' ratios (min {min(ratios):.2f}x; target >= {TARGET}x: {verdict})"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0))
