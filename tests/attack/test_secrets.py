"""Passwords, codes and links never reach the logs, the auth events or the delivered outbox."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from kiosk.domain.errors import InvalidCredentials
from kiosk.runtime import Runtime
from kiosk.services import RegistrationRequest
from tests.support.mail import SmtpSink, read_code

SENTINEL_PASSWORD = "Sentinelle#Secrete-4242"
NEW_SENTINEL = "Autre#Sentinelle-9191"


async def database_dump(runtime: Runtime) -> str:
    """Every value of every table, as text."""
    dump = []
    async with runtime.engine.connect() as connection:
        for table in ("accounts", "codes", "sessions", "outbox", "throttle_events", "auth_events"):
            for row in await connection.execute(text(f"SELECT * FROM {table}")):
                dump.append(" ".join(str(value) for value in row))
    return "\n".join(dump)


async def test_no_secret_in_logs_events_or_outbox(
    runtime: Runtime, smtp: SmtpSink, log_file: Path
) -> None:
    services, deliver = runtime.services, runtime.worker.deliver_all_due
    [velaux] = await services.communes.search("Velaux")
    await services.registration.register(
        RegistrationRequest(
            velaux.id,
            "Dupont",
            "Marie",
            "marie.dupont@example.fr",
            SENTINEL_PASSWORD,
            SENTINEL_PASSWORD,
            "1234567",
            "A12B345678",
        )
    )
    await deliver()
    activation_code = read_code((await smtp.wait_for(1))[0])
    redeemed = await services.redemption.redeem(
        f"https://espaceclients.example.fr/code?c={activation_code}"
    )
    assert redeemed.session is not None
    await services.sessions.sign_out(redeemed.session.token)
    with pytest.raises(InvalidCredentials):
        await services.sessions.sign_in("marie.dupont@example.fr", "Faux#" + SENTINEL_PASSWORD)
    await services.password_reset.request("marie.dupont@example.fr")
    await deliver()
    reset_code = read_code((await smtp.wait_for(3))[2])
    assert (await services.redemption.redeem(reset_code)).reset_code == reset_code
    await services.password_reset.reset_with_code(reset_code, NEW_SENTINEL, NEW_SENTINEL)
    signed_in = await services.sessions.sign_in("marie.dupont@example.fr", NEW_SENTINEL)
    await deliver()

    secrets = [
        SENTINEL_PASSWORD,
        NEW_SENTINEL,
        activation_code,
        reset_code,
        activation_code.replace("-", ""),
        reset_code.replace("-", ""),
        "code?c=",
        redeemed.session.token,
        signed_in.token,
    ]
    logged = log_file.read_text()
    stored = await database_dump(runtime)
    assert "event=signin " in logged and "m***@example.fr" in logged  # the log is written
    assert "marie.dupont@example.fr" not in logged  # addresses are masked
    for secret in secrets:
        assert secret not in logged
        assert secret not in stored


def test_a_crash_with_a_password_in_a_local_variable_logs_none_of_it(log_file: Path) -> None:
    def check(password: str) -> None:
        raise ValueError(f"cannot handle {password!r}")

    try:
        check(SENTINEL_PASSWORD)
    except ValueError:
        logging.getLogger("kiosk.app").exception("unexpected error")
    logged = log_file.read_text()
    assert "unexpected error" in logged and "ValueError" in logged and "in check" in logged
    assert SENTINEL_PASSWORD not in logged
