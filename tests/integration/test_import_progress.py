"""Progress of long commands: a Rich bar (rows per second, time left) when the command runs in
a terminal (a real pseudo-terminal here), one summary line and nothing else when it does not."""

from __future__ import annotations

import csv
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from kiosk.domain.progress import Progress
from kiosk.runtime import Runtime
from kiosk.services.imports import open_csv

ROOT = Path(__file__).resolve().parents[2]
ROWS = 200_000
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SUMMARY = re.compile(
    rf"^subscribers\.csv: {ROWS} row\(s\) written, 0 skipped in [0-9.]+ s \([0-9,]+ rows/s\)$"
)


def write_subscribers(path: Path, count: int) -> None:
    communes = ["Velaux", "Marseille", "Aix-en-Provence"]
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["contract", "meter", "commune", "holder"])
        for i in range(count):
            writer.writerow([f"{8_000_000 + i:07d}", f"S{i:09d}", communes[i % 3], f"ABONNÉ {i}"])


def environment(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    return env | {"KIOSK_DATA_DIR": str(data_dir), "TERM": "xterm-256color"}


def run_in_terminal(arguments: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Run ``kiosk ARGUMENTS`` with a pseudo-terminal as its standard streams, 100 columns
    wide; returns its exit status and everything it wrote there."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *arguments],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
    )
    os.close(slave)
    written = bytearray()
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal's other end is closed: the command ended
                    break
                if not chunk:
                    break
                written += chunk
            elif process.poll() is not None:
                break
        status = process.wait(timeout=10)
    finally:
        os.close(master)
    return status, written.decode("utf-8", "replace")


def test_an_import_in_a_terminal_draws_a_bar_with_rate_and_time_left(tmp_path: Path) -> None:
    extract = tmp_path / "subscribers.csv"
    write_subscribers(extract, ROWS)
    status, screen = run_in_terminal(
        ["import-subscribers", str(extract)], environment(tmp_path / "data"), tmp_path
    )
    assert status == 0, screen[-2000:]
    # Each drawing of the bar starts over the same line (a carriage return).
    drawings = [ANSI.sub("", part).strip() for part in re.split(r"\r\n?|\n", screen)]
    bars = [line for line in drawings if line.startswith("subscribers.csv ")]
    assert bars, screen[-2000:]
    last = bars[-1]
    assert "100%" in last and f"{ROWS:,} rows" in last
    assert re.search(r"[0-9,]+ rows/s", last) and "time left 0:00:00" in last
    # The bar moved while the rows went in: some drawing shows part of them.
    partial = [int(n.replace(",", "")) for n in re.findall(r"([0-9,]+) rows(?!/)", " ".join(bars))]
    assert any(0 < n < ROWS for n in partial), bars
    assert any(SUMMARY.match(line) for line in drawings), drawings[-3:]


def test_an_import_without_a_terminal_prints_one_summary_line(tmp_path: Path) -> None:
    extract = tmp_path / "subscribers.csv"
    write_subscribers(extract, ROWS)
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "import-subscribers", str(extract)],
        env=environment(tmp_path / "data"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    [line] = done.stdout.splitlines()
    assert SUMMARY.match(line), line


def test_the_purge_in_a_terminal_and_without(tmp_path: Path) -> None:
    env = environment(tmp_path / "data")
    status, screen = run_in_terminal(["purge"], env, tmp_path)
    assert status == 0
    plain = ANSI.sub("", screen)
    assert re.search(r"purge\s.*100%\s+0 rows", plain), plain[-1000:]
    quiet = subprocess.run(
        [sys.executable, "-m", "kiosk", "purge"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (quiet.returncode, quiet.stderr) == (0, "")
    assert quiet.stdout.splitlines() == [
        "PurgeReport(pending_accounts=0, codes=0, sessions=0, throttle_events=0, "
        "outbox_messages=0, registration_drafts=0)"
    ]


async def test_the_import_reports_bytes_of_the_file_and_rows_per_batch(
    runtime: Runtime, tmp_path: Path
) -> None:
    extract = tmp_path / "subscribers.csv"
    write_subscribers(extract, 50_000)
    seen: list[Progress] = []
    with open_csv(extract) as stream:
        report = await runtime.imports.import_subscribers(stream, progress=seen.append)
    assert report.written == 50_000
    assert [p.rows for p in seen] == [20_000, 40_000, 50_000, 50_000]  # once per batch, and the end
    assert {p.total for p in seen} == {extract.stat().st_size}
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert seen[-1].done == extract.stat().st_size


async def test_synthetic_subscribers_and_the_purge_report_their_steps(runtime: Runtime) -> None:
    seen: list[Progress] = []
    await runtime.imports.add_synthetic_subscribers(30_000, progress=seen.append)
    assert [(p.done, p.total, p.rows) for p in seen] == [
        (20_000, 30_000, 20_000),
        (30_000, 30_000, 30_000),
        (30_000, 30_000, 30_000),
    ]
    steps: list[Progress] = []
    await runtime.services.maintenance.purge(steps.append)
    assert [(p.done, p.total) for p in steps] == [(n, 6) for n in range(7)]
