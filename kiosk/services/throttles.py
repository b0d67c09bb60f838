"""Throttles of SPEC §5: the limits, and how to check and count them in a unit of work.

The events are counted in the database (:mod:`kiosk.storage.repositories.throttles`) so that
every kiosk, and the web companion, share them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from kiosk.domain.errors import AccountLocked, TooManyAttempts
from kiosk.domain.events import AuthEventName, Throttle
from kiosk.services.context import ServiceContext
from kiosk.services.device_passes import DEVICE_FAILURES
from kiosk.storage.repositories.subscribers import Hold
from kiosk.storage.repositories.throttles import Counter
from kiosk.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Limit:
    """At most ``count`` events per ``window``, and optionally ``spacing`` between two."""

    scope: str
    count: int
    window: timedelta
    spacing: timedelta = timedelta(0)

    def hold(self, key: str, now: datetime) -> Hold:
        """This limit for ``key``, as the contract check reads it in its own statement."""
        return Hold(self.scope, key, self.count, now - self.window)


CONTRACT_CHECKS = Limit("contract_check", 5, timedelta(minutes=15))
KIOSK_CONTRACT_CHECKS = Limit("kiosk_contract_check", 10, timedelta(minutes=10))
"""Failed contract checks per origin (a kiosk, or a web client)."""
KIOSK_WRONG_CODES = Limit("kiosk_wrong_code", 5, timedelta(minutes=10))
"""Wrong codes typed per origin."""
RESET_MAILS = Limit("reset_mail", 3, timedelta(hours=1), spacing=timedelta(seconds=60))
REGISTRATION_MAILS = Limit(
    "registration_mail", 3, timedelta(hours=1), spacing=timedelta(seconds=60)
)
"""E-mails sent to one address by registrations (activation or "address in use") and by
activation resends, all together: without it, anyone with one contract and meter could flood
a stranger's mailbox (each registration used to bring its own resends)."""
RESENT_MAILS = replace(REGISTRATION_MAILS, spacing=timedelta(0))
"""The same events, as a resend reads them: its own spacing is per registration
(:data:`ACTIVATION_RESENDS`), so that the Code screen's countdown is all the customer waits."""
ACTIVATION_RESENDS = Limit("activation_resend", 1, timedelta(seconds=60))
"""Resends of one registration (per receipt): 60 s apart, the countdown of the Code screen.
How many an hour is the address's limit, :data:`REGISTRATION_MAILS`."""
ORIGIN_SIGNIN_FAILURES = Limit("origin_signin_failed", 20, timedelta(minutes=10))
"""Failed sign-ins per origin (a kiosk, or a web client), whatever the addresses: without it
one terminal could try a common password on every address (spraying), or lock out customer
after customer."""


def raise_if_held(limit: Limit, nth_latest_at: datetime | None, now: datetime) -> None:
    """Raise :class:`TooManyAttempts` while the ``limit.count``-th latest event, read with
    the contract check, keeps the limit holding."""
    if nth_latest_at is not None:
        wait = (nth_latest_at + limit.window - now).total_seconds()
        if wait > 0:
            raise TooManyAttempts(wait)


async def ensure_allowed(uow: UnitOfWork, limit: Limit, key: str, now: datetime) -> None:
    """Raise :class:`TooManyAttempts` when ``limit`` holds for ``key``."""
    await ensure_all_allowed(uow, [(limit, key)], now)


async def ensure_all_allowed(
    uow: UnitOfWork, checks: list[tuple[Limit, str]], now: datetime
) -> None:
    """:func:`ensure_allowed` for several limits in one query (the longest wait wins)."""
    await uow.throttles.take_turn(*((limit.scope, key) for limit, key in checks))
    await _raise_if_over(uow, checks, now)


async def _raise_if_over(uow: UnitOfWork, checks: list[tuple[Limit, str]], now: datetime) -> None:
    recent = await uow.throttles.recent(
        [Counter(limit.scope, key, now - limit.window) for limit, key in checks]
    )
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
    uow.throttles.record(limit.scope, key, now)


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


def _streak(key: str, device: str | None) -> tuple[str, str]:
    """The counter of a sign-in's failures: its device pass's when it has a valid one (the
    address's wait, earned by anyone, does not hold it), else the address's."""
    return (DEVICE_FAILURES, device) if device else (SIGNIN_FAILURES, key)


