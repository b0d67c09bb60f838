"""SQLAlchemy 2 models; integrity lives in the database (unique keys, foreign keys, checks).

A change here needs a migration in ``kiosk/storage/migrations/versions`` (and
:data:`SCHEMA_REVISION` moved to it); a test compares the two on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_REVISION = "0008_billing"
"""The newest migration, whose schema these models describe: ``kiosk status`` compares the
database's with it without loading Alembic (a test checks it against Alembic's head)."""


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database (same on SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Operator(Base):
    """A company that manages the contracts of some communes."""

    __tablename__ = "operators"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    served_here: Mapped[bool] = mapped_column(Boolean)
    phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")


class Commune(Base):
    __tablename__ = "communes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    search_key: Mapped[str] = mapped_column(String(120), index=True)
    territory: Mapped[str] = mapped_column(String(120), default="")
    operator_code: Mapped[str] = mapped_column(ForeignKey("operators.code"))


class Subscriber(Base):
    """A record of the billing system, imported; the kiosk never edits it."""

    __tablename__ = "subscribers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract: Mapped[str] = mapped_column(String(7), unique=True)
    meter: Mapped[str] = mapped_column(String(20))
    """Normalised: no spaces, upper case."""
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    holder: Mapped[str] = mapped_column(String(200), default="")


class Account(Base):
    """A customer space, linked to exactly one contract."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'active')", name="status"),
        CheckConstraint("language IN ('fr', 'en')", name="language"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract: Mapped[str] = mapped_column(ForeignKey("subscribers.contract"), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    """Case-folded address: one account per address."""
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    """Digest of the receipt token that lets the Code screen ask for a resend."""
    language: Mapped[str] = mapped_column(String(5), server_default="fr")
    """``fr`` or ``en``: the language the account was created or last signed in with; its
    e-mails are written in it (SPEC §11)."""


class Code(Base):
    """A one-time code; only its HMAC digest is stored."""

    __tablename__ = "codes"
    __table_args__ = (
        CheckConstraint("purpose IN ('activation', 'reset', 'reset_grant')", name="purpose"),
        Index("ix_codes_account_purpose", "account_id", "purpose"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(12))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Session(Base):
    """A signed-in session at a kiosk."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    kiosk_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """An e-mail waiting for delivery, written in the transaction that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'abandoned')", name="status"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    """Both bodies are erased once the message is delivered or abandoned."""
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    abandoned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))
    attachment_name: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    """A PDF invoice sent on request; erased with the bodies."""


class ThrottleEvent(Base):
    """One counted attempt (failed check, wrong code, e-mail sent), shared by all kiosks."""

    __tablename__ = "throttle_events"
    __table_args__ = (Index("ix_throttle_scope_key_at", "scope", "key", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuthEvent(Base):
    """The audit trail: one row per authentication step, e-mail masked, never a secret."""

    __tablename__ = "auth_events"
    __table_args__ = (Index("ix_auth_events_event_at", "event", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    kiosk_id: Mapped[str] = mapped_column(String(100))
    event: Mapped[str] = mapped_column(String(40))
    email_masked: Mapped[str] = mapped_column(String(260), default="")
    account_id: Mapped[int | None] = mapped_column(Integer)


class KioskHeartbeat(Base):
    """The last sign of life of each kiosk (``kiosk run`` writes one a minute)."""

    __tablename__ = "kiosk_heartbeats"
    kiosk_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    """When the ``kiosk run`` that beats now started."""


class Invoice(Base):
    """An invoice of the billing system, imported; keyed by its number (a re-import updates
    its status). No foreign key to ``subscribers``: the extracts may arrive in any order."""

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("status IN ('payee', 'a_payer', 'en_retard')", name="status"),
        Index("ix_invoices_contract_issued", "contract", "issued_on"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    contract: Mapped[str] = mapped_column(String(7))
    issued_on: Mapped[date] = mapped_column(Date)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    volume_m3: Mapped[int] = mapped_column(Integer)
    amount_excl_tax: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    amount_incl_tax: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))


class MeterReading(Base):
    """A meter index: imported from the billing system, or typed by the customer
    (``autoreleve``). Keyed by meter, date and kind."""

    __tablename__ = "meter_readings"
    __table_args__ = (
        CheckConstraint("kind IN ('releve', 'estime', 'autoreleve', 'teleleve')", name="kind"),
        UniqueConstraint("meter", "read_on", "kind", name="uq_meter_readings_key"),
        Index("ix_meter_readings_contract_read", "contract", "read_on"),
        Index("ix_meter_readings_kind_read", "kind", "read_on"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract: Mapped[str] = mapped_column(String(7))
    meter: Mapped[str] = mapped_column(String(20))
    read_on: Mapped[date] = mapped_column(Date)
    index_m3: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))


class RegistrationDraft(Base):
    """A registration on the web between its steps (SPEC §10), forgotten after 30 minutes.

    Found by the digest of the browser's draft token. The password is kept only sealed
    (:mod:`kiosk.services.registration_drafts`): the key is the token, which the database never
    holds, so that neither the database nor the browser alone can read it.
    """

    __tablename__ = "registration_drafts"
    __table_args__ = (CheckConstraint("step IN ('commune', 'identity')", name="step"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    step: Mapped[str] = mapped_column(String(10))
    """The last step taken: ``commune`` chosen, then ``identity`` given."""
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    last_name: Mapped[str] = mapped_column(String(60), default="")
    first_name: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    sealed_password: Mapped[bytes | None] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
