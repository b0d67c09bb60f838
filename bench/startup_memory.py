"""Start-up (process start to the Welcome screen painted) and resident memory of the idle
kiosk, each beside a bare Textual app with the same buttons, header and footer.

Both run in a real pseudo-terminal of 80x24; "painted" is when the last button's label has
been written to the terminal. Usage: python bench/startup_memory.py [RUNS]   (default 7)
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = "Saisir un code reçu par e-mail".encode()


def launch(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds until MARKER is on the terminal, and the resident size (KiB) 2 s later."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, start_new_session=True
    )
    os.close(slave)
    seen = b""
    painted = None
    deadline = started + 30
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
            if painted is None and MARKER in seen:
                painted = time.perf_counter() - started
                break
    if painted is None:
        process.kill()
        raise RuntimeError(f"{command} never painted: {seen[-500:]!r}")
    settle = time.perf_counter() + 2
    while time.perf_counter() < settle:  # keep draining, as a terminal would
        if select.select([master], [], [], 0.05)[0]:
            try:
                os.read(master, 65536)
            except OSError:
                break
    rss = resident_kib(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    os.close(master)
    return painted, rss


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "KIOSK_DATA_DIR": tmp,
        }
        kiosk = [sys.executable, "-m", "kiosk", "run", "--dev"]
        bare = [sys.executable, str(ROOT / "bench" / "bare_app.py")]
        subprocess.run(
            [sys.executable, "-m", "kiosk", "init-db"],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )  # first start's database work, once
        results: dict[str, list[tuple[float, int]]] = {"bare": [], "kiosk": []}
        for _ in range(runs):  # alternated, so that drift affects both alike
            results["bare"].append(launch(bare, env))
            results["kiosk"].append(launch(kiosk, env))
    start = {name: statistics.median(t for t, _ in values) for name, values in results.items()}
    memory = {name: statistics.median(m for _, m in values) for name, values in results.items()}
    print(f"start-up to the Welcome screen painted, 80x24 pty, median of {runs}")
    print(f"  anchor, bare Textual app: {start['bare'] * 1000:7.0f} ms")
    print(
        f"  kiosk run:                {start['kiosk'] * 1000:7.0f} ms  "
        f"ratio {start['kiosk'] / start['bare']:.2f}x (target <= 1.3x)"
    )
    print("resident memory, idle, 2 s after painting")
    print(f"  anchor, bare Textual app: {memory['bare'] / 1024:7.1f} MiB")
    print(
        f"  kiosk run:                {memory['kiosk'] / 1024:7.1f} MiB  "
        f"ratio {memory['kiosk'] / memory['bare']:.2f}x (target <= 1.3x)"
    )


if __name__ == "__main__":
    main()
