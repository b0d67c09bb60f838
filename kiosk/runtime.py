"""Wiring: from settings to an engine, the services and the mail worker."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import Parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy.ext.asyncio import AsyncEngine

from kiosk.config import Settings
from kiosk.domain.clock import Clock, system_clock
from kiosk.hashing import PasswordHashing
from kiosk.mail.transports import MaildirTransport, SmtpTransport, transport_from_settings
from kiosk.mail.worker import OutboxWorker
from kiosk.services import KioskServices, ServiceContext
from kiosk.services.billing_imports import BillingImportService
from kiosk.services.imports import ImportService
from kiosk.storage.engine import create_engine, session_factory


@dataclass
class Runtime:
    """The parts of one process; :meth:`close` releases them."""

    settings: Settings
    engine: AsyncEngine
    hashing: PasswordHashing
    services: KioskServices
    worker: OutboxWorker
    imports: ImportService
    """The CSV imports (the commands', the demo's first load); no front end is handed it."""
    billing_imports: BillingImportService
    """The billing extracts' imports and the readings' export, likewise."""

    async def close(self) -> None:
        await self.engine.dispose()
        self.hashing.close()


def build_runtime(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    hash_parameters: Parameters = RFC_9106_LOW_MEMORY,
    transport: SmtpTransport | MaildirTransport | None = None,
) -> Runtime:
    """Build (without connecting) everything a kiosk, a mailer or a command uses."""
    engine = create_engine(settings.resolved_database_url, pool_size=settings.db_pool_size)
    sessions = session_factory(engine)
    hashing = PasswordHashing(settings.resolved_hash_concurrency, hash_parameters)
    context = ServiceContext(sessions=sessions, settings=settings, clock=clock, hashing=hashing)
    worker = OutboxWorker(
        sessions,
        transport or transport_from_settings(settings),
        sender=settings.mail_from,
        clock=clock,
        name=f"{settings.kiosk_id}:{id(engine):x}",
    )
    services = KioskServices.build(context)
    return Runtime(
        settings,
        engine,
        hashing,
        services,
        worker,
        ImportService(context),
        BillingImportService(context),
    )


async def initialise_database(runtime: Runtime) -> bool:
    """Apply the schema migrations (idempotent); load the demo data on first start when configured.

    Returns:
        True when the demo data was loaded now.
    """
    from kiosk.storage.migrate import has_operators, upgrade_database  # Alembic: when migrating

    await upgrade_database(runtime.engine)
    if not runtime.settings.load_demo_data:
        return False
    if await has_operators(runtime.engine):
        if not await runtime.billing_imports.has_invoices():  # a demo before the billing extracts
            await runtime.billing_imports.load_demo_billing()
        return False
    await runtime.imports.load_demo_data()
    await runtime.billing_imports.load_demo_billing()
    return True
