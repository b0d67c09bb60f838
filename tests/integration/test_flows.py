"""Every service flow end to end: real SQLite file, real SMTP server, codes read from e-mails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.domain.errors import (
    AccountNotActivated,
    CodeExpired,
    CodeInvalid,
    ContractAlreadyActive,
    InvalidCredentials,
    OperatorNotServed,
    SessionExpired,
    SubscriberNotFound,
    TooManyAttempts,
)
from kiosk.mail.worker import BatchReport
from kiosk.runtime import Runtime
from kiosk.services import KioskServices, RegistrationRequest
from kiosk.storage.models import Account, AuthEvent, Code, OutboxMessage
from tests.support.clock import MovableClock
from tests.support.database import count, stored
from tests.support.demo import (
    DEMO_PASSWORD,
    Deliver,
    activate_demo,
    register_demo,
    velaux_id,
)
from tests.support.mail import SmtpSink, plain_text, read_code


async def test_register_then_activate_opens_the_dashboard(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    await register_demo(services)
    await deliver()
    [activation] = await smtp.wait_for(1)
    assert activation["To"] == "marie.dupont@example.fr"
    assert activation["Subject"] == "Activez votre espace client"
    html = activation.get_body(preferencelist=("html",))
    assert html is not None and read_code(activation) in html.get_content()
    assert "géré par Eaux de Marseille" in plain_text(activation)

    redeemed = await services.redemption.redeem(read_code(activation))
    assert redeemed.session is not None
    summary = await services.sessions.dashboard(redeemed.session.token)
    assert (summary.commune, summary.contract, summary.meter) == ("Velaux", "1234567", "A12B345678")
    await deliver()
    messages = await smtp.wait_for(2)
    assert messages[1]["Subject"] == "Votre espace client est activé"


async def test_the_pasted_link_works_as_the_code(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    await register_demo(services)
    await deliver()
    [activation] = await smtp.wait_for(1)
    code = read_code(activation)
    link = f"https://espaceclients.example.fr/code?c={code}"
    assert link in plain_text(activation)
    redeemed = await services.redemption.redeem(link)
    assert redeemed.purpose == "activation"


async def test_a_code_works_once(services: KioskServices, smtp: SmtpSink, deliver: Deliver) -> None:
    await register_demo(services)
    await deliver()
    code = read_code((await smtp.wait_for(1))[0])
    await services.redemption.redeem(code.lower().replace("-", " "))
    with pytest.raises(CodeInvalid):
        await services.redemption.redeem(code)


async def test_expired_activation_is_refused_and_the_contract_can_register_again(
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Deliver,
    clock: MovableClock,
    runtime: Runtime,
) -> None:
    await register_demo(services)
    await deliver()
    old_code = read_code((await smtp.wait_for(1))[0])
    clock.advance(timedelta(hours=48, seconds=1))
    with pytest.raises(CodeExpired) as expired:
        await services.redemption.redeem(old_code)
    assert expired.value.purpose == "activation"
    assert await count(runtime, Account) == 0
    # The expired code is still known: asked again, it still answers "expired".
    with pytest.raises(CodeExpired):
        await services.redemption.redeem(old_code)

    await register_demo(services)
    await deliver()
    messages = await smtp.wait_for(2)
    redeemed = await services.redemption.redeem(read_code(messages[1]))
    assert redeemed.purpose == "activation"


async def test_registering_again_replaces_the_pending_account(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    await register_demo(services)
    await register_demo(services, email="marie.autre@example.fr")
    await deliver()
    first, second = await smtp.wait_for(2)
    assert second["To"] == "marie.autre@example.fr"
    with pytest.raises(CodeInvalid):
        await services.redemption.redeem(read_code(first))
    assert (await services.redemption.redeem(read_code(second))).purpose == "activation"


async def test_resend_sends_a_new_code_and_cancels_the_old(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, clock: MovableClock
) -> None:
    receipt = await services.registration.register(
        RegistrationRequest(
            await velaux_id(services),
            "Dupont",
            "Marie",
            "marie@example.fr",
            DEMO_PASSWORD,
            DEMO_PASSWORD,
            "1234567",
            "A12B345678",
        )
    )
    assert await services.registration.resend_activation(receipt.token) == 60
    with pytest.raises(TooManyAttempts):
        await services.registration.resend_activation(receipt.token)
    await deliver()
    first, second = await smtp.wait_for(2)
    with pytest.raises(CodeInvalid):
        await services.redemption.redeem(read_code(first))
    await services.redemption.redeem(read_code(second))


async def test_forgot_reset_then_sign_in_with_the_new_password(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    session = await activate_demo(services, smtp, deliver)
    await services.password_reset.request("MARIE.DUPONT@example.fr")
    await deliver()
    messages = await smtp.wait_for(3)
    reset = messages[2]
    assert reset["Subject"] == "Réinitialisation de votre mot de passe"
    redeemed = await services.redemption.redeem(read_code(reset))
    assert redeemed.purpose == "reset" and redeemed.reset_code == read_code(reset)
    await services.password_reset.reset_with_code(
        redeemed.reset_code, "Nouveau*Mot2Passe", "Nouveau*Mot2Passe"
    )
    # A reset ends every session and does not sign in.
    with pytest.raises(SessionExpired):
        await services.sessions.dashboard(session)
    with pytest.raises(InvalidCredentials):
        await services.sessions.sign_in("marie.dupont@example.fr", DEMO_PASSWORD)
    signed_in = await services.sessions.sign_in("marie.dupont@example.fr", "Nouveau*Mot2Passe")
    assert signed_in.first_name == "Marie"
    await deliver()
    assert (await smtp.wait_for(4))[3]["Subject"] == "Votre mot de passe a été mis à jour"


async def test_forgot_for_an_unknown_address_sends_nothing(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, runtime: Runtime
) -> None:
    await services.password_reset.request("personne@example.fr")
    assert await deliver() == BatchReport()
    assert smtp.messages == []
    events = await stored(runtime, select(AuthEvent.event))
    assert events == ["reset_requested_unknown"]


async def test_reset_mails_are_limited_but_the_answer_is_the_same(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, clock: MovableClock
) -> None:
    await activate_demo(services, smtp, deliver)
    for _ in range(5):
        await services.password_reset.request("marie.dupont@example.fr")  # no exception
        clock.advance(timedelta(seconds=61))
    await deliver()
    resets = [m for m in smtp.messages if m["Subject"] == "Réinitialisation de votre mot de passe"]
    assert len(resets) == 3


async def test_sign_in_throttle_after_five_failures(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, clock: MovableClock
) -> None:
    await activate_demo(services, smtp, deliver)
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            await services.sessions.sign_in("marie.dupont@example.fr", "Mauvais#Mot1")
    with pytest.raises(TooManyAttempts) as locked:
        await services.sessions.sign_in("marie.dupont@example.fr", "Mauvais#Mot1")
    assert locked.value.minutes == 1
    with pytest.raises(TooManyAttempts):  # even the right password waits
        await services.sessions.sign_in("marie.dupont@example.fr", DEMO_PASSWORD)
    clock.advance(timedelta(minutes=1, seconds=1))
    with pytest.raises(TooManyAttempts) as doubled:
        await services.sessions.sign_in("marie.dupont@example.fr", "Mauvais#Mot1")
    assert doubled.value.minutes == 2
    clock.advance(timedelta(minutes=2, seconds=1))
    assert (
        await services.sessions.sign_in("marie.dupont@example.fr", DEMO_PASSWORD)
    ).first_name == "Marie"


async def test_unknown_address_and_pending_account_at_sign_in(
    services: KioskServices,
) -> None:
    with pytest.raises(InvalidCredentials):
        await services.sessions.sign_in("inconnu@example.fr", DEMO_PASSWORD)
    await register_demo(services)
    with pytest.raises(InvalidCredentials):
        await services.sessions.sign_in("marie.dupont@example.fr", "Autre#Chose99")
    with pytest.raises(AccountNotActivated):
        await services.sessions.sign_in("marie.dupont@example.fr", DEMO_PASSWORD)


async def test_contract_checks_are_throttled_per_contract(
    services: KioskServices, clock: MovableClock
) -> None:
    for _ in range(5):
        with pytest.raises(SubscriberNotFound):
            await register_demo(services, meter="ZZ9999999")
    with pytest.raises(TooManyAttempts) as throttled:
        await register_demo(services)  # even the right meter now waits
    assert throttled.value.minutes == 15
    clock.advance(timedelta(minutes=15, seconds=1))
    await register_demo(services)


async def test_wrong_codes_are_throttled_per_kiosk(services: KioskServices) -> None:
    for _ in range(5):
        with pytest.raises(CodeInvalid):
            await services.redemption.redeem("AAAA-BBBB-CCCC")
    with pytest.raises(TooManyAttempts):
        await services.redemption.redeem("AAAA-BBBB-CCCC")


async def test_operator_not_served_and_active_contract(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    [aubagne] = await services.communes.search("Aubagne")
    with pytest.raises(OperatorNotServed):
        await services.registration.register(
            RegistrationRequest(
                aubagne.id,
                "Diallo",
                "Awa",
                "awa@example.fr",
                DEMO_PASSWORD,
                DEMO_PASSWORD,
                "6789012",
                "D56J889900",
            )
        )
    await activate_demo(services, smtp, deliver)
    with pytest.raises(ContractAlreadyActive):
        await register_demo(services, email="autre@example.fr")


async def test_an_address_in_use_gets_a_warning_and_no_account(
    services: KioskServices,
    smtp: SmtpSink,
    deliver: Deliver,
    runtime: Runtime,
    clock: MovableClock,
) -> None:
    await activate_demo(services, smtp, deliver)
    clock.advance(timedelta(seconds=61))  # registration e-mails to one address: 60 s apart
    [ciotat] = await services.communes.search("La Ciotat")
    receipt = await services.registration.register(
        RegistrationRequest(
            ciotat.id,
            "Ndiaye",
            "Aminata",
            "Marie.Dupont@EXAMPLE.fr",
            DEMO_PASSWORD,
            DEMO_PASSWORD,
            "2345678",
            "P10E556677",
        )
    )
    assert receipt.email_masked == "M***@example.fr"
    await deliver()
    warning = (await smtp.wait_for(3))[2]
    assert warning["To"] == "marie.dupont@example.fr"
    assert warning["Subject"] == "Tentative d'ouverture d'un espace client avec votre adresse"
    assert await count(runtime, Account) == 1


async def test_delivered_bodies_are_erased_and_codes_stored_as_digests(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, runtime: Runtime
) -> None:
    await register_demo(services)
    await deliver()
    code = read_code((await smtp.wait_for(1))[0])
    outbox = await stored(runtime, select(OutboxMessage))
    digests = await stored(runtime, select(Code.digest))
    assert [(m.status, m.body_text, m.body_html) for m in outbox] == [("sent", None, None)]
    assert all(code.replace("-", "") not in d and code not in d for d in digests)
    assert len(digests[0]) == 64


async def test_change_password_and_sign_out(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver
) -> None:
    token = await activate_demo(services, smtp, deliver)
    with pytest.raises(InvalidCredentials):
        await services.sessions.change_password(token, "faux", "Encore*Neuf77", "Encore*Neuf77")
    await services.sessions.change_password(token, DEMO_PASSWORD, "Encore*Neuf77", "Encore*Neuf77")
    await services.sessions.sign_out(token)
    with pytest.raises(SessionExpired):
        await services.sessions.dashboard(token)
    assert (await services.sessions.sign_in("marie.dupont@example.fr", "Encore*Neuf77")).token


async def test_sessions_end_after_fifteen_minutes(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, clock: MovableClock
) -> None:
    token = await activate_demo(services, smtp, deliver)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(SessionExpired):
        await services.sessions.dashboard(token)


async def test_purge_removes_expired_pending_accounts(
    services: KioskServices, clock: MovableClock
) -> None:
    await register_demo(services)
    assert (await services.maintenance.purge()).pending_accounts == 0
    clock.advance(timedelta(hours=49))
    assert (await services.maintenance.purge()).pending_accounts == 1


async def test_a_resent_code_and_its_pending_account_expire_together(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, clock: MovableClock
) -> None:
    receipt = await register_demo(services)
    clock.advance(timedelta(hours=47))
    await services.registration.resend_activation(receipt.token)
    await deliver()
    resent = read_code((await smtp.wait_for(2))[1])
    clock.advance(timedelta(hours=2))  # 49 h after the registration, 2 h after the resend
    assert (await services.maintenance.purge()).pending_accounts == 0
    redeemed = await services.redemption.redeem(resent)
    assert redeemed.session is not None


async def test_a_pending_account_goes_with_its_resent_code(
    services: KioskServices, clock: MovableClock
) -> None:
    receipt = await register_demo(services)
    clock.advance(timedelta(hours=47))
    await services.registration.resend_activation(receipt.token)
    clock.advance(timedelta(hours=47))
    assert (await services.maintenance.purge()).pending_accounts == 0
    clock.advance(timedelta(hours=1, seconds=1))
    assert (await services.maintenance.purge()).pending_accounts == 1


async def test_sign_in_upgrades_a_hash_made_with_older_parameters(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, runtime: Runtime
) -> None:
    from argon2 import Parameters
    from argon2.low_level import Type

    from kiosk.hashing import PasswordHashing

    await activate_demo(services, smtp, deliver)
    async with runtime.engine.connect() as connection:
        old = await connection.scalar(select(Account.password_hash))
    newer = Parameters(
        type=Type.ID,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=2,
        memory_cost=2048,
        parallelism=1,
    )
    services.context.hashing = PasswordHashing(1, newer)
    await services.sessions.sign_in("marie.dupont@example.fr", DEMO_PASSWORD)
    async with runtime.engine.connect() as connection:
        upgraded = await connection.scalar(select(Account.password_hash))
    assert old is not None and upgraded is not None
    assert "m=1024,t=1" in old and "m=2048,t=2" in upgraded
    assert (await services.sessions.sign_in("marie.dupont@example.fr", DEMO_PASSWORD)).token


async def test_registrations_cannot_flood_an_address(
    services: KioskServices, smtp: SmtpSink, deliver: Deliver, clock: MovableClock
) -> None:
    """Three e-mails an hour, 60 s apart; beyond, the same answer and nothing sent."""
    for _ in range(3):
        await register_demo(services, email="victime@example.fr")
        await register_demo(services, email="victime@example.fr")  # within 60 s: ignored
        clock.advance(timedelta(seconds=61))
    receipt_shape = await services.registration.register(  # the fourth in the hour: ignored too
        RegistrationRequest(
            await velaux_id(services),
            "Dupont",
            "Marie",
            "VICTIME@example.fr",
            DEMO_PASSWORD,
            DEMO_PASSWORD,
            "1234567",
            "A12B345678",
        )
    )
    assert receipt_shape.email_masked == "V***@example.fr"
    await deliver()
    assert [m["To"] for m in smtp.messages] == ["victime@example.fr"] * 3
    await register_demo(services, email="quelquun@example.fr")  # other addresses are free
    await deliver()
    assert len(smtp.messages) == 4
