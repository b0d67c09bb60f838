"""KioskServices: every use case a screen may call, built once by the command line or a test."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.services.accounts import AccountService
from kiosk.services.agent import AgentService
from kiosk.services.communes import CommuneService
from kiosk.services.context import ServiceContext
from kiosk.services.health import HealthService
from kiosk.services.maintenance import MaintenanceService


@dataclass
class KioskServices:
    """Everything a screen may ask for, built once by the command line or a test."""

    communes: CommuneService
    accounts: AccountService
    maintenance: MaintenanceService
    agent: AgentService
    health: HealthService

    @classmethod
    def build(cls, context: ServiceContext) -> KioskServices:
        accounts = AccountService(context)
        return cls(
            CommuneService(context),
            accounts,
            MaintenanceService(context, accounts),
            AgentService(context),
            HealthService(context),
        )
