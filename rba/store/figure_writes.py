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
from rba.store.audit import json_records, record_events
from rba.store.bulk import bulk_insert

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
    events: list[tuple[str, str, Any, Any]] = []
    table: Any = model.__table__
    connection = session.connection()
    if not added.empty:
        columns: dict[str, Any] = {
            owner_fk: added["owner"].map(ids).astype("int64").tolist(),
            "period": added["period"].tolist(), "dimensions": added["dimensions"].tolist(),
            **{f: added.get(f) for f in fields}, **stamp}
        if not is_target:
            columns["revision"] = 1
            columns["outlier"] = (added["outlier"].fillna(False).astype(bool).tolist()
                                  if "outlier" in added else False)
        bulk_insert(session, table, columns, len(added))
        events += _events("create", added, fields, with_old=False)
    if not changed.empty:
        records = changed.to_dict("records")
        updates = [{"b_id": int(r["id"]), **{f"b_{f}": _clean(r.get(f)) for f in fields},
                    **{f"b_{k}": v for k, v in {**_flags(r, is_target), **stamp}.items()},
                    **({} if is_target else {"b_revision": int(r["revision"]) + 1})}
                   for r in records]
        names = [k.removeprefix("b_") for k in updates[0] if k != "b_id"]
        connection.execute(
            table.update().where(table.c.id == sa.bindparam("b_id")).values(
                {c: sa.bindparam(f"b_{c}") for c in names}), updates)
        events += _events("update", changed, fields, with_old=True)
    if not is_target and not (added.empty and changed.empty):
        _copy_revisions(session, batch, owner_fk)
    if not deleted.empty:
        events += _withdraw(session, model, deleted, fields, batch, owner_fk, ids, is_target)
    record_events(session, batch, entity, events)


def _events(action: str, frame: pd.DataFrame, fields: list[str], *,
            with_old: bool) -> list[tuple[str, str, str | None, str | None]]:
    """Audit tuples (with JSON text) for a frame of figures, built column-wise."""
    ids = (frame["owner"] + "|" + frame["period"] + "|" + frame["dimensions"]).tolist()
    new = json_records(frame, {f: f for f in fields})
    old: list[Any] = json_records(frame, {
        f: f + "_old" if f + "_old" in frame else f for f in fields}) if with_old else (
        [None] * len(frame))
    return list(zip([action] * len(frame), ids, old, new, strict=True))


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


def _copy_revisions(session: Session, batch: Any, owner_fk: str) -> None:
    """Every observation this batch wrote gets its revision row, copied in one statement."""
    columns = ["observation_id", "indicator_id", "measure_id", "period", "dimensions",
               "revision", "value", "numerator", "denominator", "status", "note",
               "entered_by", "entered_at", "batch_id"]
    source: Any = Observation.__table__
    query = sa.select(source.c.id, *[source.c[c] for c in columns[1:]]).where(
        source.c.batch_id == batch.id, source.c[owner_fk].is_not(None))
    revisions: Any = ObservationRevision.__table__
    session.connection().execute(revisions.insert().from_select(columns, query))


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
    # to_dict("records") gives Python booleans; a missing flag (NaN) is not an outlier.
    return {} if is_target else {"outlier": record.get("outlier") is True}


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
