"""Builders of the five e-mails of SPEC §4, in the account's language (SPEC §11), with a
plain-text and an HTML part."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from kiosk.domain.catalogue import text
from kiosk.translations import SOURCE_LANGUAGE


@dataclass(frozen=True)
class OutgoingMail:
    """An e-mail to write into the outbox."""

    kind: str
    recipient: str
    subject: str
    body_text: str
    body_html: str


def _compose(
    kind: str,
    recipient: str,
    first_name: str | None,
    body_key: str,
    language: str,
    **values: object,
) -> OutgoingMail:
    greeting = (
        text("mail_greeting", language, first_name=first_name)
        if first_name
        else text("mail_greeting_anonymous", language)
    )
    body = text(body_key, language).format(**values)
    signature = text("mail_signature", language)
    plain = f"{greeting}\n\n{body}\n\n{signature}\n"
    link = values.get("link")
    paragraphs = []
    for paragraph in body.split("\n\n"):
        escaped = html.escape(paragraph).replace("\n", "<br>\n")
        if isinstance(link, str):
            anchor = f'<a href="{html.escape(link)}" style="color:#0b57d0">{html.escape(link)}</a>'
            escaped = escaped.replace(html.escape(link), anchor)
        paragraphs.append(f"<p>{escaped}</p>")
    rich = (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language)}"><body style="font-family:sans-serif">\n'
        f"<p>{html.escape(greeting)}</p>\n"
        + "\n".join(paragraphs)
        + f"\n<p>{html.escape(signature)}</p>\n"
        "</body></html>\n"
    )
    subject = text(f"mail_{kind}_subject", language)
    return OutgoingMail(kind, recipient, subject, plain, rich)


def activation_mail(
    recipient: str,
    first_name: str,
    code: str,
    link: str,
    operator: str,
    hours: str,
    language: str = SOURCE_LANGUAGE,
) -> OutgoingMail:
    """``hours``: the validity as the customer reads it
    (:func:`kiosk.domain.catalogue.hours_text`)."""
    return _compose(
        "activation",
        recipient,
        first_name,
        "mail_activation_body",
        language,
        code=code,
        link=link,
        operator=operator,
        hours=hours,
    )


def confirmed_mail(
    recipient: str, first_name: str, language: str = SOURCE_LANGUAGE
) -> OutgoingMail:
    return _compose("confirmed", recipient, first_name, "mail_confirmed_body", language)


def reset_mail(
    recipient: str,
    first_name: str,
    code: str,
    link: str,
    minutes: int,
    language: str = SOURCE_LANGUAGE,
) -> OutgoingMail:
    return _compose(
        "reset",
        recipient,
        first_name,
        "mail_reset_body",
        language,
        code=code,
        link=link,
        minutes=minutes,
    )


def password_updated_mail(
    recipient: str, first_name: str, language: str = SOURCE_LANGUAGE
) -> OutgoingMail:
    return _compose("updated", recipient, first_name, "mail_updated_body", language)


def address_in_use_mail(recipient: str, language: str = SOURCE_LANGUAGE) -> OutgoingMail:
    return _compose("in_use", recipient, None, "mail_in_use_body", language)


def to_email_message(
    sender: str, recipient: str, subject: str, body_text: str, body_html: str, date: datetime
) -> EmailMessage:
    """The RFC 5322 message a transport sends: text part first, HTML alternative second."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].rstrip(">") or None)
    message.set_content(body_text)
    message.add_alternative(body_html, subtype="html")
    return message
