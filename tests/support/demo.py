"""The demo subscriber (Velaux, contract 1234567), registered and activated through the services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from kiosk.domain.states import CodePurpose
from kiosk.services import KioskServices, RegistrationReceipt, RegistrationRequest
from tests.support.mail import SmtpSink, read_code

DEMO_CONTRACT = "1234567"
DEMO_METER = "A12B345678"
DEMO_EMAIL = "marie.dupont@example.fr"
DEMO_PASSWORD = "Ruisseau-42!"

Deliver = Callable[[], Awaitable[Any]]
"""Delivers the due outbox to the test SMTP server (``runtime.worker.deliver_all_due``)."""


async def velaux_id(services: KioskServices) -> int:
    """The id of the demo subscriber's commune."""
    [velaux] = await services.communes.search("velaux")
    return velaux.id


def demo_request(**changes: Any) -> RegistrationRequest:
    """The registration of the demo subscriber, as the screens send it (commune id to set)."""
    values: dict[str, Any] = {
        "commune_id": 0,
        "last_name": "Dupont",
        "first_name": "Marie",
        "email": DEMO_EMAIL,
        "password": DEMO_PASSWORD,
        "password_confirm": DEMO_PASSWORD,
        "contract": DEMO_CONTRACT,
        "meter": DEMO_METER,
    }
    values.update(changes)
    return RegistrationRequest(**values)


async def register_demo(services: KioskServices, **changes: Any) -> RegistrationReceipt:
    """Register the demo subscriber in Velaux; keyword arguments change fields of the form."""
    request = demo_request(commune_id=await velaux_id(services), **changes)
    return await services.registration.register(request)


async def demo_activation_code(services: KioskServices, smtp: SmtpSink, deliver: Deliver) -> str:
    """Register the demo subscriber and read the activation code of its e-mail (unused)."""
    await register_demo(services)
    await deliver()
    [activation] = await smtp.wait_for(1)
    return read_code(activation)


async def activate_demo(services: KioskServices, smtp: SmtpSink, deliver: Deliver) -> str:
    """Register and activate the demo subscriber: its two e-mails (activation code, then
    "activé") are delivered and read, so the next e-mail a test waits for is the third.

    Returns:
        The token of the session that the activation opened.
    """
    code = await demo_activation_code(services, smtp, deliver)
    redeemed = await services.redemption.redeem(code)
    assert redeemed.purpose is CodePurpose.ACTIVATION and redeemed.session is not None
    await deliver()
    await smtp.wait_for(2)
    return redeemed.session.token
