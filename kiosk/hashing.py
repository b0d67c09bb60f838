"""argon2id hashing and verification in a bounded thread pool, never on the event loop."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from kiosk.domain.passwords import normalise_password

T = TypeVar("T")


class PasswordHashing:
    """argon2id hashing and verification in a bounded thread pool, never on the event loop."""

    def __init__(self, concurrency: int, parameters: Parameters = RFC_9106_LOW_MEMORY) -> None:
        self._hasher = PasswordHasher.from_parameters(parameters)
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="argon2")
        self._dummy_hash = self._pool.submit(self._hasher.hash, "pas un mot de passe de client")
        """Verified against for unknown addresses; made at once, so that even the first
        unknown address costs one verification, not a hash and a verification."""

    async def _run(self, func: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, func)

    async def hash(self, password: str) -> str:
        """The argon2id hash of the NFKC form of ``password``."""
        return await self._run(functools.partial(self._hasher.hash, normalise_password(password)))

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; with no stored hash, spends the same time and fails."""
        if stored_hash is None:
            stored_hash = await asyncio.wrap_future(self._dummy_hash)
            password = password + "\x00"  # can never match the dummy
        return await self._run(functools.partial(self._verify, stored_hash, password))

    def _verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, normalise_password(password))
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made with other parameters than today's."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
