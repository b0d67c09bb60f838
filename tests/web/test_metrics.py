"""``GET /metrics``: the installation's figures read from the database at scrape time (after a
registration, a delivery, an abandoned e-mail, a kiosk silent for 10 minutes), the requests by
route template, and nothing for an address outside ``metrics_allow``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from kiosk.runtime import Runtime
from tests.support.clock import MovableClock
from tests.support.demo import register_demo
from tests.support.mail import SmtpSink
from tests.support.web import LOOPBACK, client_for, samples, scrape
from web.app import WebCompanion, create_app

BOTH_ENGINES = True


async def test_the_figures_after_a_registration_a_delivery_an_abandon_and_a_silent_kiosk(
    make_runtime: Callable[..., Runtime], smtp: SmtpSink, clock: MovableClock
) -> None:
    runtime, elsewhere = make_runtime(), make_runtime(kiosk_id="aix-2")
    services = runtime.services
    try:
        smtp.stop()  # the first registration's e-mail is refused five times
        await register_demo(services)
        for _attempt in range(5):
            await runtime.worker.deliver_all_due()
            clock.advance(timedelta(hours=1))
        smtp.start()
        await register_demo(services)  # replaces the pending account; this one is delivered
        await runtime.worker.deliver_all_due()
        await elsewhere.services.heartbeat.beat()
        clock.advance(timedelta(minutes=10))
        await services.heartbeat.beat()

        response = await scrape(create_app(services, runtime.settings))
    finally:
        await runtime.engine.dispose()
        await elsewhere.engine.dispose()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    found = samples(response.text)
    assert found[("kiosk_database_up", ())] == 1
    assert found[("kiosk_schema_up_to_date", ())] == 1
    assert found[("kiosk_outbox_messages", (("state", "queued"),))] == 0
    assert found[("kiosk_outbox_messages", (("state", "sent"),))] == 1
    assert found[("kiosk_outbox_messages", (("state", "abandoned"),))] == 1
    assert found[("kiosk_outbox_messages_last_24h", (("state", "abandoned"),))] == 1
    assert found[("kiosk_outbox_oldest_queued_age_seconds", ())] == 0
    assert found[("kiosk_accounts", (("state", "pending"),))] == 1
    assert found[("kiosk_registrations_total", ())] == 2
    assert found[("kiosk_activations_total", ())] == 0
    assert found[("kiosk_kiosks_seen", ())] == 2
    assert found[("kiosk_heartbeat_age_seconds", (("kiosk", "aix-2"),))] == 600
    assert found[("kiosk_heartbeat_age_seconds", (("kiosk", "kiosk-test"),))] == 0
    assert found[("kiosk_throttled_refusals_total", (("throttle", "signin"),))] == 0


async def test_requests_are_counted_by_route_template_never_by_path(runtime: Runtime) -> None:
    app = create_app(runtime.services, runtime.settings)
    async with client_for(app, LOOPBACK) as client:
        await client.get("/")
        await client.get("/code?c=ABCD-EFGH-JKMN")
        await client.get("/lien-perdu/ABCD-EFGH-JKMN")
        await client.request("BREW", "/")
        response = await client.get("/metrics")
    assert "ABCD" not in response.text and "lien-perdu" not in response.text
    assert "BREW" not in response.text
    found = samples(response.text)
    assert (
        found[("kiosk_web_requests_total", (("method", "GET"), ("route", "/"), ("status", "200")))]
        == 1
    )
    assert (
        found[
            ("kiosk_web_requests_total", (("method", "GET"), ("route", "/code"), ("status", "303")))
        ]
        == 1
    )
    assert (
        found[
            (
                "kiosk_web_requests_total",
                (("method", "GET"), ("route", "(other)"), ("status", "404")),
            )
        ]
        == 1
    )
    assert (
        found[
            ("kiosk_web_requests_total", (("method", "other"), ("route", "/"), ("status", "405")))
        ]
        == 1
    )
    assert (
        found[("kiosk_web_request_duration_seconds_count", (("method", "GET"), ("route", "/code")))]
        == 1
    )


async def test_an_address_outside_metrics_allow_gets_the_ordinary_404(
    runtime: Runtime, make_web_app: Callable[..., WebCompanion]
) -> None:
    default = create_app(runtime.services, runtime.settings)
    refused = await scrape(default, "203.0.113.7")
    assert refused.status_code == 404 and "kiosk_" not in refused.text
    assert (await scrape(default, "::1")).status_code == 200

    # Behind a trusted proxy, the client it names is the one checked, as for the throttles.
    proxied = make_web_app(trusted_proxies=("10.0.0.5",))
    async with client_for(proxied, "10.0.0.5") as client:
        outside = await client.get("/metrics", headers={"x-forwarded-for": "203.0.113.7"})
        assert outside.status_code == 404
    # And a client cannot name itself loopback.
    async with client_for(proxied, "203.0.113.7") as client:
        forged = await client.get("/metrics", headers={"x-forwarded-for": LOOPBACK})
        assert forged.status_code == 404

    monitoring = make_web_app(metrics_allow=("198.51.100.0/24",))
    assert (await scrape(monitoring, "198.51.100.9")).status_code == 200
    assert (await scrape(monitoring, LOOPBACK)).status_code == 404
