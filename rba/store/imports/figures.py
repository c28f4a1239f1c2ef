"""Bulk writes of observations and targets: insert, revise and audit set-wise.

The rows of a plan are sent to the database once, into a staging table; the figures, their
revisions and their audit events are then written from it with INSERT .. SELECT (and
UPDATE .. FROM for changed figures), all in the caller's transaction. The audit text (old
and new JSON) is made in Python, so it is exactly what ``rba.store.audit.to_json`` writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.messages import N_, Message
from rba.models import (
    AuditEvent,
    Indicator,
    Observation,
    ObservationRevision,
    PerformanceMeasure,
    Target,
)
from rba.plan import SheetPlan
from rba.store.audit import json_records, record_events
from rba.store.bulk import Staged, constant, plain_column, stage, unstage

FIELDS = {"observations": ["value", "numerator", "denominator", "status", "note"],
          "targets": ["value", "rationale"]}
REVISION_FIELDS = ["value", "numerator", "denominator", "status", "note"]


def apply_figures(*, session: Session, plan: SheetPlan, batch: Any, entity: str) -> None:
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
    _refuse_locked(session, pd.concat([added, changed, deleted]), codes,
                   "measure" if is_measure else "indicator")
    ids = dict(session.execute(sa.select(owner_model.code, owner_model.id).where(
        owner_model.code.in_(codes))).all())
    fields = FIELDS[kind]
    if not (added.empty and changed.empty):
        staged = _stage(session, added, changed, fields, ids, is_target)
        table: Any = model.__table__
        dialect = session.connection().dialect
        stamp = {"set_by" if is_target else "entered_by": batch.actor,
                 "set_at" if is_target else "entered_at": batch.started_at}
        if not is_target:
            stamp["batch_id"] = batch.id
        stamps = {k: constant(v, table.c[k].type, dialect) for k, v in stamp.items()}
        written = [*fields, *([] if is_target else ["outlier", "revision"])]
        if not added.empty:
            names = [owner_fk, "period", "dimensions", *written]
            query = sa.select(*[staged.column(_staged_name(n, owner_fk)) for n in names],
                              *stamps.values()).select_from(staged.table).where(
                staged.column("action") == "create").order_by(staged.order())
            session.connection().execute(table.insert().from_select([*names, *stamps], query))
        if not changed.empty:
            session.connection().execute(table.update().where(
                table.c.id == staged.column("id")).values(
                {**{n: staged.column(n) for n in written}, **stamps}))
        if not is_target:
            _copy_revisions(session, batch, owner_fk)
        _audit_staged(session, staged, batch, entity)
        unstage(session=session, staged=staged)
    if not deleted.empty:
        record_events(session=session, batch=batch, entity=entity, changes=_withdraw(
            session, model, deleted, fields, batch, owner_fk, ids, is_target))


def _staged_name(name: str, owner_fk: str) -> str:
    return "owner_id" if name == owner_fk else name


def _stage(session: Session, added: pd.DataFrame, changed: pd.DataFrame, fields: list[str],
           ids: dict[str, int], is_target: bool) -> Staged:
    """Added then changed rows, with their audit action, old and new JSON, in one table."""
    parts = [f for f in (added, changed) if not f.empty]

    def column(name: str, default: Any = None) -> list[Any]:
        lists = [plain_column(f[name]) if name in f else [default] * len(f) for f in parts]
        return lists[0] if len(lists) == 1 else [v for values in lists for v in values]

    owners = column("owner")
    columns: dict[str, tuple[Any, Any]] = {
        "owner": (sa.String, owners),
        "owner_id": (sa.Integer, [ids[o] for o in owners]),
        "period": (sa.String, column("period")),
        "dimensions": (sa.String, column("dimensions")),
        "action": (sa.String, ["create"] * len(added) + ["update"] * len(changed)),
        "id": (sa.Integer, [None] * len(added) + _ints(changed, "id")),
        "old": (sa.Text, [None] * len(added) + _json(changed, fields, old=True)),
        "new": (sa.Text, _json(added, fields, old=False) + _json(changed, fields, old=False)),
    }
    for f in fields:
        columns[f] = (sa.Float if f in ("value", "numerator", "denominator") else sa.Text,
                      column(f))
    if not is_target:
        # Set by the import's outlier check; a figure without the flag is not an outlier.
        columns["outlier"] = (sa.Boolean, [v for f in parts for v in (
            f["outlier"].eq(True).tolist() if "outlier" in f else [False] * len(f))])
        columns["revision"] = (sa.Integer, [1] * len(added) + [
            r + 1 for r in _ints(changed, "revision")])
    return stage(session=session, columns=columns, n=len(owners))


def _ints(frame: pd.DataFrame, name: str) -> list[int]:
    return [int(v) for v in frame[name].tolist()] if not frame.empty else []


def _json(frame: pd.DataFrame, fields: list[str], *, old: bool) -> list[str]:
    """The audit text of each row: its fields (``old``: as they were) as JSON."""
    if frame.empty:
        return []
    return json_records(frame, {
        f: f + "_old" if old and f + "_old" in frame else f for f in fields})


def _audit_staged(session: Session, staged: Staged, batch: Any, entity: str) -> None:
    """One audit event per staged row, in the rows' order, written set-wise."""
    table: Any = AuditEvent.__table__
    dialect = session.connection().dialect
    fixed = {"at": batch.started_at, "actor": batch.actor, "source": batch.source,
             "entity": entity, "batch_id": batch.id}
    entity_id = (staged.column("owner") + "|" + staged.column("period") + "|"
                 + staged.column("dimensions"))
    query = sa.select(
        *[constant(v, table.c[k].type, dialect) for k, v in fixed.items()], entity_id,
        staged.column("action"), staged.column("old"), staged.column("new"),
    ).select_from(staged.table).order_by(staged.order())
    session.connection().execute(table.insert().from_select(
        [*fixed, "entity_id", "action", "old", "new"], query))


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


def _refuse_locked(session: Session, rows: pd.DataFrame, codes: set[str], kind: str) -> None:
    """The last guard: no write path may change a value in a locked period."""
    from rba.store.locks import LockError, locked

    locks = locked(session=session, owners=codes, kind=kind)
    if locks.empty or rows.empty:
        return
    hit = rows.merge(locks, on=["owner", "period"])
    if len(hit):
        first = hit.iloc[0]
        raise LockError(Message(N_("{code} {period} is locked: {n} value(s) in locked "
                                   "periods were not written"), code=first["owner"],
                                period=first["period"], n=len(hit)))


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
