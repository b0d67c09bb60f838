"""Units of work that read once (``one_read=True``): the same rows as any unit's, on both
engines; on SQLite, read by the quick reads on the event loop without a pooled connection, and
read the usual way whenever the quick reads cannot answer (busy in another thread, the file
gone: then the outage is reported as for every unit of work)."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import bindparam, select

from kiosk.domain.codes import code_digest, token_digest
from kiosk.domain.errors import ServiceUnavailable
from kiosk.domain.states import CodePurpose
from kiosk.runtime import Runtime
from kiosk.storage.models import ThrottleEvent
from kiosk.storage.quick_reads import PREPARED_KEPT, QuickReads, quick_reads_of
from kiosk.storage.repositories.subscribers import Hold
from kiosk.storage.repositories.throttles import Counter
from kiosk.storage.unit_of_work import UnitOfWork
from tests.support.billing import signed_in_customer
from tests.support.demo import demo_activation_code
from tests.support.mail import SmtpSink

_T = TypeVar("_T")

AT = datetime(2026, 1, 5, 9, 0, 0, 123456, tzinfo=UTC)
SINCE = AT - timedelta(hours=1)


async def record(runtime: Runtime, key: str, *times: datetime) -> None:
    async with runtime.services.context.unit_of_work() as uow:
        for at in times:
            uow.throttles.record("one-read", key, at)
        await uow.commit()


async def recent(unit: UnitOfWork, key: str) -> dict[tuple[str, str], list[datetime]]:
    async with unit as uow:
        return await uow.throttles.recent([Counter("one-read", key, SINCE)])


async def both_ways(runtime: Runtime, read: Callable[[UnitOfWork], Awaitable[_T]]) -> tuple[_T, _T]:
    """What ``read`` gives in a usual read-only unit of work, then in a one-read unit."""
    ctx = runtime.services.context
    results = []
    for unit in (ctx.unit_of_work(read_only=True), ctx.unit_of_work(one_read=True)):
        async with unit as uow:
            results.append(await read(uow))
    return results[0], results[1]


async def test_a_one_read_unit_reads_what_any_unit_reads(runtime: Runtime) -> None:
    ctx = runtime.services.context
    await record(runtime, "a", AT, AT + timedelta(seconds=5), SINCE - timedelta(seconds=1))
    usual = await recent(ctx.unit_of_work(read_only=True), "a")
    assert usual == {("one-read", "a"): [AT + timedelta(seconds=5), AT]}
    assert await recent(ctx.unit_of_work(one_read=True), "a") == usual
    assert await recent(ctx.unit_of_work(one_read=True), "nothing") == {}


async def test_the_look_at_a_code_reads_the_same_either_way(
    runtime: Runtime, smtp: SmtpSink
) -> None:
    """Enum, dates, a subquery's date and the statement's own values, converted alike."""
    services = runtime.services
    code = await demo_activation_code(services, smtp, runtime.worker.deliver_all_due)
    digest = code_digest(runtime.settings.secret_key, code)
    hold = Hold(scope="one-read", key="b", count=2, since=SINCE)
    await record(runtime, "b", AT, AT + timedelta(seconds=1))
    looks = await both_ways(runtime, lambda uow: uow.codes.seen(digest, hold))
    assert looks[0] == looks[1]
    seen, held = looks[1]
    assert seen is not None and seen.purpose == CodePurpose.ACTIVATION and seen.live
    assert seen.expires_at.tzinfo is not None and held == AT


async def test_the_invoices_of_a_session_read_the_same_either_way(
    runtime: Runtime, smtp: SmtpSink
) -> None:
    """Dates, amounts (Numeric: Decimal on both engines) and the rows' order alike."""
    services = runtime.services
    token = await signed_in_customer(services, smtp, runtime.worker.deliver_all_due)
    digest = token_digest(runtime.settings.secret_key, token)
    quick_reads = quick_reads_of(services.context.sessions.kw["bind"])  # None on PostgreSQL
    answered = quick_reads.answered if quick_reads is not None else 0
    reads = await both_ways(runtime, lambda uow: uow.invoices.of_session(digest))
    if quick_reads is not None:
        assert quick_reads.answered == answered + 1
    assert [tuple(row) for row in reads[0]] == [tuple(row) for row in reads[1]]
    newest = reads[1][0]
    assert len(reads[1]) == 6 and newest.number == "F202607-000006"
    assert newest.amount_incl_tax == Decimal("171.29") and isinstance(newest.issued_on, date)
    assert newest.expires_at.tzinfo is not None and newest.ended_at is None


async def test_a_one_read_unit_reads_once_and_has_no_session(runtime: Runtime) -> None:
    async with runtime.services.context.unit_of_work(one_read=True) as uow:
        await uow.throttles.recent([Counter("one-read", "c", SINCE)])
        with pytest.raises(AssertionError, match="reads once"):
            await uow.throttles.recent([Counter("one-read", "c", SINCE)])
        with pytest.raises(AssertionError, match="no ORM session"):
            uow.throttles.record("one-read", "c", AT)


def quick(runtime: Runtime) -> QuickReads:
    reads = quick_reads_of(runtime.services.context.sessions.kw["bind"])
    assert reads is not None
    return reads


@pytest.mark.sqlite_only
async def test_on_sqlite_the_quick_reads_answer_and_fall_back_when_busy(
    runtime: Runtime,
) -> None:
    ctx = runtime.services.context
    await record(runtime, "d", AT)
    reads = quick(runtime)
    before = reads.answered
    assert await recent(ctx.unit_of_work(one_read=True), "d") == {("one-read", "d"): [AT]}
    assert reads.answered == before + 1
    # Another thread reading there: this unit reads on a pooled connection instead.
    busy = threading.Lock()
    reads._lock = busy
    with busy:
        assert await recent(ctx.unit_of_work(one_read=True), "d") == {("one-read", "d"): [AT]}
    assert reads.answered == before + 1


@pytest.mark.sqlite_only
async def test_on_sqlite_a_database_gone_is_an_outage_and_is_not_made_again(
    runtime: Runtime,
) -> None:
    """The folder unmounted: no quick read, the pool's connection fails, the unit reports
    the outage; back in place, the quick reads answer again."""
    ctx = runtime.services.context
    await record(runtime, "e", AT)
    await recent(ctx.unit_of_work(one_read=True), "e")  # the quick connection is open
    folder = Path(runtime.settings.resolved_database_url.split("///", 1)[1]).parent
    await runtime.engine.dispose()  # closes the quick connection too
    assert quick(runtime)._connection is None
    folder.rename(folder.with_name("elsewhere"))
    try:
        with pytest.raises(ServiceUnavailable):
            await recent(ctx.unit_of_work(one_read=True), "e")
        assert not folder.exists()  # nothing made in its place
    finally:
        folder.with_name("elsewhere").rename(folder)
    before = quick(runtime).answered
    assert await recent(ctx.unit_of_work(one_read=True), "e") == {("one-read", "e"): [AT]}
    assert quick(runtime).answered == before + 1


@pytest.mark.sqlite_only
async def test_statements_built_for_each_call_are_read_but_not_all_kept(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    await record(runtime, "f", AT)
    reads = quick(runtime)
    for _ in range(PREPARED_KEPT + 10):
        statement = select(ThrottleEvent.at).where(ThrottleEvent.key == bindparam("key"))
        assert reads.rows(statement, {"key": "f"}) == [(AT,)]
    assert len(reads._prepared) <= PREPARED_KEPT
    warned = [record for record in caplog.records if record.name == "kiosk.storage"]
    assert len(warned) == 1 and "statements kept" in warned[0].getMessage()
