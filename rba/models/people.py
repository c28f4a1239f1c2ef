"""Who uses the tracker, and the audit trail of every change they make."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from rba.models.base import AuditSource, Base, Role, choice, utcnow


class User(Base):
    """A person who signs in: admin, coordinator, team member or viewer."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(choice(Role, "role"))
    team_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("result_teams.id", ondelete="SET NULL"), index=True
    )
    password_hash: Mapped[str | None] = mapped_column(sa.String(300))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class Batch(Base):
    """One import, grid save or CLI command: the unit that can be listed and undone."""

    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    source: Mapped[AuditSource] = mapped_column(choice(AuditSource, "source"))
    actor: Mapped[str] = mapped_column(sa.String(200))
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    description: Mapped[str | None] = mapped_column(sa.Text)
    #: JSON summary: counts added / changed / unchanged per sheet.
    summary: Mapped[str | None] = mapped_column(sa.Text)


class AuditEvent(Base):
    """One create, update or delete, written in the same transaction as the change."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(200))
    source: Mapped[AuditSource] = mapped_column(choice(AuditSource, "source"))
    entity: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(10))
    #: JSON of the fields before the change (null for a create).
    old: Mapped[str | None] = mapped_column(sa.Text)
    #: JSON of the fields after the change (null for a delete).
    new: Mapped[str | None] = mapped_column(sa.Text)
    batch_id: Mapped[str | None] = mapped_column(sa.ForeignKey("batches.id"), index=True)

    __table_args__ = (sa.Index("ix_audit_events_entity", "entity", "entity_id"),)


class SignInAttempt(Base):
    """One sign-in try, kept so attempts can be rate-limited across server processes."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (sa.Index("ix_sign_in_attempts_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str | None] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False)
