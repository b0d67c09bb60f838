"""One typed settings object, read from a TOML file and ``KIOSK_*`` environment variables.

:mod:`kiosk.config.settings` declares the settings, :mod:`kiosk.config.loading` reads and
checks them; callers import both from here.
"""

from __future__ import annotations

from kiosk.config.loading import (
    SERVING_COMMANDS,
    ensure_secret_key,
    load_settings,
    refuse_demo_data_at_start,
    require_serving_settings,
)
from kiosk.config.settings import (
    DEMO_AGENT_PIN,
    MIN_SECRET_KEY_BYTES,
    SECRET_SETTINGS,
    ConfigError,
    Settings,
    split_host_port,
)

__all__ = [
    "DEMO_AGENT_PIN",
    "MIN_SECRET_KEY_BYTES",
    "SECRET_SETTINGS",
    "SERVING_COMMANDS",
    "ConfigError",
    "Settings",
    "ensure_secret_key",
    "load_settings",
    "refuse_demo_data_at_start",
    "require_serving_settings",
    "split_host_port",
]
