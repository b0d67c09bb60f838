"""The statement of the contract check, run once after start-up for no contract: nothing kept."""

from __future__ import annotations

from kiosk.runtime import Runtime
from kiosk.storage.models import Account, AuthEvent, OutboxMessage, ThrottleEvent
from tests.support.database import count
from tests.support.demo import DEMO_CONTRACT, DEMO_METER, velaux_id


async def test_prepare_reads_only_and_the_check_still_answers(runtime: Runtime) -> None:
    services = runtime.services
    for _ in range(20):  # more than any throttle allows: none of them counts a preparation
        await services.registration.prepare()
    for table in (ThrottleEvent, AuthEvent, Account, OutboxMessage):
        assert await count(runtime, table) == 0, table.__tablename__
    operator = await services.registration.verify_contract(
        await velaux_id(services), DEMO_CONTRACT, DEMO_METER
    )
    assert operator == "Eaux de Marseille"
