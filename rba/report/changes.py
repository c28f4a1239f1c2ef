"""What an import would change, record by record: the one listing the CLI prints and the
upload page shows, so the two cannot disagree.

A figure (an observation or target) is named by its owner, period and group key; a
descriptive record by its natural key (rba.sheets.record_key). An added figure lists every
field it fills in; a changed record lists the fields whose old and new values differ. Two
values are the same when both are missing (None, NaN or NA), when they are equal, or when
both are numbers equal to 15 significant digits (a spreadsheet's precision, as the import
itself compares them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from rba.plan import ImportPlan
from rba.sheets import record_key

#: The fields of a figure, in the order they are listed.
FIGURE_FIELDS = ("value", "numerator", "denominator", "status", "note", "rationale")


@dataclass(frozen=True)
class Change:
    """One added or changed record: its sheet, what happened, which record (a figure or a
    descriptive record), and each field listed as (field, old value, new value), values as
    the plan holds them."""

    sheet: str
    action: str
    record: str
    figure: bool
    fields: tuple[tuple[str, Any, Any], ...]
    #: A figure's indicator (or measure) code, period and dimensions key, to name it in words.
    owner: str | None = None
    period: str | None = None
    dimensions: str | None = None


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and value != value


def same(a: Any, b: Any) -> bool:
    """Whether two values of a field are the same (see the module's rule)."""
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b or f"{float(a):.15g}" == f"{float(b):.15g}"
    return bool(a == b)


def plan_changes(plan: ImportPlan, limit: int | None = None) -> list[Change]:
    """Every addition and change of a plan (the first ``limit``), sheet by sheet, in the
    plan's order: added figures, added records, changed figures, changed records."""
    changes: list[Change] = []
    for name, sheet in plan.sheets.items():
        room = None if limit is None else limit - len(changes)
        if room is not None and room <= 0:
            break
        if sheet.added_frame is not None:
            changes += [_figure(name, "added", r)
                        for r in _first(sheet.added_frame, room)]
        changes += [Change(name, "added", str(record_key(name, r)), False,
                           tuple((f, None, v) for f, v in r.items() if not is_missing(v)))
                    for r in sheet.added[:room]]
        if sheet.changed_frame is not None:
            changes += [_figure(name, "changed", r)
                        for r in _first(sheet.changed_frame, room)]
        changes += [Change(name, "changed", str(record_key(name, new)), False,
                           tuple((f, old.get(f), v) for f, v in new.items()
                                 if not same(old.get(f), v)))
                    for old, new in sheet.changed[:room]]
    return changes if limit is None else changes[:limit]


def count_changes(plan: ImportPlan) -> int:
    """How many records the plan adds or changes (as many as plan_changes lists)."""
    return sum(p.n_added + p.n_changed for p in plan.sheets.values())


def _first(frame: pd.DataFrame, n: int | None) -> list[dict[str, Any]]:
    return (frame if n is None else frame.head(n)).to_dict("records")


def plan_deletions(plan: ImportPlan) -> list[Change]:
    """What an undo's plan withdraws (a figure: each field it had -> none) or deletes (a
    record it added, by its key)."""
    changes: list[Change] = []
    for name, sheet in plan.sheets.items():
        if sheet.deleted_frame is not None:
            changes += [_figure(name, "withdrawn", r) for r in _first(sheet.deleted_frame, None)]
        changes += [Change(name, "deleted", str(record_key(name, r)), False,
                           tuple((f, v, None) for f, v in r.items() if not is_missing(v)))
                    for r in sheet.deleted]
    return changes


def _figure(sheet: str, action: str, row: dict[str, Any]) -> Change:
    record = f"{row['owner']} {row['period']} {row['dimensions']}"
    if action == "added":
        fields = tuple((f, None, row[f]) for f in FIGURE_FIELDS
                       if f in row and not is_missing(row[f]))
    elif action == "withdrawn":
        fields = tuple((f, row[f], None) for f in FIGURE_FIELDS
                       if f in row and not is_missing(row[f]) and f != "status")
    else:
        fields = tuple((f, row[f + "_old"], row.get(f)) for f in FIGURE_FIELDS
                       if f + "_old" in row and not same(row[f + "_old"], row.get(f)))
    return Change(sheet, action, record, True, fields, str(row["owner"]), str(row["period"]),
                  str(row["dimensions"]))
