"""Undo a batch: restore every value it changed, as one new audited batch.

The undo is planned from the batch's audit events: a value it changed gets its old value
back (a new revision), a figure it added is withdrawn (its history keeps a revision saying
so), a record it added is deleted if nothing uses it. It is refused, with nothing written,
when a later batch changed the same value since or the period is locked. `plan_undo` says
all of this before anything is written (what the CLI and the batch page show first).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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


LATER_COLUMNS = ["sheet", "owner", "period", "dimensions", "field", "left", "now"]
LOCKED_COLUMNS = ["sheet", "owner", "period", "locked_by"]


@dataclass
class UndoPlan:
    """What undoing a batch would do: the reverse import plan, and what stops it: figures
    changed since (sheet, owner, period, dimensions, field, left, now) and locked periods
    (sheet, owner, period, locked_by)."""

    batch: str
    plan: ImportPlan
    later: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LATER_COLUMNS))
    locked: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LOCKED_COLUMNS))

    @property
    def blocked(self) -> bool:
        """Whether the undo would be refused (a later change or a locked period)."""
        return bool(len(self.later) or len(self.locked))


def plan_undo(*, session: Session, batch_id: str) -> UndoPlan:
    """What undoing batch ``batch_id`` would restore and what stops it; writes nothing.
    Raises UndoError when the batch is unknown, changed nothing, or changed records undo
    does not restore (users, locks)."""
    if session.get(Batch, batch_id) is None:
        raise UndoError(Message(N_("no batch {batch!r}: `rba audit` lists batches"),
                                batch=batch_id))
    events = audit_events(session=session, batch=batch_id)
    sheets = {SHEET_OF.get(e["entity"]) for e in events}
    if None in sheets:
        others = sorted({e["entity"] for e in events if e["entity"] not in SHEET_OF})
        raise UndoError(Message(N_("batch {batch} changed {entities}, which undo does not "
                                   "restore (people and period locks are changed on their "
                                   "own)"), batch=batch_id, entities=", ".join(others)))
    if not events:
        raise UndoError(Message(N_("batch {batch} changed nothing"), batch=batch_id))
    undo = UndoPlan(batch_id, ImportPlan(f"undo of {batch_id}"))
    for spec in SHEETS:
        mine = [e for e in events if SHEET_OF[e["entity"]] == spec.name]
        if not mine:
            continue
        if spec.name in ("observations", "targets", "measure_observations", "measure_targets"):
            _plan_figures(session, undo, spec.name, mine)
        else:
            _plan_records(undo.plan, spec.name, mine)
    return undo


def undo_batch(*, session: Session, batch_id: str, actor: str, source: str = "cli") -> str:
    """Restore what batch ``batch_id`` changed; return the new batch's id."""
    undo = plan_undo(session=session, batch_id=batch_id)
    if len(undo.locked):
        first = undo.locked.iloc[0]
        raise UndoError(Message(N_("{code} {period} is locked: an admin must unlock it "
                                   "before this batch can be undone"),
                                code=first["owner"], period=first["period"]))
    if len(undo.later):
        shown = undo.later.drop_duplicates(["owner", "period", "dimensions"])
        lines = "; ".join(f"{r.owner} {r.period} {r.dimensions}"
                          for r in shown.head(10).itertuples())
        raise UndoError(Message(
            N_("{n} value(s) changed since batch {batch} ({values}): undo the later batches "
               "first, newest first"), n=len(shown), batch=batch_id, values=lines))
    return apply_plan(session=session, plan=undo.plan, actor=actor, source=source,
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


def _plan_figures(session: Session, undo: UndoPlan, sheet: str,
                  events: list[dict[str, Any]]) -> None:
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
    undo.locked = pd.concat([undo.locked, _locked(
        session, merged, "measure" if sheet.startswith("measure") else "indicator", sheet)],
        ignore_index=True)
    undo.later = pd.concat([undo.later, _later(merged, [f for f in fields if f != "status"],
                                               sheet)], ignore_index=True)
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
    sheet_plan = undo.plan.sheet(sheet)
    sheet_plan.added_frame = added
    sheet_plan.changed_frame = changed
    sheet_plan.deleted_frame = withdraw[key + ["id"] + [
        c for c in ("revision", *fields) if c in withdraw and c not in key]]


def _locked(session: Session, merged: pd.DataFrame, kind: str, sheet: str) -> pd.DataFrame:
    """The locked periods among the batch's figures."""
    locks = locked(session=session, owners=merged["owner"].unique(), kind=kind)
    if not len(locks):
        return pd.DataFrame(columns=LOCKED_COLUMNS)
    hit = merged[["owner", "period"]].drop_duplicates().merge(locks, on=["owner", "period"])
    return hit.assign(sheet=sheet)[LOCKED_COLUMNS]


def _later(merged: pd.DataFrame, fields: list[str], sheet: str) -> pd.DataFrame:
    """Every figure's field that is no longer what the batch left (a later change would be
    lost): one row per field, with what the batch left and what is there now.

    Status is left out: locking a period marks its values final without changing them.
    """
    exists = merged["id"].notna()
    expected_absent = merged["action"] == "delete"
    rows = []
    for f in fields:
        a, b = merged[f], merged[f"new_{f}"]
        differs = ~((a == b) | (a.isna() & b.isna()))
        hit = (expected_absent & exists) | (~expected_absent & (~exists | differs))
        if f != fields[0]:
            hit &= exists & ~expected_absent & differs
        rows.append(merged.loc[hit, ["owner", "period", "dimensions"]].assign(
            sheet=sheet, field=f, left=merged.loc[hit, f"new_{f}"].to_numpy(),
            now=a[hit].where(exists[hit], None).to_numpy()))
    return pd.concat(rows, ignore_index=True)[LATER_COLUMNS]
