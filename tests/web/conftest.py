"""The web companion on the real services: an httpx client over ASGI, codes read from the
e-mails that a real aiosmtpd received."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from kiosk.config import Settings
from kiosk.runtime import Runtime
from tests.support.web import client_for
from web.app import WebCompanion, create_app


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules that set ``BOTH_ENGINES = True`` run on SQLite and on PostgreSQL."""
    if "database" in metafunc.fixturenames and getattr(metafunc.module, "BOTH_ENGINES", False):
        metafunc.parametrize("database", ("sqlite", "postgresql"), indirect=True)


@pytest.fixture
def web_app(runtime: Runtime) -> WebCompanion:
    return create_app(runtime.services, runtime.settings)


@pytest.fixture
async def client(web_app: WebCompanion) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(web_app) as browser:
        yield browser


@pytest.fixture
def make_web_app(runtime: Runtime, settings: Settings) -> Callable[..., WebCompanion]:
    """The application with some settings changed (the same services)."""

    def make(**overrides: Any) -> WebCompanion:
        chosen = Settings(**{**settings.__dict__, **overrides})
        return create_app(runtime.services, chosen)

    return make
