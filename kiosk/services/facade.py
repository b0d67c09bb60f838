"""KioskServices: every use case a front end may call, built once by the command line or a test."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.services.agent import AgentService
from kiosk.services.communes import CommuneService
from kiosk.services.context import ServiceContext
from kiosk.services.health import HealthService
from kiosk.services.maintenance import MaintenanceService
from kiosk.services.password_reset import PasswordResetService
from kiosk.services.redemption import RedemptionService
from kiosk.services.registration import RegistrationService
from kiosk.services.registration_drafts import RegistrationDrafts
from kiosk.services.sessions import SessionService
from kiosk.services.status import HeartbeatService, StatusService


@dataclass(frozen=True)
class KioskServices:
    """Everything a screen or a page may ask for, built once by the command line or a test."""

    context: ServiceContext
    """Shared by the services below; its origin keys the per-terminal throttles."""
    communes: CommuneService
    registration: RegistrationService
    redemption: RedemptionService
    password_reset: PasswordResetService
    sessions: SessionService
    maintenance: MaintenanceService
    agent: AgentService
    health: HealthService
    status: StatusService
    """The installation's figures for its operators (``kiosk status``, ``/metrics``)."""
    heartbeat: HeartbeatService
    """This kiosk's sign of life (``kiosk run`` beats once a minute)."""
    drafts: RegistrationDrafts
    """The web's registration between its steps, over ``registration``."""

    @classmethod
    def build(cls, context: ServiceContext) -> KioskServices:
        """The services of one process, for requests coming from ``context.origin``."""
        communes, registration = CommuneService(context), RegistrationService(context)
        return cls(
            context,
            communes,
            registration,
            RedemptionService(context),
            PasswordResetService(context),
            SessionService(context),
            MaintenanceService(context),
            AgentService(context),
            HealthService(context),
            StatusService(context),
            HeartbeatService(context),
            RegistrationDrafts(context, communes, registration),
        )

    def for_origin(self, origin: str) -> KioskServices:
        """The same services, their throttles and auth-log lines keyed by ``origin``.

        Cheap (no I/O): the web companion calls it per request with ``web:<client address>``.
        The agent's PIN count, the purge, the health check, the status and the heartbeat are
        the process's own, shared.
        """
        context = self.context.for_origin(origin)
        registration = RegistrationService(context)
        return KioskServices(
            context,
            self.communes,
            registration,
            RedemptionService(context),
            PasswordResetService(context),
            SessionService(context),
            self.maintenance,
            self.agent,
            self.health,
            self.status,
            self.heartbeat,
            RegistrationDrafts(context, self.communes, registration),
        )
