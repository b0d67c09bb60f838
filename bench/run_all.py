"""Run every benchmark, each in a process of its own, and write BENCHMARKS.md.

Before each script, waits (up to ``--max-wait`` seconds) for the one-minute load average to
fall under ``--quiet-load``, and notes the load it started with, since other work on the machine
slows the figures. The "Limits" section of an existing BENCHMARKS.md (written by hand,
from the profiles) is kept as it is.

Usage: python bench/run_all.py [--subscribers N] [--max-wait SECONDS] [--quiet-load LOAD]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUTPUT = ROOT / "BENCHMARKS.md"
NUMBER = r"([\d,]+(?:\.\d+)?)"


@dataclass
class Row:
    figure: str
    kiosk: str
    anchor: str
    ratio: str
    target: str
    met: str


@dataclass
class Run:
    script: str
    arguments: list[str]
    output: str = ""
    seconds: float = 0.0
    load: float = 0.0
    failed: bool = False
    parse: Callable[[str], list[Row]] | None = None
    """Reads the figures from the output (a script may run twice, with other arguments)."""


def number(text: str) -> float:
    return float(text.replace(",", ""))


def find(pattern: str, output: str) -> tuple[float, ...]:
    match = re.search(pattern, output)
    if match is None:
        raise ValueError(f"not found: {pattern}")
    return tuple(number(group) for group in match.groups())


def verdict(met: bool) -> str:
    return "yes" if met else "**no**"


def import_rows(output: str) -> list[Row]:
    (anchor,) = find(r"anchor, sqlite3 executemany:\s+" + NUMBER + " rows/s", output)
    (kiosk,) = find(r"kiosk import-subscribers:\s+" + NUMBER + " rows/s", output)
    (count,) = find(r"import of " + NUMBER + " subscribers", output)
    return [
        Row(
            f"import of {count:,.0f} subscribers (rows/s)",
            f"{kiosk:,.0f}",
            f"{anchor:,.0f}",
            f"{kiosk / anchor:.2f}x",
            ">= 0.5x",
            verdict(kiosk / anchor >= 0.5),
        )
    ]


def progress_rows(output: str) -> list[Row]:
    cpu = output[output.index("CPU time:") :]
    (without,) = find(r"without the bar:\s+" + NUMBER + " rows/s", cpu)
    (drawn,) = find(r"with the bar:\s+" + NUMBER + " rows/s", cpu)
    (count,) = find(r"import of " + NUMBER + " subscribers", output)
    return [
        Row(
            f"import of {count:,.0f} subscribers with the progress bar (rows/s, CPU time)",
            f"{drawn:,.0f}",
            f"{without:,.0f}",
            f"{drawn / without:.3f}x",
            ">= 0.98x",
            verdict(drawn / without >= 0.98),
        )
    ]


def contract_rows(output: str) -> list[Row]:
    b50, b99 = find(
        r"anchor, bare indexed SELECT \(sqlite3\): p50 " + NUMBER + " ms, p99 " + NUMBER, output
    )
    k50, k99 = find(r"kiosk verify_contract .*?: p50 " + NUMBER + r" ms,\s+p99 " + NUMBER, output)
    (count,) = find(r"contract \+ meter check, " + NUMBER + " subscribers", output)
    return [
        Row(
            f"contract + meter check, {count:,.0f} subscribers, p50 (ms)",
            f"{k50:.3f}",
            f"{b50:.3f}",
            f"{k50 / b50:.0f}x",
            "-",
            "-",
        ),
        Row(
            f"contract + meter check, {count:,.0f} subscribers, p99 (ms)",
            f"{k99:.3f}",
            f"{b99:.3f}",
            f"{k99 / b99:.0f}x",
            "p99 < 2 ms",
            verdict(k99 < 2),
        ),
    ]


def mail_rows(output: str) -> list[Row]:
    (anchor,) = find(r"anchor, raw aiosmtplib on one connection:\s+" + NUMBER, output)
    (kiosk,) = find(r"kiosk outbox worker .*?:\s+" + NUMBER + " messages/s", output)
    return [
        Row(
            "mail: outbox to SMTP on loopback (messages/s)",
            f"{kiosk:,.0f}",
            f"{anchor:,.0f}",
            f"{kiosk / anchor:.2f}x",
            ">= 0.8x",
            verdict(kiosk / anchor >= 0.8),
        )
    ]


def startup_rows(output: str) -> list[Row]:
    (bare_ms,) = find(r"anchor, bare Textual app:\s+" + NUMBER + " ms", output)
    (kiosk_ms,) = find(r"kiosk run:\s+" + NUMBER + " ms", output)
    (bare_mib,) = find(r"anchor, bare Textual app:\s+" + NUMBER + " MiB", output)
    (kiosk_mib,) = find(r"kiosk run:\s+" + NUMBER + " MiB", output)
    return [
        Row(
            "start-up to the Welcome screen painted (ms, median)",
            f"{kiosk_ms:,.0f}",
            f"{bare_ms:,.0f}",
            f"{kiosk_ms / bare_ms:.2f}x",
            "<= 1.3x",
            verdict(kiosk_ms / bare_ms <= 1.3),
        ),
        Row(
            "resident memory, idle (MiB)",
            f"{kiosk_mib:.1f}",
            f"{bare_mib:.1f}",
            f"{kiosk_mib / bare_mib:.2f}x",
            "<= 1.3x",
            verdict(kiosk_mib / bare_mib <= 1.3),
        ),
    ]


def typing_rows(output: str) -> list[Row]:
    sections = output.split("\nkey -> painted")
    b50, b99 = find(
        r"bare Textual Input: median\s+" + NUMBER + r" ms, p99\s+" + NUMBER, sections[0]
    )
    k50, k99 = find(r"kiosk #password:\s+median\s+" + NUMBER + r" ms, p99\s+" + NUMBER, sections[0])
    pb50, pb99 = find(
        r"bare Textual Input: median\s+" + NUMBER + r" ms, p99\s+" + NUMBER, sections[1]
    )
    pk50, pk99 = find(
        r"kiosk #password:\s+median\s+" + NUMBER + r" ms, p99\s+" + NUMBER, sections[1]
    )
    return [
        Row(
            "typing: key to checklist updated, median (ms)",
            f"{k50:.2f}",
            f"{b50:.2f}",
            f"{k50 / b50:.2f}x",
            "<= 1.5x",
            verdict(k50 / b50 <= 1.5),
        ),
        Row(
            "typing: key to checklist updated, p99 (ms)",
            f"{k99:.2f}",
            f"{b99:.2f}",
            f"{k99 / b99:.2f}x",
            "< 16 ms",
            verdict(k99 < 16),
        ),
        Row(
            "typing: key to checklist painted, median (ms)",
            f"{pk50:.2f}",
            f"{pb50:.2f}",
            f"{pk50 / pb50:.2f}x",
            "(not set)",
            "-",
        ),
        Row(
            "typing: key to checklist painted, p99 (ms)",
            f"{pk99:.2f}",
            f"{pb99:.2f}",
            f"{pk99 / pb99:.2f}x",
            "(not set; one frame is 16.7 ms)",
            "-",
        ),
    ]


def responsiveness_rows(output: str) -> list[Row]:
    (longest,) = find(r"longest stall: " + NUMBER + " ms", output)
    (work,) = find(r"longest loop work: " + NUMBER + " ms", output)
    (p99,) = find(r"p99 " + NUMBER + " ms", output)
    pilot = "through the pilot" in output
    name = "responsiveness, keys through the pilot" if pilot else "responsiveness"
    if "speech on" in output:
        name += ", speech on"
    rows = [
        Row(
            f"{name}: longest event-loop stall, full registration (ms)",
            f"{longest:.1f}",
            "none",
            "-",
            "< 16 ms",
            verdict(longest < 16),
        ),
        Row(
            f"{name}: longest work of the loop thread in one gap (CPU ms)",
            f"{work:.1f}",
            "none",
            "-",
            "< 16 ms",
            verdict(work < 16),
        ),
    ]
    phases = re.findall(r"^ +" + NUMBER + r" ms / +" + NUMBER + r" ms  (.+)$", output, re.M)
    rows += [
        Row(
            f"{name}, {phase}: longest stall, wall / CPU (ms)",
            f"{wall} / {cpu}",
            "none",
            "-",
            "< 16 ms",
            verdict(number(wall) < 16),
        )
        for wall, cpu, phase in phases
    ]
    rows.append(
        Row(f"{name}: p99 of the 1 ms monitor's gaps (ms)", f"{p99:.2f}", "none", "-", "-", "-")
    )
    return rows


def language_rows(output: str) -> list[Row]:
    wall, cpu = find(
        r"longest stall during a switch: "
        + NUMBER
        + r" ms on the wall clock .*?, "
        + NUMBER
        + " ms of the loop thread's CPU",
        output,
    )
    return [
        Row(
            "language switch (F9 on Welcome): longest stall, wall / CPU (ms)",
            f"{wall:.1f} / {cpu:.1f}",
            "none",
            "-",
            "< 16 ms",
            verdict(wall < 16),
        )
    ]


def speech_rows(output: str) -> list[Row]:
    median, p99 = find(r"key to speech started: median " + NUMBER + " ms, p99 " + NUMBER, output)
    return [
        Row(
            "speech: key to the sentence's subprocess started, median (ms)",
            f"{median:.1f}",
            "none",
            "-",
            "(not set)",
            "-",
        ),
        Row(
            "speech: key to the sentence's subprocess started, p99 (ms)",
            f"{p99:.1f}",
            "none",
            "-",
            "(not set)",
            "-",
        ),
    ]


def argon2_rows(output: str) -> list[Row]:
    (median,) = find(r"one hash: median " + NUMBER + " ms", output)
    (bound,) = find(r"= " + NUMBER + " hashes/s", output)
    return [
        Row(
            "argon2id, one hash, RFC 9106 low memory (ms); bound on registrations/s",
            f"{median:.1f} ms; {bound:.1f}/s",
            "-",
            "-",
            "-",
            "-",
        )
    ]


def web_rows(output: str) -> list[Row]:
    def cell(name: str, clients: int) -> tuple[float, float]:
        rate, p99 = find(
            re.escape(name) + rf"\s+c={clients}\s+" + NUMBER + r" req/s, p99\s+" + NUMBER + " ms",
            output,
        )
        return rate, p99

    (bound,) = find(r"= " + NUMBER + " sign-ins/s", output)
    rows = []
    for clients in (1, 10, 50):
        bare, bare_p99 = cell("bare Starlette page", clients)
        for name, label, target in (
            ("landing GET /code?c=", "web: landing, the e-mail's link", 0.5),
            ("landing page (peek)", "web: landing page, code peeked at", 0.5),
            ("invoices page /factures", "web: /factures, signed in", 0.3),
        ):
            rate, p99 = cell(name, clients)
            (ratio,) = find(rf"c={clients}\s+{re.escape(name)} / bare = " + NUMBER + "x", output)
            rows.append(
                Row(
                    f"{label}, {clients} client(s) (req/s; p99 ms)",
                    f"{rate:,.0f}; {p99:.1f}",
                    f"{bare:,.0f}; {bare_p99:.1f} (bare page)",
                    f"{ratio:.2f}x (median of 5 rounds)",
                    f">= {target}x",
                    verdict(ratio >= target),
                )
            )
        rate, p99 = cell("sign-in, wrong password", clients)
        rows.append(
            Row(
                f"web: sign-in, wrong password, {clients} client(s) (req/s; p99 ms)",
                f"{rate:,.1f}; {p99:,.0f}",
                f"{bound:.1f} (cores / argon2 time)",
                f"{rate / bound:.2f}x",
                "bounded by argon2 (<= 1x)",
                verdict(rate / bound <= 1.05),
            )
        )
    return rows


def billing_rows(output: str) -> list[Row]:
    (anchor,) = find(r"anchor, sqlite3 executemany:\s+" + NUMBER + " rows/s", output)
    (kiosk,) = find(r"kiosk import-invoices:\s+" + NUMBER + " rows/s", output)
    (count,) = find(r"import of " + NUMBER + " invoices", output)
    rows = [
        Row(
            f"import of {count:,.0f} invoices (rows/s)",
            f"{kiosk:,.0f}",
            f"{anchor:,.0f}",
            f"{kiosk / anchor:.2f}x",
            ">= 0.5x",
            verdict(kiosk / anchor >= 0.5),
        )
    ]
    _b50, b99 = find(
        r"anchor, bare indexed SELECT \(sqlite3\): p50 " + NUMBER + " ms, p99 " + NUMBER, output
    )
    for name in ("invoices", "consumption"):
        _k50, k99 = find(
            rf"kiosk billing\.{name} .*?: p50 " + NUMBER + r" ms,\s+p99 " + NUMBER, output
        )
        rows.append(
            Row(
                f"billing: {name} of a contract, {count:,.0f} invoices, p99 (ms)",
                f"{k99:.3f}",
                f"{b99:.3f}",
                f"{k99 / b99:.0f}x",
                "p99 < 2 ms",
                verdict(k99 < 2),
            )
        )
    return rows


def registration_rows(output: str) -> list[Row]:
    def cell(name: str, clients: int) -> tuple[float, float]:
        rate, p99 = find(
            re.escape(name) + rf"\s+c={clients}\s+" + NUMBER + r" req/s, p99\s+" + NUMBER + " ms",
            output,
        )
        return rate, p99

    rows = []
    for clients in (1, 10, 50):
        bare, bare_p99 = cell("bare Starlette page", clients)
        rate, p99 = cell("GET /inscription?q=", clients)
        (ratio,) = find(rf"c={clients}\s+/inscription\?q= / bare = " + NUMBER + "x", output)
        rows.append(
            Row(
                f"web: registration, GET /inscription?q=, {clients} client(s) (req/s; p99 ms)",
                f"{rate:,.0f}; {p99:.1f}",
                f"{bare:,.0f}; {bare_p99:.1f} (bare page)",
                f"{ratio:.2f}x (median of 5 rounds)",
                ">= 0.3x",
                verdict(ratio >= 0.3),
            )
        )
    return rows


def registration_enumeration_rows(output: str) -> list[Row]:
    (known,) = find(r"address with an account: median " + NUMBER + " ms", output)
    (new,) = find(r"new address:\s+median " + NUMBER + " ms", output)
    (difference,) = find(r"median paired difference ([+-][\d.]+) ms", output)
    return [
        Row(
            "web: registration's last step, address with an account vs new (median ms; "
            "median paired difference)",
            f"{known:.1f} vs {new:.1f}; {difference:+.2f} ms",
            "-",
            "-",
            "|d| < 10 ms",
            verdict(abs(difference) < 10),
        )
    ]


SCRIPTS: list[tuple[str, Callable[[int], list[str]], Callable[[str], list[Row]] | None]] = [
    ("import_rate.py", lambda n: [str(n)], import_rows),
    ("import_rate.py", lambda n: [str(n), "--progress"], progress_rows),
    ("contract_check.py", lambda n: [str(n)], contract_rows),
    ("billing.py", lambda n: [str(n)], billing_rows),
    ("mail_rate.py", lambda n: [], mail_rows),
    ("startup_memory.py", lambda n: [], startup_rows),
    ("typing_latency.py", lambda n: [], typing_rows),
    ("responsiveness.py", lambda n: [], responsiveness_rows),
    ("responsiveness.py", lambda n: ["--pilot"], responsiveness_rows),
    ("language_switch.py", lambda n: [], language_rows),
    ("responsiveness.py", lambda n: ["--speech"], responsiveness_rows),
    ("speech_latency.py", lambda n: [], speech_rows),
    ("argon2_cost.py", lambda n: [], argon2_rows),
    ("import_costs.py", lambda n: [], None),
    ("web_rate.py", lambda n: [], web_rows),
    ("registration_rate.py", lambda n: [], registration_rows),
    ("registration_enumeration.py", lambda n: [], registration_enumeration_rows),
]


def wait_for_quiet(limit: float, max_wait: float) -> float:
    """The one-minute load average once under ``limit``, or after ``max_wait`` seconds."""
    deadline = time.monotonic() + max_wait
    while True:
        load = os.getloadavg()[0]
        if load <= limit or time.monotonic() >= deadline:
            return load
        print(f"load average {load:.2f} > {limit}: waiting", file=sys.stderr, flush=True)
        time.sleep(30)


def run_script(script: str, arguments: list[str], quiet_load: float, max_wait: float) -> Run:
    run = Run(script, arguments, load=wait_for_quiet(quiet_load, max_wait))
    print(f"== {script} {' '.join(arguments)} (load {run.load:.2f})", file=sys.stderr, flush=True)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    run.seconds = time.perf_counter() - started
    run.output = result.stdout.rstrip()
    if result.returncode != 0:
        run.failed = True
        run.output += "\n" + result.stderr.rstrip()[-3000:]
    print(run.output, file=sys.stderr, flush=True)
    return run


def machine() -> list[str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        or "unknown"
    )
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    state = "with changes not yet committed" if changed else "no changes to tracked files"
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory}",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"Textual {version('textual')}; SQLAlchemy {version('sqlalchemy')}; "
        f"SQLite {sqlite3.sqlite_version}",
        f"- code: commit {commit}, {state}",
    ]


def kept_limits() -> str:
    if not OUTPUT.exists():
        return "## Limits\n\n(none written yet)\n"
    text = OUTPUT.read_text(encoding="utf-8")
    at = text.find("\n## Limits")
    return text[at + 1 :] if at >= 0 else "## Limits\n\n(none written yet)\n"


def write_report(runs: list[Run], started: datetime.datetime, quiet_load: float) -> None:
    rows: list[Row] = []
    problems: list[str] = []
    for run in runs:
        parse = run.parse
        if parse is None:
            continue
        try:
            rows.extend(parse(run.output))
        except ValueError as error:
            problems.append(f"- `{run.script}`: no figure ({error}); see its output below")
    loads = ", ".join(f"{run.script} {run.load:.2f}" for run in runs)
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python bench/run_all.py`); each script also runs on its own "
        "(`python bench/<script>.py`). Every figure is measured beside its anchor in the same "
        "run.",
        "",
        f"Run of {started:%Y-%m-%d %H:%M} (local time), on:",
        "",
        *machine(),
        f"- one-minute load average as each script started (quiet is under {quiet_load}): {loads}",
        "",
        "| figure | kiosk | anchor | ratio | target | met? |",
        "|---|---|---|---|---|---|",
        *(
            f"| {r.figure} | {r.kiosk} | {r.anchor} | {r.ratio} | {r.target} | {r.met} |"
            for r in rows
        ),
        "",
        *problems,
        "## Output of each script",
        "",
    ]
    for run in runs:
        lines += [
            f"### {run.script} {' '.join(run.arguments)}".rstrip(),
            "",
            f"{run.seconds:.0f} s, load {run.load:.2f} at the start"
            + (" (**failed**)" if run.failed else ""),
            "",
            "```",
            run.output,
            "```",
            "",
        ]
    OUTPUT.write_text("\n".join(lines) + "\n" + kept_limits(), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--max-wait", type=float, default=600.0)
    parser.add_argument("--quiet-load", type=float, default=1.5)
    parser.add_argument("--only", nargs="*", help="run only these scripts (file names)")
    args = parser.parse_args()
    started = datetime.datetime.now()
    runs = []
    for script, arguments, parse in SCRIPTS:
        if not args.only or script in args.only:
            run = run_script(script, arguments(args.subscribers), args.quiet_load, args.max_wait)
            run.parse = parse
            runs.append(run)
    write_report(runs, started, args.quiet_load)
    print(f"wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
