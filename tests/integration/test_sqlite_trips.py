"""The embedded database's trips to its driver's thread: a unit of work makes at most one (its
commit), whatever its number of statements; a statement that would wait for the write lock
waits in the thread, never on the event loop; the scanning units run every statement there.

Counted at the driver's queues (:func:`kiosk.storage.sqlite_driver.trips_to_driver_threads`),
so that the cost cannot come back unnoticed. PostgreSQL (asyncpg) has no such thread.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.domain.errors import CodeInvalid
from kiosk.domain.events import AuthEventName
from kiosk.domain.states import CodePurpose
from kiosk.runtime import Runtime
from kiosk.storage.models import AuthEvent
from kiosk.storage.sqlite_driver import trips_to_driver_threads
from tests.support.database import stored
from tests.support.demo import demo_activation_code
from tests.support.mail import SmtpSink

pytestmark = pytest.mark.sqlite_only  # PostgreSQL's driver (asyncpg) has no thread to travel to


def embedded(runtime: Runtime) -> Path:
    assert runtime.engine.dialect.name == "sqlite"
    return Path(runtime.settings.resolved_database_url.split("///", 1)[1])


async def warm(runtime: Runtime) -> None:
    """Connections opened and set up (that takes trips, once per connection)."""
    async with runtime.services.context.unit_of_work(read_only=True) as uow:
        await uow.ping()


async def test_a_unit_of_work_that_reads_makes_no_trip(runtime: Runtime) -> None:
    embedded(runtime)
    await warm(runtime)
    ctx = runtime.services.context
    before = trips_to_driver_threads()
    async with ctx.unit_of_work(read_only=True) as uow:
        assert await uow.accounts.by_email_key("nobody@example.fr") is None
        assert await uow.codes.e_mailed("no such digest") is None
        await uow.ping()
    assert trips_to_driver_threads() - before == 0


async def test_the_page_behind_the_link_makes_no_trip(runtime: Runtime, smtp: SmtpSink) -> None:
    embedded(runtime)
    services = runtime.services
    code = await demo_activation_code(services, smtp, runtime.worker.deliver_all_due)
    before = trips_to_driver_threads()
    holder = await services.redemption.holder(code)
    assert (holder.purpose, holder.email_masked) == (CodePurpose.ACTIVATION, "m***@example.fr")
    assert trips_to_driver_threads() - before == 0
    with pytest.raises(CodeInvalid):  # a wrong code is counted: one unit that writes
        await services.redemption.holder("ABCD-EFGH-JKLM")
    assert trips_to_driver_threads() - before == 1


async def test_a_unit_of_work_that_writes_makes_one_trip(runtime: Runtime) -> None:
    embedded(runtime)
    await warm(runtime)
    ctx = runtime.services.context
    before = trips_to_driver_threads()
    async with ctx.unit_of_work() as uow:
        assert await uow.accounts.by_email_key("nobody@example.fr") is None
        for _ in range(3):
            ctx.record_event(uow, AuthEventName.CODE_INVALID)
        await uow.commit()
    assert trips_to_driver_threads() - before == 1
    events = await stored(runtime, select(AuthEvent.event))
    assert events.count(AuthEventName.CODE_INVALID) == 3


async def test_the_registration_check_makes_no_trip(runtime: Runtime) -> None:
    embedded(runtime)
    await runtime.services.registration.prepare()
    velaux = (await runtime.services.communes.search("velaux"))[0]
    before = trips_to_driver_threads()
    operator = await runtime.services.registration.verify_contract(
        velaux.id, "1234567", "A12B345678"
    )
    assert operator
    assert trips_to_driver_threads() - before == 0


async def test_a_scanning_unit_runs_its_statements_in_the_thread(runtime: Runtime) -> None:
    embedded(runtime)
    await warm(runtime)
    before = trips_to_driver_threads()
    choices = await runtime.services.communes.search("velaux")
    assert [choice.name for choice in choices] == ["Velaux"]
    assert trips_to_driver_threads() - before >= 1


async def test_a_writer_waits_for_the_lock_in_the_thread_and_readers_do_not_wait(
    runtime: Runtime,
) -> None:
    path = embedded(runtime)
    await warm(runtime)
    ctx = runtime.services.context
    other = sqlite3.connect(path, isolation_level=None)  # another kiosk's process, say
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def write() -> None:
        async with ctx.unit_of_work() as uow:
            ctx.record_event(uow, AuthEventName.AGENT_EXIT)
            await uow.commit()

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    ticking = asyncio.create_task(tick())
    writing = asyncio.create_task(write())
    try:
        while ticks < 50:  # the writer is waiting for the lock, and the loop is free
            await asyncio.sleep(0)
        assert not writing.done()
        # A reader meanwhile reads the last committed state, on the loop, at once.
        async with ctx.unit_of_work(read_only=True) as uow:
            assert await uow.accounts.by_email_key("nobody@example.fr") is None
        assert not writing.done()
        other.execute("COMMIT")
        await writing
    finally:
        ticking.cancel()
        other.close()
    events = await stored(runtime, select(AuthEvent.event))
    assert AuthEventName.AGENT_EXIT in events
