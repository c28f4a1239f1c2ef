"""The audit trail: who changed what, when, how, from what to what, in which batch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from rba.store import audit as store
from rba.store.audit import AUDIT_COLUMNS, changed_fields

__all__ = ["AUDIT_COLUMNS", "audit_events", "batch_record", "changed_fields", "written_since",
           "recent_batches"]


def audit_events(*, session: Session, since: datetime | None = None,
                 batch: str | None = None, entity: str | None = None,
                 entity_id: str | None = None) -> list[dict[str, Any]]:
    """Audit events, oldest first, optionally since a time, of one batch, of one kind of
    record (entity) or of one record."""
    return store.audit_events(session=session, since=since, batch=batch, entity=entity,
                              entity_id=entity_id)


def batch_record(*, session: Session, batch_id: str) -> dict[str, Any] | None:
    """One batch (id, source, actor, started_at, description, summary), or None."""
    return store.batch_record(session=session, batch_id=batch_id)


def recent_batches(*, session: Session, limit: int = 50) -> list[dict[str, Any]]:
    """The newest batches, newest first."""
    return store.recent_batches(session=session, limit=limit)


def written_since(*, session: Session, version: int) -> list[str]:
    """The ids of the records written after data version ``version`` (an indicator's
    figures, targets, locks and stories name its code first: "grad_rate|2024|{}",
    "grad_rate#3")."""
    return store.entity_ids_since(session=session, version=version)
