"""Async use cases, called by both front ends (the kiosk's screens, the web's pages) and the
commands; below them, storage and mail.

The plain data the services take and return (:mod:`kiosk.domain.results`) is re-exported at
once; the services themselves (and with them SQLAlchemy) only when first asked for, so that
the Welcome screen can paint before the database layer is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.domain.results import (
    CommuneChoice,
    DashboardSummary,
    OperatorInfo,
    PurgeReport,
    Redeemed,
    RegistrationReceipt,
    RegistrationRequest,
    SignedIn,
)

if TYPE_CHECKING:
    from kiosk.services.context import ServiceContext
    from kiosk.services.facade import KioskServices

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


def __getattr__(name: str) -> Any:
    # Plain import statements, not import_module(): import-linter sees these lazy imports.
    if name == "KioskServices":
        from kiosk.services.facade import KioskServices

        return KioskServices
    if name == "ServiceContext":
        from kiosk.services.context import ServiceContext

        return ServiceContext
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
