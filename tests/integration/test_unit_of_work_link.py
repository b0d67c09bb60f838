"""A unit of work's Core statements and its ORM session share one transaction (the session is
made only when a repository needs it, on the unit's connection): committed together, rolled
back together, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.runtime import Runtime
from kiosk.storage.repositories.throttles import Counter

AT = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SINCE = AT - timedelta(hours=1)


async def events(runtime: Runtime, key: str) -> list[datetime]:
    async with runtime.services.context.unit_of_work(read_only=True) as uow:
        recent = await uow.throttles.recent([Counter("link", key, SINCE)])
    return recent.get(("link", key), [])


async def test_a_core_read_then_an_orm_write_commit_together(runtime: Runtime) -> None:
    async with runtime.services.context.unit_of_work() as uow:
        assert await uow.throttles.recent([Counter("link", "a", SINCE)]) == {}  # Core
        uow.throttles.record("link", "a", AT)  # ORM, on the same transaction
        await uow.commit()
        # After the commit the unit goes on: a Core read, an ORM write, committed again.
        assert len((await uow.throttles.recent([Counter("link", "a", SINCE)]))[("link", "a")]) == 1
        uow.throttles.record("link", "a", AT + timedelta(seconds=1))
        await uow.commit()
    assert len(await events(runtime, "a")) == 2


async def test_what_is_not_committed_is_rolled_back_whatever_wrote_it(runtime: Runtime) -> None:
    async with runtime.services.context.unit_of_work() as uow:
        await uow.throttles.recent([Counter("link", "b", SINCE)])
        uow.throttles.record("link", "b", AT)
        await uow.throttles.times(Counter("link", "b", SINCE))  # flushed, not committed
    assert await events(runtime, "b") == []
    async with runtime.services.context.unit_of_work() as uow:
        uow.throttles.record("link", "b", AT)
        await uow.commit()
        uow.throttles.record("link", "b", AT + timedelta(seconds=1))
        await uow.throttles.recent([Counter("link", "b", SINCE)])  # Core, after the commit
    assert await events(runtime, "b") == [AT]


async def test_a_unit_can_be_entered_again(runtime: Runtime) -> None:
    uow = runtime.services.context.unit_of_work()
    for second in range(2):
        async with uow:
            uow.throttles.record("link", "c", AT + timedelta(seconds=second))
            await uow.commit()
    assert len(await events(runtime, "c")) == 2
