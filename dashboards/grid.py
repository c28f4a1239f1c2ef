"""The entry grid's rows: built from rba.store.grid, checked and saved with the import's rules.

Each grid row carries the text the user typed (value, numerator, denominator, status, note)
and what was loaded (``_orig``, ``_rev``), so a save knows which cells were edited and at
which revision. Checking builds a RawSheet from the edited rows and runs
rba.ingest.plan_sheets, so the grid and an uploaded file obey exactly the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from dashboards.i18n import _
from rba.ingest import ImportPlan, Problem, plan_sheets
from rba.report.format import format_value, series_label, unit_words
from rba.workbook.read import RawSheet

EDITABLE = ["value", "numerator", "denominator", "status", "note"]
SOURCE = "entry grid"


def text(value: Any) -> str:
    """A stored figure as the text a user would type ('' for none)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(getattr(value, "value", value))


def history_link(indicator: str, period: str, dimensions: str) -> str:
    """The history page of one value, as a markdown link for the grid."""
    query = urlencode({"entity": "observation", "id": f"{indicator}|{period}|{dimensions}"})
    return f"[{_('History')}](/history?{query})"


def grid_rows(frame: pd.DataFrame, dims: list[str], labels: dict) -> list[dict[str, Any]]:
    """Grid rows from rba.store.grid.entry_grid's frame."""
    rows = []
    for number, r in enumerate(frame.to_dict("records"), start=1):
        entered = {f: text(r.get(f)) for f in EDITABLE}
        locked = isinstance(r.get("locked_by"), str)
        revision = None if pd.isna(r.get("revision")) else int(r["revision"])
        rows.append({
            "row_id": f"{r['indicator']}|{r['period']}|{r['dimensions']}", "n": number,
            "indicator": r["indicator"], "name": r["name"], "period": r["period"],
            "dimensions": r["dimensions"],
            **{d: text(r.get(d)) for d in dims},
            "group": series_label(r["dimensions"], labels),
            "unit": unit_words(r["unit"], r.get("per")),
            "previous": "" if pd.isna(r.get("previous_value")) else format_value(
                r["previous_value"], r["unit"], r.get("per")),
            "previous_period": r.get("previous_period"),
            **entered, "_orig": entered, "_rev": revision,
            "entered_by": r.get("entered_by") or "",
            "locked": locked, "locked_by": r["locked_by"] if locked else "",
            "lock": _("Locked by {who}").format(who=r["locked_by"]) if locked else "",
            "history": history_link(r["indicator"], r["period"], r["dimensions"])
            if revision else "",
            "problem": "", "problem_cols": [],
        })
    return rows


def edited(row: dict[str, Any]) -> bool:
    """Whether the user changed any entry of this row since it was loaded."""
    original = row.get("_orig") or {}
    return any(text(row.get(f)).strip() != text(original.get(f)).strip() for f in EDITABLE)


def raw_sheet(rows: list[dict[str, Any]], dims: Iterable[str]) -> RawSheet:
    """The rows as an observations sheet of text cells, numbered as the grid numbers them."""
    columns = ["indicator", "period", *EDITABLE, *dims]
    cells = pd.DataFrame([[text(r.get(c)).strip() for c in columns] for r in rows],
                         columns=columns, dtype="object")
    numbers = pd.Series([int(r["n"]) for r in rows], dtype="int64")
    return RawSheet(SOURCE, "observations", cells, numbers)


def check(session: Any, rows: list[dict[str, Any]], dims: list[str]) -> ImportPlan:
    """The import plan of the edited rows (problems and all); writes nothing."""
    return plan_sheets(session, [raw_sheet(rows, dims)], file=SOURCE)


def mark(rows: list[dict[str, Any]], problems: list[Problem],
         notes: dict[str, str] | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Rows with each row's problems (and notes by row id) written in; sheet-wide problems."""
    by_row: dict[int, list[Problem]] = {}
    general = []
    for problem in problems:
        if problem.row is None:
            general.append(problem)
        else:
            by_row.setdefault(problem.row, []).append(problem)
    notes = notes or {}
    marked = []
    for row in rows:
        found = by_row.get(int(row["n"]), [])
        messages = [f"{p.column}: {p.message}" if p.column else p.message for p in found]
        if row["row_id"] in notes:
            messages.append(notes[row["row_id"]])
        marked.append({**row, "problem": "; ".join(messages),
                       "problem_cols": sorted({p.column for p in found if p.column})})
    return marked, general


def refresh(session: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same rows with their stored values, revisions and authors read again."""
    from rba.store.grid import current_values

    if not rows:
        return []
    current = current_values(session=session, codes={r["indicator"] for r in rows},
                             periods={r["period"] for r in rows})
    stored = {f"{c['indicator']}|{c['period']}|{c['dimensions']}": c
              for c in current.to_dict("records")}
    fresh = []
    for row in rows:
        now = stored.get(row["row_id"])
        entered = {f: text(now.get(f)) if now else "" for f in EDITABLE}
        revision = int(now["revision"]) if now else None
        fresh.append({**row, **entered, "_orig": entered, "_rev": revision,
                      "entered_by": (now or {}).get("entered_by") or "",
                      "history": history_link(row["indicator"], row["period"],
                                              row["dimensions"]) if revision else "",
                      "problem": "", "problem_cols": []})
    return fresh
