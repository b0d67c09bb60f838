"""Throttles of SPEC §5, counted in the database so that every kiosk shares them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select

from kiosk.errors import TooManyAttempts
from kiosk.services.context import UnitOfWork
from kiosk.storage.locks import hold_until_commit
from kiosk.storage.models import ThrottleEvent


@dataclass(frozen=True)
class Limit:
    """At most ``count`` events per ``window``, and optionally ``spacing`` between two."""

    scope: str
    count: int
    window: timedelta
    spacing: timedelta = timedelta(0)


CONTRACT_CHECKS = Limit("contract_check", 5, timedelta(minutes=15))
KIOSK_CONTRACT_CHECKS = Limit("kiosk_contract_check", 10, timedelta(minutes=10))
KIOSK_WRONG_CODES = Limit("kiosk_wrong_code", 5, timedelta(minutes=10))
RESET_MAILS = Limit("reset_mail", 3, timedelta(hours=1), spacing=timedelta(seconds=60))
REGISTRATION_MAILS = Limit(
    "registration_mail", 3, timedelta(hours=1), spacing=timedelta(seconds=60)
)
"""E-mails that registrations send to one address (activation or "address in use"): without
it, anyone with one contract and meter could flood a stranger's mailbox."""
ACTIVATION_RESENDS = Limit(
    "activation_resend", 5, timedelta(hours=1), spacing=timedelta(seconds=60)
)


async def _take_turn(uow: UnitOfWork, *counters: tuple[str, str]) -> None:
    """In a unit of work that may record, wait for the kiosks counting the same (scope, key).

    Without it, on PostgreSQL (READ COMMITTED) two kiosks read the same count at once and both
    record past the limit; the lock is held until the unit of work ends.
    """
    if not uow.read_only:
        names = (f"throttle:{scope}:{key}" for scope, key in counters)
        await hold_until_commit(uow.session, *names)


async def ensure_allowed(uow: UnitOfWork, limit: Limit, key: str, now: datetime) -> None:
    """Raise :class:`TooManyAttempts` when ``limit`` holds for ``key``."""
    await ensure_all_allowed(uow, [(limit, key)], now)


def nth_latest(limit: Limit, key: ColumnElement[str], since: ColumnElement[datetime]) -> Any:
    """A scalar subquery: the time of the ``limit.count``-th latest event of ``key`` since
    ``since``, or NULL. Not NULL means the limit holds until that time + the window; usable
    inside a larger statement, so that a check costs one round trip."""
    return (
        select(ThrottleEvent.at)
        .where(
            ThrottleEvent.scope == limit.scope, ThrottleEvent.key == key, ThrottleEvent.at > since
        )
        .order_by(ThrottleEvent.at.desc())
        .limit(1)
        .offset(limit.count - 1)
        .scalar_subquery()
    )


def raise_if_held(limit: Limit, nth_latest_at: datetime | None, now: datetime) -> None:
    """Raise :class:`TooManyAttempts` from the value of :func:`nth_latest`."""
    if nth_latest_at is not None:
        wait = (nth_latest_at + limit.window - now).total_seconds()
        if wait > 0:
            raise TooManyAttempts(wait)


async def ensure_all_allowed(
    uow: UnitOfWork, checks: list[tuple[Limit, str]], now: datetime
) -> None:
    """:func:`ensure_allowed` for several limits in one query (the longest wait wins)."""
    await _take_turn(uow, *((limit.scope, key) for limit, key in checks))
    rows = await uow.session.execute(
        select(ThrottleEvent.scope, ThrottleEvent.key, ThrottleEvent.at)
        .where(
            or_(
                *(
                    and_(
                        ThrottleEvent.scope == limit.scope,
                        ThrottleEvent.key == key,
                        ThrottleEvent.at > now - limit.window,
                    )
                    for limit, key in checks
                )
            )
        )
        .order_by(ThrottleEvent.at.desc())
    )
    recent: dict[tuple[str, str], list[datetime]] = {}
    for scope, key, at in rows:
        recent.setdefault((scope, key), []).append(at)
    wait = 0.0
    for limit, key in checks:
        times = recent.get((limit.scope, key), [])
        if len(times) >= limit.count:
            wait = max(wait, (times[limit.count - 1] + limit.window - now).total_seconds())
        if times and limit.spacing:
            wait = max(wait, (times[0] + limit.spacing - now).total_seconds())
    if wait > 0:
        raise TooManyAttempts(wait)


def record(uow: UnitOfWork, limit: Limit, key: str, now: datetime) -> None:
    """Count one event of ``limit`` for ``key`` in the unit of work (committed with it)."""
    uow.session.add(ThrottleEvent(scope=limit.scope, key=key, at=now))


def signin_lock(failures: int) -> timedelta:
    """Wait after ``failures`` sign-ins failed in a row: none before 5, then 1 min doubling."""
    if failures < 5:
        return timedelta(0)
    return timedelta(minutes=min(2 ** (failures - 5), 15))


SIGNIN_FAILURES = "signin_failed"
"""Failed sign-ins, keyed by a digest of the address whether or not it has an account, so
that the wait never tells which addresses have one. A success clears them; a day without a
failure forgets them (SPEC §5: the streak ends with a success, not with the waits)."""
SIGNIN_MEMORY = timedelta(hours=24)


async def _signin_failures(uow: UnitOfWork, key: str, now: datetime) -> list[datetime]:
    return list(
        await uow.session.scalars(
            select(ThrottleEvent.at)
            .where(
                ThrottleEvent.scope == SIGNIN_FAILURES,
                ThrottleEvent.key == key,
                ThrottleEvent.at > now - SIGNIN_MEMORY,
            )
            .order_by(ThrottleEvent.at.desc())
        )
    )


async def ensure_signin_allowed(uow: UnitOfWork, key: str, now: datetime) -> None:
    """Raise :class:`TooManyAttempts` while the wait earned by failed sign-ins runs."""
    await _take_turn(uow, (SIGNIN_FAILURES, key))
    failures = await _signin_failures(uow, key, now)
    if failures:
        until = failures[0] + signin_lock(len(failures))
        if until > now:
            raise TooManyAttempts((until - now).total_seconds())


async def record_signin_failure(uow: UnitOfWork, key: str, now: datetime) -> timedelta:
    """Count one more failed sign-in; returns the wait it now earns (zero before the fifth)."""
    failures = await _signin_failures(uow, key, now)
    uow.session.add(ThrottleEvent(scope=SIGNIN_FAILURES, key=key, at=now))
    return signin_lock(len(failures) + 1)


async def clear_signin_failures(uow: UnitOfWork, key: str) -> None:
    """Forget the failed sign-ins of ``key``: a success, or a new password, ends the streak."""
    await uow.session.execute(
        delete(ThrottleEvent).where(
            ThrottleEvent.scope == SIGNIN_FAILURES, ThrottleEvent.key == key
        )
    )


LONGEST_WINDOW = max(
    SIGNIN_MEMORY,
    *(
        limit.window
        for limit in (
            CONTRACT_CHECKS,
            KIOSK_CONTRACT_CHECKS,
            KIOSK_WRONG_CODES,
            RESET_MAILS,
            REGISTRATION_MAILS,
            ACTIVATION_RESENDS,
        )
    ),
)
"""Events older than this count for no limit: the purge deletes them."""
