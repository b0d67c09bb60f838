"""The agent's small tools: ``kiosk mail`` (the demo's e-mails, from the maildir) and
``kiosk hash-pin`` (the argon2 hash of an agent PIN, for ``agent_pin_hash``)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from kiosk.config import Settings

if TYPE_CHECKING:
    from email.message import EmailMessage


def mail(args: argparse.Namespace, settings: Settings) -> int:
    """List the maildir's e-mails, newest first, or print e-mail ``args.number``."""
    messages = _maildir_messages(settings)
    if not messages:
        print(f"no e-mail in {settings.resolved_maildir}")
        return 0
    if args.number is None:
        for number, message in enumerate(messages, start=1):
            print(f"{number:3}  {message['Date']}  {message['To']}  {message['Subject']}")
        print("\nkiosk mail N prints e-mail N.")
        return 0
    if not 1 <= args.number <= len(messages):
        print(f"kiosk: no e-mail {args.number} (1 to {len(messages)})", file=sys.stderr)
        return 1
    message = messages[args.number - 1]
    body = message.get_body(preferencelist=("plain",))
    print(f"From: {message['From']}\nTo: {message['To']}\nDate: {message['Date']}")
    print(f"Subject: {message['Subject']}\n")
    print(body.get_content() if body is not None else "")
    return 0


def _maildir_messages(settings: Settings) -> list[EmailMessage]:
    # Imported here, as in every command: the kiosk's start-up does without them.
    import email
    import email.policy
    import mailbox
    from email.message import EmailMessage
    from email.utils import parsedate_to_datetime

    folder = settings.resolved_maildir
    if not folder.is_dir():
        return []
    box = mailbox.Maildir(folder, factory=None, create=False)
    found = []
    for key in box.iterkeys():
        with box.get_file(key) as stream:
            message = email.message_from_bytes(stream.read(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        found.append(message)
    found.sort(key=lambda m: parsedate_to_datetime(str(m["Date"])), reverse=True)
    return found


def hash_pin(args: argparse.Namespace, settings: Settings) -> int:
    """Ask for a PIN twice and print its argon2 hash (nothing is stored)."""
    import asyncio
    import getpass

    from kiosk.domain.agent_pin import new_pin_problem
    from kiosk.hashing import PasswordHashing

    pin = getpass.getpass("Agent PIN: ")
    problem = new_pin_problem(pin, getpass.getpass("Again: "))
    if problem is not None:
        print(f"kiosk: {problem}", file=sys.stderr)
        return 1
    # The hashing that AgentService verifies with: the same parameters and normalisation.
    hashing = PasswordHashing(1)
    try:
        print(asyncio.run(hashing.hash(pin)))
    finally:
        hashing.close()
    return 0
