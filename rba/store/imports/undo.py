"""Undo a batch: restore every value it changed, as one new audited batch.

The undo is planned from the batch's audit events: a value it changed gets its old value
back (a new revision), a figure it added is withdrawn (its history keeps a revision saying
so), a record it added is deleted if nothing uses it. It is refused, with nothing written,
when a later batch changed the same value since or the period is locked.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from rba.messages import N_, Message
from rba.models import Batch
from rba.plan import ImportPlan
from rba.refusals import Refusal
from rba.sheets import SHEETS
from rba.store import content
from rba.store.audit import audit_events
from rba.store.imports.apply import ENTITY, apply_plan
from rba.store.locks import locked

SHEET_OF = {entity: sheet for sheet, entity in ENTITY.items()}
FIGURE_FIELDS = {"observations": ["value", "numerator", "denominator", "status", "note"],
                 "targets": ["value", "rationale"]}


class UndoError(Refusal):
    """The batch cannot be undone; the message says why and what to do."""


def undo_batch(*, session: Session, batch_id: str, actor: str, source: str = "cli") -> str:
    """Restore what batch ``batch_id`` changed; return the new batch's id."""
    if session.get(Batch, batch_id) is None:
        raise UndoError(Message(N_("no batch {batch!r}: `rba audit` lists batches"),
                                batch=batch_id))
    events = audit_events(session=session, batch=batch_id)
    sheets = {SHEET_OF.get(e["entity"]) for e in events}
    if None in sheets:
        others = sorted({e["entity"] for e in events if e["entity"] not in SHEET_OF})
        raise UndoError(Message(N_("batch {batch} changed {entities}, which undo does not "
                                   "restore: use `rba users` or `rba unlock`"),
                                batch=batch_id, entities=", ".join(others)))
    if not events:
        raise UndoError(Message(N_("batch {batch} changed nothing"), batch=batch_id))
    plan = ImportPlan(f"undo of {batch_id}")
    for spec in SHEETS:
        mine = [e for e in events if SHEET_OF[e["entity"]] == spec.name]
        if not mine:
            continue
        if spec.name in ("observations", "targets", "measure_observations", "measure_targets"):
            _plan_figures(session, plan, spec.name, mine, batch_id)
        else:
            _plan_records(plan, spec.name, mine)
    return apply_plan(session=session, plan=plan, actor=actor, source=source,
                      description=f"undo of batch {batch_id}")


def _plan_records(plan: ImportPlan, sheet: str, events: list[dict[str, Any]]) -> None:
    sheet_plan = plan.sheet(sheet)
    for event in reversed(events):
        old = json.loads(event["old"]) if event["old"] else None
        new = json.loads(event["new"]) if event["new"] else None
        if event["action"] == "create":
            if sheet == "stories":
                code, version = event["entity_id"].rsplit("#", 1)
                new = {**(new or {}), "indicator": code, "version": int(version)}
            sheet_plan.deleted.append(new or {})
        elif event["action"] == "update":
            sheet_plan.changed.append((new or {}, old or {}))
        else:
            sheet_plan.added.append(old or {})


def _plan_figures(session: Session, plan: ImportPlan, sheet: str,
                  events: list[dict[str, Any]], batch_id: str) -> None:
    kind = "targets" if sheet.endswith("targets") else "observations"
    fields = FIGURE_FIELDS[kind]
    frame = pd.DataFrame(events)
    parts = frame["entity_id"].str.split("|", n=2, expand=True)
    frame["owner"], frame["period"], frame["dimensions"] = parts[0], parts[1], parts[2]
    for side in ("old", "new"):
        decoded = frame[side].map(lambda text: json.loads(text) if isinstance(text, str) else {})
        for f in fields:
            frame[f"{side}_{f}"] = decoded.map(lambda d, f=f: d.get(f))
    current = content.figures(session=session, sheet=sheet, owners=frame["owner"].unique())
    merged = frame.merge(current, on=["owner", "period", "dimensions"], how="left")
    _refuse_locked(session, merged, "measure" if sheet.startswith("measure") else "indicator")
    _refuse_conflicts(merged, [f for f in fields if f != "status"], batch_id)
    key = ["owner", "period", "dimensions"]
    restore = merged[merged["action"] == "update"]
    changed = restore[key + ["id"] + (["revision"] if kind == "observations" else [])].copy()
    for f in fields:
        changed[f] = restore[f"old_{f}"].to_numpy()
        changed[f + "_old"] = restore[f].to_numpy()
    recreate = merged[merged["action"] == "delete"]
    added = recreate[key].copy()
    for f in fields:
        added[f] = recreate[f"old_{f}"].to_numpy()
    withdraw = merged[merged["action"] == "create"]
    sheet_plan = plan.sheet(sheet)
    sheet_plan.added_frame = added
    sheet_plan.changed_frame = changed
    sheet_plan.deleted_frame = withdraw[key + ["id"] + [
        c for c in ("revision", *fields) if c in withdraw and c not in key]]


def _refuse_locked(session: Session, merged: pd.DataFrame, kind: str) -> None:
    locks = locked(session=session, owners=merged["owner"].unique(), kind=kind)
    hit = merged.merge(locks, on=["owner", "period"]) if len(locks) else locks
    if len(hit):
        first = hit.iloc[0]
        raise UndoError(Message(N_("{code} {period} is locked: an admin must unlock it (rba "
                                   "unlock {code} {period} --reason ...)"),
                                code=first["owner"], period=first["period"]))


def _refuse_conflicts(merged: pd.DataFrame, fields: list[str], batch_id: str) -> None:
    """Every value must still be what the batch left, else a later change would be lost.

    Status is left out: locking a period marks its values final without changing them.
    """
    exists = merged["id"].notna()
    expected_absent = merged["action"] == "delete"
    same = pd.Series(True, index=merged.index)
    for f in fields:
        a, b = merged[f], merged[f"new_{f}"]
        same &= (a == b) | (a.isna() & b.isna())
    conflict = (expected_absent & exists) | (~expected_absent & (~exists | ~same))
    if conflict.any():
        shown = merged[conflict].head(10)
        lines = "; ".join(f"{r.owner} {r.period} {r.dimensions}" for r in shown.itertuples())
        raise UndoError(Message(
            N_("{n} value(s) changed since batch {batch} ({values}): undo the later batches "
               "first, newest first"), n=int(conflict.sum()), batch=batch_id, values=lines))
