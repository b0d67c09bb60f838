"""Async use cases of the kiosk; screens call these and nothing below them."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.services.accounts import (
    AccountService,
    DashboardSummary,
    Redeemed,
    RegistrationReceipt,
    RegistrationRequest,
    SignedIn,
)
from kiosk.services.agent import AgentService
from kiosk.services.communes import CommuneChoice, CommuneService, OperatorInfo
from kiosk.services.context import ServiceContext
from kiosk.services.health import HealthService
from kiosk.services.maintenance import MaintenanceService, PurgeReport

__all__ = [
    "CommuneChoice",
    "DashboardSummary",
    "KioskServices",
    "OperatorInfo",
    "PurgeReport",
    "Redeemed",
    "RegistrationReceipt",
    "RegistrationRequest",
    "ServiceContext",
    "SignedIn",
]


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
