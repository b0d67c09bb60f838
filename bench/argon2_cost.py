"""Time of one argon2id hash with the production profile (RFC 9106 low memory), and the bound
it puts on registrations per second (cores / time of one hash)."""

from __future__ import annotations

import os
import statistics
import time

from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY


def main(rounds: int = 20) -> None:
    hasher = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
    hasher.hash("warm-up")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        hasher.hash("Truite#Bleue-97")
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    cores = os.cpu_count() or 1
    print(f"argon2id RFC 9106 low-memory (t=3, m=64 MiB, p=4), {rounds} hashes")
    print(
        f"  one hash: median {median * 1000:.1f} ms, min {min(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms"
    )
    print(f"  bound: {cores} cores / {median * 1000:.1f} ms = {cores / median:.1f} hashes/s")


if __name__ == "__main__":
    main()
