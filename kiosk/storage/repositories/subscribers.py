"""Subscriber records of the billing system (imported, never edited by the kiosk)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, literal, select

from kiosk.storage.models import Account, Commune, Operator, Subscriber, ThrottleEvent
from kiosk.storage.repositories.base import Repository


@dataclass(frozen=True)
class Hold:
    """A throttle to read with the contract check: ``count`` events of ``scope`` and ``key``
    since ``since`` hold it."""

    scope: str
    key: str
    count: int
    since: datetime


@dataclass(frozen=True)
class ContractCheck:
    """What the kiosk needs to know about a contract, read in one round trip."""

    meter: str | None
    """None: no subscriber has this contract."""
    commune_id: int | None
    operator: str | None
    served_here: bool | None
    account_status: str | None
    """None: the contract has no account yet."""
    contract_held_since: datetime | None
    """The ``count``-th latest event of the contract's hold, or None (not held)."""
    origin_held_since: datetime | None
    """The same for the origin's hold."""


def nth_latest(scope: str, count: int, key: Any, since: Any) -> Any:
    """A scalar subquery: the time of the ``count``-th latest event of ``scope`` and ``key``
    since ``since``, or NULL."""
    return (
        select(ThrottleEvent.at)
        .where(ThrottleEvent.scope == scope, ThrottleEvent.key == key, ThrottleEvent.at > since)
        .order_by(ThrottleEvent.at.desc())
        .limit(1)
        .offset(count - 1)
        .scalar_subquery()
    )


@functools.cache
def _contract_check(
    contract_scope: str, contract_count: int, origin_scope: str, origin_count: int
) -> Select[Any]:
    """The whole contract check in one statement: the subscriber, its operator, its account
    and two throttles (one row even when no subscriber matches). Built once, compiled once."""
    return (
        select(
            Subscriber.meter,
            Subscriber.commune_id,
            Operator.name,
            Operator.served_here,
            Account.status,
            nth_latest(
                contract_scope, contract_count, bindparam("contract"), bindparam("contract_since")
            ).label("contract_held"),
            nth_latest(
                origin_scope, origin_count, bindparam("origin"), bindparam("origin_since")
            ).label("origin_held"),
        )
        .select_from(select(literal(1).label("one")).subquery())
        .outerjoin(Subscriber, Subscriber.contract == bindparam("contract"))
        .outerjoin(Commune, Commune.id == Subscriber.commune_id)
        .outerjoin(Operator, Operator.code == Commune.operator_code)
        .outerjoin(Account, Account.contract == Subscriber.contract)
    )


class SubscriberRepository(Repository):
    """The ``subscribers`` table, with the commune and operator each belongs to."""

    async def check_contract(
        self, contract: str, contract_hold: Hold, origin_hold: Hold
    ) -> ContractCheck:
        """The contract's subscriber, operator and account, and whether either hold holds."""
        statement = _contract_check(
            contract_hold.scope, contract_hold.count, origin_hold.scope, origin_hold.count
        )
        # Columns only: run as a Core statement on the unit's connection, without the ORM's
        # execution (half the time of this check).
        (row,) = await self._core_rows(
            statement,
            {
                "contract": contract,
                "origin": origin_hold.key,
                "contract_since": contract_hold.since,
                "origin_since": origin_hold.since,
            },
        )
        return ContractCheck(
            row.meter,
            row.commune_id,
            row.name,
            row.served_here,
            row.status,
            row.contract_held,
            row.origin_held,
        )

    async def meter(self, contract: str) -> str | None:
        return await self._session.scalar(
            select(Subscriber.meter).where(Subscriber.contract == contract)
        )

    async def operator_name(self, contract: str) -> str | None:
        """The name of the operator that manages the contract."""
        return await self._session.scalar(
            select(Operator.name)
            .join(Commune, Commune.operator_code == Operator.code)
            .join(Subscriber, Subscriber.commune_id == Commune.id)
            .where(Subscriber.contract == contract)
        )

    async def with_place(self, contract: str) -> tuple[Subscriber, Commune, Operator]:
        """The subscriber of the contract, its commune and its operator (it must exist)."""
        row = (
            await self._session.execute(
                select(Subscriber, Commune, Operator)
                .join(Commune, Commune.id == Subscriber.commune_id)
                .join(Operator, Operator.code == Commune.operator_code)
                .where(Subscriber.contract == contract)
            )
        ).one()
        return row[0], row[1], row[2]
