"""Owner-only files: a private umask from the start, and the installation's files checked.

The data folder holds password hashes and contracts (the SQLite database and its journals),
e-mails with codes (the maildir, the outbox until delivery), the secret key and the logs: no
other local user may read them. New files are private by the umask that ``kiosk`` sets first
thing; files left open by an older version or by hand are made private at every start, and a
start that cannot make them private stops with a message.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from kiosk.config import ConfigError, Settings

PRIVATE_UMASK = 0o077
"""New folders 0700, new files 0600."""
OTHERS = 0o077
"""The group and other permission bits, which none of the installation's paths may have."""


def restrict_new_files() -> None:
    """Make every file and folder this process creates from now on its owner's only."""
    os.umask(PRIVATE_UMASK)


def secure_installation_files(settings: Settings) -> list[str]:
    """Take the group and other permissions off the installation's folders and files.

    The data folder and all it holds (the embedded database and journals, the secret key, the
    logs, the default maildir), a maildir elsewhere, and a SQLite database elsewhere (its
    file and journals, not its folder, which the administrator chose). Symbolic links are
    left alone.

    Returns:
        One ``"path (0644 -> 0600)"`` line per path that was changed, for the log.

    Raises:
        ConfigError: a path that cannot be made private (it belongs to another user, say).
    """
    changed: list[str] = []
    for path in _installation_paths(settings):
        try:
            current = stat.S_IMODE(path.lstat().st_mode)
        except FileNotFoundError:
            continue
        if not current & OTHERS:
            continue
        private = current & ~OTHERS
        try:
            os.chmod(path, private)
        except OSError as error:
            raise ConfigError(
                f"{path} is open to other users (mode {current:04o}) and cannot be made "
                f"owner-only: {error.strerror}; make it {private:04o}, or run the kiosk as "
                "its owner"
            ) from None
        changed.append(f"{path} ({current:04o} -> {private:04o})")
    return changed


def _installation_paths(settings: Settings) -> Iterator[Path]:
    yield from _tree(settings.data_dir)
    maildir = settings.resolved_maildir
    if settings.mail_transport == "maildir" and not maildir.is_relative_to(settings.data_dir):
        yield from _tree(maildir)
    database = _sqlite_file(settings.database_url)
    if database is not None and not database.is_relative_to(settings.data_dir):
        for suffix in ("", "-wal", "-shm", "-journal"):
            yield database.with_name(database.name + suffix)


def _tree(root: Path) -> Iterator[Path]:
    """``root`` and the folders and regular files below it, never through a link."""
    if root.is_symlink() or not root.is_dir():
        return
    yield root
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder, name)
            try:
                kind = path.lstat().st_mode
            except FileNotFoundError:  # gone since the listing (a delivered e-mail moved)
                continue
            if stat.S_ISDIR(kind) or stat.S_ISREG(kind):
                yield path


def _sqlite_file(url: str) -> Path | None:
    """The file of a configured ``sqlite+aiosqlite:///...`` URL, or None."""
    scheme, separator, rest = url.partition(":///")
    path = rest.split("?", 1)[0]
    if not separator or not scheme.startswith("sqlite") or not path or path == ":memory:":
        return None
    return Path(path)
