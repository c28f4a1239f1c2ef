"""Reads of the audit trail for the history pages: batches and the events of one record."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.models import AuditEvent, Batch


def batch_record(*, session: Session, batch_id: str) -> dict[str, Any] | None:
    """One batch (id, source, actor, started_at, description, summary as a dict), or None."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        return None
    return {"id": batch.id, "source": batch.source.value, "actor": batch.actor,
            "started_at": batch.started_at, "description": batch.description,
            "summary": json.loads(batch.summary) if batch.summary else None}


def recent_batches(*, session: Session, limit: int = 50) -> list[dict[str, Any]]:
    """The latest batches, newest first, with how many audit events each wrote."""
    events = (sa.select(AuditEvent.batch_id, sa.func.count().label("events"))
              .group_by(AuditEvent.batch_id).subquery())
    query = (sa.select(Batch, sa.func.coalesce(events.c.events, 0))
             .outerjoin(events, events.c.batch_id == Batch.id)
             .order_by(Batch.started_at.desc(), Batch.id.desc()).limit(limit))
    return [{"id": b.id, "source": b.source.value, "actor": b.actor,
             "started_at": b.started_at, "description": b.description, "events": int(n)}
            for b, n in session.execute(query)]


def changed_fields(old: str | None, new: str | None) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for each field an audit event's JSON changed (all fields of a create)."""
    before = json.loads(old) if old else {}
    after = json.loads(new) if new else {}
    fields = list(dict.fromkeys([*after, *before]))
    return [(f, before.get(f), after.get(f)) for f in fields
            if before.get(f) != after.get(f)]
