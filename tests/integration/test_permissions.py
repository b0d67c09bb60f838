"""Owner-only files: the data folder 0700; database, journals, logs, key and e-mails 0600.

Set at creation (the ``kiosk`` command's umask) and checked at every start, which makes
private what an older version or a hand left open.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from kiosk import file_modes
from kiosk.config import ConfigError, Settings
from kiosk.mail.transports import MaildirTransport
from tests.support.installation import TEST_SECRET_KEY


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def kiosk(data_dir: Path, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """The ``kiosk`` command, started with the permissive umask of a usual login (022)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KIOSK_DATA_DIR": str(data_dir),
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
        **environ,
    }
    return subprocess.run(
        ["/bin/sh", "-c", 'umask 022 && exec "$0" -m kiosk "$@"', sys.executable, *args],
        env=env,
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_embedded_installation_is_created_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = kiosk(data, "demo-data", KIOSK_SECRET_KEY="")  # the key is generated in the folder
    assert result.returncode == 0, result.stderr
    assert mode(data) == 0o700
    assert mode(data / "secret.key") == 0o600
    assert mode(data / "kiosk.db") == 0o600
    assert mode(data / "logs") == 0o700
    assert mode(data / "logs" / "kiosk.log") == 0o600
    # The journal files take the database's mode, whoever opens it and whatever the umask.
    connection = sqlite3.connect(data / "kiosk.db")
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("DELETE FROM sessions")
        connection.commit()
        assert mode(data / "kiosk.db-wal") == 0o600
        assert mode(data / "kiosk.db-shm") == 0o600
    finally:
        connection.close()


def test_a_configured_installation_keeps_its_data_folder_private(
    tmp_path: Path, database_url: str
) -> None:
    """On PostgreSQL the folder still holds the logs (and, configured so, the maildir)."""
    data = tmp_path / "data"
    environ = {"KIOSK_DATABASE_URL": database_url} if database_url else {}
    result = kiosk(data, "init-db", **environ)
    assert result.returncode == 0, result.stderr
    assert mode(data) == 0o700
    assert mode(data / "logs") == 0o700 and mode(data / "logs" / "kiosk.log") == 0o600


def test_the_start_makes_private_what_was_left_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert kiosk(data, "demo-data", KIOSK_SECRET_KEY="").returncode == 0
    mail = data / "mail" / "new"
    mail.mkdir(parents=True)
    (mail / "1.eml").write_text("Subject: code\n\nABCD-EFGH-JKMN\n")
    opened = [data, data / "logs", data / "mail", mail]
    for folder in opened:
        folder.chmod(0o755)
    files = [data / "kiosk.db", data / "secret.key", data / "logs" / "kiosk.log", mail / "1.eml"]
    for file in files:
        file.chmod(0o644)
    result = kiosk(data, "init-db", KIOSK_SECRET_KEY="")
    assert result.returncode == 0, result.stderr
    assert [mode(folder) for folder in opened] == [0o700] * len(opened)
    assert [mode(file) for file in files] == [0o600] * len(files)
    log = (data / "logs" / "kiosk.log").read_text()
    assert "owner-only" in log and "secret.key" in log


def test_a_file_that_cannot_be_made_private_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root (the test machine) chmod never fails; a file of another user would."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "kiosk.db").write_bytes(b"")
    (data / "kiosk.db").chmod(0o644)

    def refuse(path: object, mode: int, **_: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    with pytest.raises(ConfigError, match=r"kiosk\.db.*0644.*owner"):
        file_modes.secure_installation_files(Settings(data_dir=data, secret_key=TEST_SECRET_KEY))


async def test_maildir_messages_are_private_whatever_the_umask(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "mail"
    previous = os.umask(0o022)
    try:
        message = EmailMessage()
        message["Subject"] = "Votre code"
        message.set_content("ABCD-EFGH-JKMN")
        async with MaildirTransport(folder).connect() as connection:
            await connection.send(message)
    finally:
        os.umask(previous)
    [written] = list((folder / "new").iterdir())
    assert mode(written) == 0o600
    assert {mode(folder / sub) for sub in ("tmp", "new", "cur")} | {mode(folder)} == {0o700}
    assert mode(folder.parent) == 0o700
