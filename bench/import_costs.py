"""Where the kiosk's start-up time and idle memory go, beside the bare Textual app.

Three measures, each in fresh interpreters:

- ``python -X importtime``: the self time of every module imported before the first paint,
  summed per top-level package, for ``kiosk run`` (``kiosk.__main__``, then ``kiosk.app``)
  and for the bare app's imports (median of RUNS);
- resident memory after importing each library in turn on top of the bare app's imports;
- the database work ``kiosk run`` does before starting the app (build the runtime, migrate
  an up-to-date SQLite database, dispose), timed in-process.

Usage: python bench/import_costs.py [RUNS]   (default 5)
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_IMPORTS = (
    "from textual.app import App; from textual.binding import Binding; "
    "from textual.containers import Vertical; "
    "from textual.widgets import Button, Footer, Header, Input"
)
KIOSK_IMPORTS = "import kiosk.__main__; import kiosk.app"
LIBRARIES = (
    ("sqlalchemy (core, orm, asyncio)", "import sqlalchemy.orm, sqlalchemy.ext.asyncio"),
    ("aiosqlite + sqlite3", "import aiosqlite"),
    ("alembic (migrations)", "import alembic.command, alembic.config, alembic.runtime.migration"),
    ("argon2", "import argon2"),
    ("email_validator", "import email_validator"),
    ("aiosmtplib", "import aiosmtplib"),
    ("kiosk services, storage, mail", "import kiosk.runtime, kiosk.__main__"),
    ("screens and kiosk.app", "import kiosk.app"),
)


def importtime(code: str) -> dict[str, float]:
    """Self import time (seconds) per top-level package for ``code``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    per_package: dict[str, float] = defaultdict(float)
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line[12:].split("|"))
        per_package[name.split(".")[0]] += int(self_us) / 1e6
    return per_package


def median_importtime(code: str, runs: int) -> dict[str, float]:
    samples = [importtime(code) for _ in range(runs)]
    packages = set().union(*samples)
    return {name: statistics.median(s.get(name, 0.0) for s in samples) for name in packages}


def wall(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


MEMORY_PROBE = """
import sys
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
exec(sys.argv[1])
print("bare", rss())
for code in sys.argv[2:]:
    exec(code)
    print(rss())
"""


def memory_steps(runs: int) -> tuple[float, list[float]]:
    """Resident KiB after the bare imports, and the increase at each library (medians)."""
    samples = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, BARE_IMPORTS, *(code for _, code in LIBRARIES)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        lines = result.stdout.split()
        values = [int(lines[1]), *(int(v) for v in lines[2:])]
        samples.append(values)
    medians = [statistics.median(s[i] for s in samples) for i in range(len(samples[0]))]
    return medians[0], [b - a for a, b in itertools.pairwise(medians)]


async def database_before_app(folder: Path) -> float:
    from kiosk.config import Settings
    from kiosk.runtime import build_runtime, initialise_database

    settings = Settings(
        data_dir=folder, secret_key="bench-secret-key-" + "x" * 32, kiosk_id="bench", demo_data=True
    )
    first = build_runtime(settings)
    try:
        await initialise_database(first)  # the first start: create and load the demo data
    finally:
        await first.close()
    started = time.perf_counter()
    runtime = build_runtime(settings)  # what `kiosk run` does again at every start
    try:
        await initialise_database(runtime)
    finally:
        await runtime.close()
    return time.perf_counter() - started


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    kiosk = median_importtime(KIOSK_IMPORTS, runs)
    bare = median_importtime(BARE_IMPORTS, runs)
    kiosk_wall, bare_wall = wall(KIOSK_IMPORTS, runs), wall(BARE_IMPORTS, runs)
    print(f"imports before the first paint, python -X importtime, median of {runs}")
    print(
        f"  wall time of the imports alone: kiosk {kiosk_wall * 1000:.0f} ms, "
        f"bare app {bare_wall * 1000:.0f} ms (interpreter start included in both)"
    )
    print(
        f"  self time summed: kiosk {sum(kiosk.values()) * 1000:.0f} ms, "
        f"bare {sum(bare.values()) * 1000:.0f} ms"
    )
    print("  package              kiosk ms   bare ms   extra ms")
    extra = sorted(kiosk, key=lambda name: kiosk[name] - bare.get(name, 0.0), reverse=True)
    for name in extra[:16]:
        more = kiosk[name] - bare.get(name, 0.0)
        print(
            f"  {name:<20} {kiosk[name] * 1000:8.1f}  {bare.get(name, 0.0) * 1000:8.1f}  "
            f"{more * 1000:9.1f}"
        )
    base, steps = memory_steps(runs)
    print(
        f"resident memory of the imports, median of {runs} (each library on top of the ones "
        "above it)"
    )
    print(f"  bare app's imports: {base / 1024:6.1f} MiB")
    for (label, _), step in zip(LIBRARIES, steps, strict=True):
        print(f"  + {label:<32} {step / 1024:+6.1f} MiB")
    print(f"  = everything `kiosk run` imports: {(base + sum(steps)) / 1024:6.1f} MiB")
    with tempfile.TemporaryDirectory() as tmp:
        seconds = asyncio.run(database_before_app(Path(tmp)))
    print(
        "database work before the app starts (`kiosk run`: build, migrate an up-to-date "
        f"SQLite database, dispose): {seconds * 1000:.0f} ms"
    )
    print(f"  (cpu count {os.cpu_count()})")


if __name__ == "__main__":
    main()
