"""Bulk writes of observations and targets: insert, revise and audit column-wise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.ingest.plan import SheetPlan
from rba.models import Indicator, Observation, ObservationRevision, PerformanceMeasure, Target
from rba.store.audit import record_events

FIELDS = {"observations": ["value", "numerator", "denominator", "status", "note"],
          "targets": ["value", "rationale"]}
REVISION_FIELDS = ["value", "numerator", "denominator", "status", "note"]


def apply_figures(session: Session, plan: SheetPlan, batch: Any, entity: str) -> None:
    """Insert the plan's new figures and update the changed ones, keeping every revision."""
    is_target = plan.sheet.endswith("targets")
    model = Target if is_target else Observation
    kind = "targets" if is_target else "observations"
    is_measure = plan.sheet.startswith("measure")
    owner_model = PerformanceMeasure if is_measure else Indicator
    owner_fk = "measure_id" if is_measure else "indicator_id"
    added = plan.added_frame if plan.added_frame is not None else pd.DataFrame()
    changed = plan.changed_frame if plan.changed_frame is not None else pd.DataFrame()
    deleted = plan.deleted_frame if plan.deleted_frame is not None else pd.DataFrame()
    if added.empty and changed.empty and deleted.empty:
        return
    codes = set(added.get("owner", [])) | set(changed.get("owner", [])) | set(
        deleted.get("owner", []))
    if not is_measure:
        _refuse_locked(session, pd.concat([added, changed, deleted]), codes)
    ids = dict(session.execute(sa.select(owner_model.code, owner_model.id).where(
        owner_model.code.in_(codes))).all())
    fields = FIELDS[kind]
    stamp = {"set_by" if is_target else "entered_by": batch.actor,
             "set_at" if is_target else "entered_at": batch.started_at}
    if not is_target:
        stamp["batch_id"] = batch.id
    events: list[tuple[str, str, dict | None, dict | None]] = []
    if not added.empty:
        rows = [
            {owner_fk: ids[r["owner"]], "period": r["period"], "dimensions": r["dimensions"],
             **{f: _clean(r.get(f)) for f in fields}, **_flags(r, is_target), **stamp}
            for r in added.to_dict("records")
        ]
        if not is_target:
            for row in rows:
                row["revision"] = 1
        new_ids = session.scalars(
            sa.insert(model).returning(model.id, sort_by_parameter_order=True), rows).all()
        if not is_target:
            _revisions(session, new_ids, rows, batch, owner_fk)
        events += [("create", _entity_id(r), None, _public(r, fields))
                   for r in added.to_dict("records")]
    if not changed.empty:
        records = changed.to_dict("records")
        updates = [{"id": int(r["id"]), **{f: _clean(r.get(f)) for f in fields},
                    **_flags(r, is_target), **stamp}
                   for r in records]
        keys = [{owner_fk: ids[r["owner"]], "period": r["period"],
                 "dimensions": r["dimensions"]} for r in records]
        if not is_target:
            for update, r in zip(updates, records, strict=True):
                update["revision"] = int(r["revision"]) + 1
        session.execute(sa.update(model), updates)
        if not is_target:
            _revisions(session, [u["id"] for u in updates],
                       [{**u, **k} for u, k in zip(updates, keys, strict=True)], batch, owner_fk)
        events += [("update", _entity_id(r), _public(r, fields, "_old"), _public(r, fields))
                   for r in records]
    if not deleted.empty:
        events += _withdraw(session, model, deleted, fields, batch, owner_fk, ids, is_target)
    record_events(session, batch, entity, events)


def _withdraw(session: Session, model: Any, deleted: pd.DataFrame, fields: list[str],
              batch: Any, owner_fk: str, ids: dict[str, int], is_target: bool) -> list:
    """Delete figures; an observation's history keeps a last revision saying it was withdrawn."""
    records = deleted.to_dict("records")
    if not is_target:
        _revisions(session, [int(r["id"]) for r in records], [
            {owner_fk: ids[r["owner"]], "period": r["period"], "dimensions": r["dimensions"],
             "revision": int(r["revision"]) + 1, "value": None, "numerator": None,
             "denominator": None, "status": r.get("status") or "provisional",
             "note": f"withdrawn by batch {batch.id}"} for r in records], batch, owner_fk)
    session.execute(sa.delete(model).where(model.id.in_([int(r["id"]) for r in records])))
    return [("delete", _entity_id(r), _public(r, fields), None) for r in records]


def _refuse_locked(session: Session, rows: pd.DataFrame, codes: set[str]) -> None:
    """The last guard: no write path may change a value in a locked period."""
    from rba.store.locks import LockError, locked

    locks = locked(session=session, owners=codes)
    if locks.empty or rows.empty:
        return
    hit = rows.merge(locks, on=["owner", "period"])
    if len(hit):
        first = hit.iloc[0]
        raise LockError(f"{first['owner']} {first['period']} is locked: "
                        f"{len(hit)} value(s) in locked periods were not written")


def _revisions(session: Session, ids: Sequence[int], rows: list[dict], batch: Any,
               owner_fk: str) -> None:
    session.execute(sa.insert(ObservationRevision), [
        {"observation_id": i, "revision": row["revision"], owner_fk: row[owner_fk],
         "period": row["period"], "dimensions": row["dimensions"],
         **{f: row.get(f) for f in REVISION_FIELDS},
         "entered_by": batch.actor, "entered_at": batch.started_at, "batch_id": batch.id}
        for i, row in zip(ids, rows, strict=True)
    ])


def _flags(record: dict, is_target: bool) -> dict[str, bool]:
    """An observation's outlier flag (set by the import's outlier check; else false)."""
    return {} if is_target else {"outlier": record.get("outlier") is True or bool(
        record.get("outlier") == True)}  # noqa: E712  (numpy booleans)


def _entity_id(record: dict) -> str:
    return f"{record['owner']}|{record['period']}|{record['dimensions']}"


def _public(record: dict, fields: list[str], suffix: str = "") -> dict:
    return {f: _clean(record.get(f + suffix, record.get(f))) for f in fields}


def _clean(value: Any) -> Any:
    """Plain Python values for the database: NaN and pandas NA become None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value
