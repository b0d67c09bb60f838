"""The companion as it is started: ``kiosk web`` (one or several processes) and ``kiosk run``,
which serves it in-process on the embedded default so that a demo e-mail's link opens."""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from kiosk.config import ensure_secret_key, load_settings
from kiosk.runtime import build_runtime
from tests.support.demo import demo_request, velaux_id
from tests.support.network import free_port
from tests.support.web import csrf_token

ROOT = Path(__file__).resolve().parents[2]
WRONG_CODE = "ABCD-EFGH-JKMN"


def environment(data_dir: Path, port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    env.update(KIOSK_DATA_DIR=str(data_dir), KIOSK_WEB_LISTEN=f"127.0.0.1:{port}")
    return env


def wait_for_health(port: int, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the process stopped"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sante", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the web companion never answered /sante")


@contextmanager
def kiosk_web(data_dir: Path, port: int, *arguments: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "web", *arguments],
        cwd=data_dir.parent,
        env=environment(data_dir, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_kiosk_web_serves_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    data_dir = tmp_path / "data"
    with kiosk_web(data_dir, port) as process:
        wait_for_health(port, process)
        landing = httpx.get(f"http://127.0.0.1:{port}/code?c={WRONG_CODE}")
        assert landing.status_code == 303
        process.send_signal(signal.SIGTERM)
        output, errors = process.communicate(timeout=20)
    # uvicorn shuts down gracefully, then lets the signal end the process as it would have.
    assert process.returncode in (0, -signal.SIGTERM)
    written = output.decode() + errors.decode() + (data_dir / "logs" / "kiosk.log").read_text()
    assert "Finished server process" in written
    assert "GET /code 303" in written  # the access log, without the query string
    assert WRONG_CODE not in written and "c=" not in written


def test_kiosk_web_with_several_workers(tmp_path: Path) -> None:
    port = free_port()
    data_dir = tmp_path / "data"
    with kiosk_web(data_dir, port, "--workers", "2") as process:
        wait_for_health(port, process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as browser:
            for _ in range(10):
                assert browser.get("/connexion").status_code == 200
        process.send_signal(signal.SIGTERM)
        _output, errors = process.communicate(timeout=30)
    assert process.returncode in (0, -signal.SIGTERM)
    assert errors.decode().count("Finished server process") == 2


def drain(master: int, seconds: float) -> None:
    """Read what the kiosk paints, as a terminal would (a full pty would block it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([master], [], [], 0.05)[0]:
            try:
                os.read(master, 65536)
            except OSError:
                return


def test_kiosk_run_serves_the_links_of_its_demo_emails(tmp_path: Path) -> None:
    """The newcomer's path: register at the kiosk, `kiosk mail 1`, open the link, dashboard."""
    port = free_port()
    data_dir = tmp_path / "kiosk-data"
    env = environment(data_dir, port)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--dev"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env | {"TERM": "xterm-256color"},
        cwd=tmp_path,
        start_new_session=True,
    )
    os.close(slave)
    try:
        deadline = time.monotonic() + 90
        while True:
            drain(master, 0.3)
            assert process.poll() is None, "the kiosk stopped"
            assert time.monotonic() < deadline, "the web companion never answered"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/sante", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass

        # A registration at this installation (as the kiosk's screens make it).
        settings = ensure_secret_key(load_settings(environ=env, cwd=tmp_path))
        assert settings.public_url == f"http://127.0.0.1:{port}"

        async def register() -> None:
            runtime = build_runtime(settings)
            try:
                services = runtime.services
                await services.registration.register(
                    demo_request(commune_id=await velaux_id(services))
                )
            finally:
                await runtime.close()

        asyncio.run(register())
        # The kiosk's own mailer writes the e-mail to the maildir; `kiosk mail 1` prints it.
        link = None
        deadline = time.monotonic() + 30
        while link is None and time.monotonic() < deadline:
            drain(master, 0.5)
            printed = subprocess.run(
                [sys.executable, "-m", "kiosk", "mail", "1"],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            found = re.search(r"http://127\.0\.0\.1:\d+/code\?c=[0-9A-Z-]{14}", printed)
            link = found.group(0) if found else None
        assert link is not None, "no e-mail with a link in the maildir"

        with httpx.Client(follow_redirects=True) as browser:
            page = browser.get(link)
            assert str(page.url) == f"http://127.0.0.1:{port}/code"
            assert "Activer mon espace client" in page.text
            done = browser.post(
                f"http://127.0.0.1:{port}/code",
                data={"csrf_token": csrf_token(page.text), "step": "activate"},
            )
            assert str(done.url) == f"http://127.0.0.1:{port}/tableau-de-bord"
            assert "Bienvenue sur votre Agence en Ligne" in done.text
            assert "Votre compte a été validé." in done.text
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)


def test_the_workers_of_kiosk_web_add_up_their_request_metrics(tmp_path: Path) -> None:
    """Whichever worker answers the scrape, it counts the requests every worker answered."""
    port = free_port()
    data_dir = tmp_path / "data"
    sample = 'kiosk_web_requests_total{method="GET",route="/connexion",status="200"}'
    with kiosk_web(data_dir, port, "--workers", "2") as process:
        wait_for_health(port, process)
        counts = set()
        # A client per request: a new connection, which either worker may accept.
        for _ in range(12):
            assert httpx.get(f"http://127.0.0.1:{port}/connexion").status_code == 200
        for _ in range(6):
            scrape = httpx.get(f"http://127.0.0.1:{port}/metrics").text
            [line] = [line for line in scrape.splitlines() if line.startswith(sample)]
            counts.add(float(line.split()[-1]))
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert counts == {12.0}
    assert list((data_dir / "web-metrics").glob("*.db"))  # the workers' shared counts
