"""Customers of the billing demo (SPEC §9), signed in through the real services; PDFs read back."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from kiosk.domain.states import CodePurpose
from kiosk.services import KioskServices
from tests.support.demo import Deliver, demo_request
from tests.support.mail import SmtpSink, read_code

AFTER_THE_DEMO = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
"""A day after the demo extracts' last reading (30 June 2026): readings typed now follow it."""

LEAKING = {"contract": "7654321", "meter": "K09C112233", "email": "paul.martin@example.fr"}
"""The demo subscriber of Marseille, whose last period is three times the usual."""


async def signed_in_customer(
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Deliver,
    *,
    commune: str = "velaux",
    **changes: str,
) -> str:
    """Register and activate a demo subscriber (the Velaux one unless told otherwise);
    both its e-mails are delivered. Returns the session token that the activation opened."""
    [place] = [
        choice
        for choice in await services.communes.search(commune)
        if choice.name.lower() == commune
    ]
    before = len(smtp.messages)
    await services.registration.register(demo_request(commune_id=place.id, **changes))
    await deliver()
    messages = await smtp.wait_for(before + 1, timeout=30)
    redeemed = await services.redemption.redeem(read_code(messages[before]))
    assert redeemed.purpose is CodePurpose.ACTIVATION and redeemed.session is not None
    await deliver()
    await smtp.wait_for(before + 2, timeout=30)
    return redeemed.session.token


def pdf_text(content: bytes) -> str:
    """The text of every page of a PDF, as a reader extracts it."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)
