"""The demo subscriber of the embedded data, registered and activated through the services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from kiosk.services import KioskServices, RegistrationReceipt, RegistrationRequest
from tests.conftest import SmtpSink, read_code

DEMO_CONTRACT = "1234567"
DEMO_METER = "A12B345678"
DEMO_EMAIL = "marie.dupont@example.fr"
DEMO_PASSWORD = "Ruisseau-42!"


def demo_request(**changes: Any) -> RegistrationRequest:
    """The registration of the demo subscriber (Velaux), as the screens would send it."""
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


async def register_demo(services: KioskServices) -> RegistrationReceipt:
    """Register the demo subscriber through the service (for flows that start later)."""
    [velaux] = await services.communes.search("Velaux")
    return await services.accounts.register(demo_request(commune_id=velaux.id))


async def activate_demo(
    services: KioskServices, smtp: SmtpSink, deliver: Callable[[], Awaitable[Any]]
) -> None:
    """Register and activate the demo subscriber; its e-mails are delivered and read."""
    await register_demo(services)
    await deliver()
    messages = await smtp.wait_for(1)
    await services.accounts.redeem_code(read_code(messages[-1]))
    await deliver()
    await smtp.wait_for(2)
