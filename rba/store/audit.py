"""Batches and audit events: every write records who, when, how, what it was and became;
and the reads of the audit trail for the history pages (batches, the events of a record)."""

from __future__ import annotations

import json
import math
import re
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.models import AuditEvent, AuditSource, Batch
from rba.models.base import utcnow
from rba.store.bulk import bulk_insert


def new_batch(
    *, session: Session, actor: str, source: str, description: str | None = None,
    at: datetime | None = None,
) -> Batch:
    """Open a batch: the id every write of one import, save or command is filed under."""
    at = at or utcnow()
    batch = Batch(
        id=f"{at:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}", source=AuditSource(source),
        actor=actor, started_at=at, description=description,
    )
    session.add(batch)
    session.flush()
    return batch


def to_json(record: dict[str, Any] | str | None) -> str | None:
    """A record as stable JSON for the audit trail (NaN as null); JSON text passes through."""
    if record is None or isinstance(record, str):
        return record
    clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in record.items()}
    return json.dumps(clean, ensure_ascii=False, sort_keys=True, default=str)


def json_column(values: pd.Series) -> list[str]:
    """Each value as JSON text: numbers in full precision, NaN and None as null."""
    if pd.api.types.is_numeric_dtype(values.dtype) and values.dtype != bool:
        floats = np.ascontiguousarray(values.to_numpy(dtype="float64", na_value=np.nan))
        # Each distinct number is written once (by its bits, so -0.0 stays -0.0).
        codes, bits = pd.factorize(floats.view(np.int64))
        texts = np.array([float.__repr__(v) if math.isfinite(v) else "null"
                          for v in np.asarray(bits).view(np.float64).tolist()], dtype=object)
        return texts[codes].tolist()
    items = values.to_numpy(dtype=object, na_value=None)
    if pd.api.types.infer_dtype(items, skipna=True) not in ("string", "empty"):
        return [_json_value(v) for v in items.tolist()]
    # Text: each distinct value is written once (1 and True would share a code; not here).
    codes, uniques = pd.factorize(items)
    texts = np.array([_json_value(v) for v in uniques.tolist()] + ["null"], dtype=object)
    return texts[codes].tolist()


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _json_value(value: Any) -> str:
    if isinstance(value, str):
        if _NEEDS_ESCAPE.search(value) is None:
            return '"' + value + '"'
        return json.dumps(value, ensure_ascii=False)
    if value is None or (isinstance(value, float) and value != value):
        return "null"
    return json.dumps(getattr(value, "value", value), ensure_ascii=False, default=str)


def json_records(frame: pd.DataFrame, columns: dict[str, str]) -> list[str]:
    """One JSON object per row of ``frame``: {key: frame[column]} with keys sorted.

    Built column-wise so 100,000 audit records cost milliseconds, and equal to
    ``to_json`` of the same record.
    """
    keys = sorted(columns)
    if not keys:
        return ["{}"] * len(frame)
    texts = [json_column(frame[columns[k]]) if columns[k] in frame else ["null"] * len(frame)
             for k in keys]
    template = "{" + ", ".join(json.dumps(k, ensure_ascii=False).replace("%", "%%") + ": %s"
                               for k in keys) + "}"
    return [template % row for row in zip(*texts, strict=True)]


def record_events(
    *, session: Session, batch: Batch, entity: str,
    changes: Sequence[tuple[str, str, dict[str, Any] | str | None, dict[str, Any] | str | None]],
) -> None:
    """Write one audit event per (action, entity id, old, new) in the session's transaction."""
    if not changes:
        return
    actions, entity_ids, olds, news = zip(*changes, strict=True)
    bulk_insert(session=session, table=AuditEvent.__table__, columns={
        "at": batch.started_at, "actor": batch.actor, "source": batch.source,
        "entity": entity, "entity_id": list(entity_ids), "action": list(actions),
        "old": [to_json(o) for o in olds], "new": [to_json(n) for n in news],
        "batch_id": batch.id}, n=len(changes))


AUDIT_COLUMNS = ["at", "actor", "source", "entity", "entity_id", "action", "old", "new",
                 "batch_id"]


def audit_events(
    *, session: Session, since: datetime | None = None, batch: str | None = None,
    entity: str | None = None, entity_id: str | None = None,
) -> list[dict[str, Any]]:
    """Audit events in the order they were written, optionally filtered."""
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if batch is not None:
        query = query.where(AuditEvent.batch_id == batch)
    if entity is not None:
        query = query.where(AuditEvent.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    return [
        {"at": e.at, "actor": e.actor, "source": e.source.value, "entity": e.entity,
         "entity_id": e.entity_id, "action": e.action, "old": e.old, "new": e.new,
         "batch_id": e.batch_id}
        for e in session.scalars(query)
    ]


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


def data_version(*, session: Session, alone: bool = False) -> int:
    """The store's data version: the newest audit event's id (0 for an empty store).

    Every write records an audit event, so the version moves with every write. ``alone``:
    the session reads nothing else, so no transaction is begun (on PostgreSQL one round
    trip instead of three: BEGIN, SELECT, COMMIT); only on a session that has not read yet.
    """
    if alone:
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return int(session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0)


def entity_ids_since(*, session: Session, version: int) -> list[str]:
    """The entity ids of the audit events written after data version ``version``."""
    return [str(entity_id) for entity_id in session.scalars(
        sa.select(AuditEvent.entity_id).where(AuditEvent.id > version))]
