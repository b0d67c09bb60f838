"""The settings of a test installation: its secret key, its cheap argon2 costs."""

from __future__ import annotations

from pathlib import Path

from argon2 import Parameters
from argon2.low_level import Type

from kiosk.config import Settings

TEST_SECRET_KEY = "test-secret-key-with-at-least-32-bytes-of-entropy!"
FAST_HASH = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=1024,
    parallelism=1,
)
"""Real argon2id with small costs: the tests check behaviour, not the cost."""


def installation_settings(data_dir: Path, database_url: str = "") -> Settings:
    """The settings of a test installation on ``database_url`` (default: SQLite in data_dir)."""
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=TEST_SECRET_KEY,
        kiosk_id="kiosk-test",
        mail_transport="smtp",
        demo_data=True,
        hash_concurrency=2,
        public_url="https://espaceclients.example.fr",
        mail_from="Espace Client <ne-pas-repondre@espaceclients.example.fr>",
    )