async def _signin_failures(
    uow: UnitOfWork, key: str, now: datetime, device: str | None = None
) -> list[datetime]:
    scope, holder = _streak(key, device)
    return await uow.throttles.times(Counter(scope, holder, now - SIGNIN_MEMORY))


async def ensure_signin_allowed(
    uow: UnitOfWork, key: str, origin: str, now: datetime, device: str | None = None
) -> None:
    """Refuse a sign-in before its password is verified, while a limit holds.

    Args:
        device: the failure key of the sign-in's valid device pass, if any.

    Raises:
        TooManyAttempts: the origin's failed sign-ins reached their limit, whatever the
            addresses (checked first: a reset does not lift it).
        AccountLocked: the wait earned by the failed sign-ins of ``key`` (or, with a device
            pass, of that pass) runs.
    """
    await uow.throttles.take_turn(_streak(key, device), (ORIGIN_SIGNIN_FAILURES.scope, origin))
    await _raise_if_over(uow, [(ORIGIN_SIGNIN_FAILURES, origin)], now)
    failures = await _signin_failures(uow, key, now, device)
    if failures:
        until = failures[0] + signin_lock(len(failures))
        if until > now:
            raise AccountLocked((until - now).total_seconds())


async def record_signin_failure(
    uow: UnitOfWork, key: str, origin: str, now: datetime, device: str | None = None
) -> AccountLocked | None:
    """Count one more failed sign-in, for the address (or its device pass) and the origin.

    Returns:
        From the fifth failure in a row, the refusal for the wait it now earns, to raise once
        the unit of work is committed; None before.
    """
    failures = await _signin_failures(uow, key, now, device)
    uow.throttles.record(*_streak(key, device), now)
    uow.throttles.record(ORIGIN_SIGNIN_FAILURES.scope, origin, now)
    lock = signin_lock(len(failures) + 1)
    return AccountLocked(lock.total_seconds()) if lock else None


def record_refused_signin(uow: UnitOfWork, origin: str, now: datetime) -> None:
    """Count a sign-in refused while its address waits against the origin, as a failure:
    otherwise asking whether an address is locked would cost nothing."""
    uow.throttles.record(ORIGIN_SIGNIN_FAILURES.scope, origin, now)


async def clear_signin_failures(uow: UnitOfWork, key: str, device: str | None = None) -> None:
    """Forget the failed sign-ins of ``key`` (and of the device pass that signed in): a
    success, or a new password, ends the streak."""
    await uow.throttles.clear(SIGNIN_FAILURES, key)
    if device:
        await uow.throttles.clear(DEVICE_FAILURES, device)


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
            ORIGIN_SIGNIN_FAILURES,
        )
    ),
)
"""Events older than this count for no limit: the purge deletes them."""


class _Service(Protocol):
    ctx: ServiceContext


_S = TypeVar("_S", bound=_Service)
_P = ParamSpec("_P")
_T = TypeVar("_T")


_Method = Callable[Concatenate[_S, _P], Coroutine[Any, Any, _T]]


COUNTED_BY_THEIR_SERVICE = (
    Throttle.SIGNIN,
    Throttle.CONTRACT_CHECK,
    Throttle.WRONG_CODE,
    Throttle.ACTIVATION_RESEND,
)
"""The throttles whose refusals :func:`counts_refusals` writes (the others' refusals are the
same answer as a success, recorded by the service itself)."""


def counts_refusals(throttle: Throttle) -> Callable[[_Method[_S, _P, _T]], _Method[_S, _P, _T]]:
    """Decorate a service method whose :class:`TooManyAttempts` a customer reads: each refusal
    is written to the audit trail as ``throttled_<throttle>`` (without the address, which the
    refusal must not tell apart), once, so that ``kiosk status`` and ``/metrics`` count them."""

    def decorate(method: _Method[_S, _P, _T]) -> _Method[_S, _P, _T]:
        @functools.wraps(method)
        async def counted(service: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
            try:
                return await method(service, *args, **kwargs)
            except TooManyAttempts as refusal:
                if not refusal.recorded:
                    refusal.recorded = True
                    await service.ctx.record_refusal(AuthEventName.throttled(throttle))
                raise

        return counted

    return decorate
