"""Mail: outbox to SMTP (aiosmtpd on loopback) beside raw aiosmtplib on one reused connection.

Usage: python bench/mail_rate.py [N]   (default 1,000 messages)
"""

from __future__ import annotations

import asyncio
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiosmtplib

from kiosk.config import Settings
from kiosk.mail import outbox
from kiosk.mail.messages import activation_mail, to_email_message
from kiosk.mail.transports import SmtpTransport
from kiosk.runtime import build_runtime, initialise_database


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def mails(count: int) -> list[Any]:
    return [
        activation_mail(
            f"client{n}@example.fr",
            "Léa",
            "AB12-CD34-EF56",
            "https://espaceclients.example.fr/code?c=AB12-CD34-EF56",
            "Eaux de Marseille",
            "48",
        )
        for n in range(count)
    ]


async def raw(port: int, count: int) -> float:
    prepared = mails(count)
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False, use_tls=False)
    started = time.perf_counter()
    await client.connect()
    for m in prepared:  # the same MIME message as the kiosk's, built and sent
        message = to_email_message(
            "k@example.fr", m.recipient, m.subject, m.body_text, m.body_html, time_now()
        )
        await client.send_message(message)
    await client.quit()
    return time.perf_counter() - started


def time_now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def kiosk(port: int, count: int, folder: Path) -> float:
    settings = Settings(data_dir=folder, secret_key="x" * 32)
    runtime = build_runtime(settings, transport=SmtpTransport("127.0.0.1", port, security="none"))
    try:
        await initialise_database(runtime)
        async with runtime.services.context.unit_of_work() as uow:
            for mail in mails(count):
                outbox.enqueue(uow, mail, time_now())
            await uow.commit()
        started = time.perf_counter()
        report = await runtime.worker.deliver_all_due()
        elapsed = time.perf_counter() - started
        assert report.sent == count, report
        return elapsed
    finally:
        await runtime.close()


RUNS = 5


def start_server(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd in a process of its own, as a relay would be: it does not compete with the
    sender for this interpreter's lock."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.05)
    server.kill()
    raise RuntimeError("aiosmtpd did not start")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    port = free_port()
    server = start_server(port)
    anchors, ourses = [], []
    try:
        for run in range(RUNS):  # alternated: the machine's drift touches both alike
            anchors.append(asyncio.run(raw(port, count)))
            with tempfile.TemporaryDirectory() as tmp:
                ourses.append(asyncio.run(kiosk(port, count, Path(tmp) / str(run))))
    finally:
        server.terminate()
        server.wait()
    anchor, ours = statistics.median(anchors), statistics.median(ourses)
    print(
        f"mail to aiosmtpd on loopback (its own process), {count:,} messages, "
        f"median of {RUNS} runs each"
    )
    print(f"  anchor, raw aiosmtplib on one connection: {count / anchor:8,.0f} messages/s")
    print(f"  kiosk outbox worker (claim, send, mark sent, erase): {count / ours:8,.0f} messages/s")
    print(f"  ratio: {anchor / ours:.2f}x the anchor's rate (target >= 0.8x)")


if __name__ == "__main__":
    main()
