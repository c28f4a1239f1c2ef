"""The entry grid's rows: built from rba.store.grid, checked and saved with the import's rules.

Each grid row carries the text the user typed (value, numerator, denominator, status, note)
and what was loaded (``_orig``, ``_rev``), so a save knows which cells were edited and at
which revision. Checking builds a RawSheet from the edited rows and runs
rba.ingest.plan_sheets, so the grid and an uploaded file obey exactly the same rules: an
``observations`` sheet for a team's indicators, a ``measure_observations`` sheet for a
program's performance measures (whose rows name a ``measure`` instead of an indicator).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from dashboards.i18n import N_, _, current_language
from rba.i18n import format_value, label, localized, render, series_label, unit_words
from rba.messages import Message
from rba.services import entry, imports
from rba.services.imports import ImportPlan, Problem

EDITABLE = ["value", "numerator", "denominator", "status", "note"]
#: What the grid's problems name as their file (a sheet-wide problem shows it).
SOURCE = Message(N_("entry grid"))
#: The sheet a grid's rows are checked as, and the column naming each row's owner.
TEAM_SHEET, PROGRAM_SHEET = "observations", "measure_observations"
OWNER_COLUMN = {TEAM_SHEET: "indicator", PROGRAM_SHEET: "measure"}
HISTORY_ENTITY = {"indicator": "observation", "measure": "measure_observation"}


def text(value: Any) -> str:
    """A stored figure as the text a user would type ('' for none)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(getattr(value, "value", value))


def history_link(indicator: str, period: str, dimensions: str,
                 entity: str = "observation") -> str:
    """The history page of one value, as a markdown link for the grid."""
    query = urlencode({"entity": entity, "id": f"{indicator}|{period}|{dimensions}"})
    return f"[{_('History')}](/history?{query})"


def owner_of(row: dict[str, Any]) -> str:
    """Which column names the row's owner: "measure" for a program's rows, else "indicator"."""
    return "measure" if "measure" in row else "indicator"


def grid_rows(frame: pd.DataFrame, dims: list[str], labels: dict, lang: str = "en"
              ) -> list[dict[str, Any]]:
    """Grid rows from rba.store.grid.entry_grid's frame (groups, units, figures in ``lang``;
    ``labels`` should be a label map in that language)."""
    return [{**entry_fields(r, number, "indicator", lang), "name": r["name"],
             **{d: text(r.get(d)) for d in dims},
             "group": series_label(r["dimensions"], labels, lang=lang)}
            for number, r in enumerate(frame.to_dict("records"), start=1)]


def entry_fields(r: dict[str, Any], number: int, owner: str, lang: str) -> dict[str, Any]:
    """What every grid row carries, an indicator's or a measure's: its key, unit, last
    period's value, the entries as loaded (and their revision), its lock and history."""
    entered = {f: text(r.get(f)) for f in EDITABLE}
    locked = isinstance(r.get("locked_by"), str)
    revision = None if pd.isna(r.get("revision")) else int(r["revision"])
    return {
        "row_id": f"{r[owner]}|{r['period']}|{r['dimensions']}", "n": number,
        owner: r[owner], "period": r["period"], "dimensions": r["dimensions"],
        "unit": unit_words(r["unit"], r.get("per"), lang),
        "previous": "" if pd.isna(r.get("previous_value")) else format_value(
            r["previous_value"], r["unit"], r.get("per"), lang),
        "previous_period": r.get("previous_period"),
        **entered, "_orig": entered, "_rev": revision,
        "entered_by": r.get("entered_by") or "",
        "locked": locked, "locked_by": r["locked_by"] if locked else "",
        "lock": _("Locked by {who}").format(who=r["locked_by"]) if locked else "",
        "history": history_link(r[owner], r["period"], r["dimensions"],
                                HISTORY_ENTITY[owner]) if revision else "",
        "problem": "", "problem_cols": [],
    }


def measure_grid_rows(frame: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Grid rows from rba.store.grid.program_grid's frame: one per performance measure."""
    return [{**entry_fields(r, number, "measure", lang), "name": localized(r, "name", lang),
             "kind": label("measure_kind", r["kind"], lang)}
            for number, r in enumerate(frame.to_dict("records"), start=1)]


def edited(row: dict[str, Any]) -> bool:
    """Whether the user changed any entry of this row since it was loaded."""
    original = row.get("_orig") or {}
    return any(text(row.get(f)).strip() != text(original.get(f)).strip() for f in EDITABLE)


def grid_cells(rows: list[dict[str, Any]], dims: Iterable[str], sheet: str = TEAM_SHEET
               ) -> tuple[pd.DataFrame, pd.Series]:
    """The rows as the text cells of an observations (or measure_observations) sheet, and
    their numbers as the grid numbers them."""
    # Each dimension once, whatever the page's store says (the browser can send anything).
    columns = [OWNER_COLUMN[sheet], "period", *EDITABLE, *dict.fromkeys(map(str, dims))]
    cells = pd.DataFrame([[text(r.get(c)).strip() for c in columns] for r in rows],
                         columns=columns, dtype="object")
    numbers = pd.Series([int(r["n"]) for r in rows], dtype="int64")
    return cells, numbers


def check(session: Any, rows: list[dict[str, Any]], dims: list[str],
          sheet: str = TEAM_SHEET) -> ImportPlan:
    """The import plan of the edited rows (problems and all); writes nothing.

    Rows in a locked period are problems, indicators' and measures' alike: the import
    reads the locks from the store, never from what the browser says is locked.
    """
    cells, numbers = grid_cells(rows, dims, sheet)
    return imports.plan_cells(session=session, file=SOURCE, sheet=sheet, cells=cells,
                              rows=numbers)


def problem_words(problem: Problem, lang: str) -> str:
    """A problem as a grid row shows it, in a language: the column, then what is wrong."""
    return render(problem.in_column, lang)


def mark(rows: list[dict[str, Any]], problems: list[Problem],
         notes: dict[str, str] | None = None) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Rows with each row's problems (and notes by row id) written in, in the request's
    language; sheet-wide problems."""
    lang = current_language()
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
        messages = [problem_words(p, lang) for p in found]
        if row["row_id"] in notes:
            messages.append(notes[row["row_id"]])
        marked.append({**row, "problem": "; ".join(messages),
                       "problem_cols": sorted({p.column for p in found if p.column})})
    return marked, general


def refresh(session: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same rows with their stored values, revisions and authors read again."""
    if not rows:
        return []
    owner = owner_of(rows[0])
    current = entry.current_values(session=session, codes={r[owner] for r in rows},
                             periods={r["period"] for r in rows}, owner=owner)
    stored = {f"{c[owner]}|{c['period']}|{c['dimensions']}": c
              for c in current.to_dict("records")}
    fresh = []
    for row in rows:
        now = stored.get(row["row_id"])
        entered = {f: text(now.get(f)) if now else "" for f in EDITABLE}
        revision = int(now["revision"]) if now else None
        fresh.append({**row, **entered, "_orig": entered, "_rev": revision,
                      "entered_by": (now or {}).get("entered_by") or "",
                      "history": history_link(row[owner], row["period"], row["dimensions"],
                                              HISTORY_ENTITY[owner]) if revision else "",
                      "problem": "", "problem_cols": []})
    return fresh


def column_defs(dims: list[str], program: bool = False) -> list[dict[str, Any]]:
    """The grid's columns: what the row is, last period's value, the entries, who and status.

    A program's grid names each performance measure and its kind instead of an indicator
    and its group.
    """
    can_edit = {"function": "!params.data.locked"}
    problem_cell = {"rba-cell-problem":
                    "params.data.problem_cols && params.data.problem_cols.includes("
                    "params.colDef.field)"}
    entry = {"editable": can_edit, "cellClassRules": problem_cell, "width": 120,
             "cellClass": "rba-entry"}
    number = {**entry, "cellClass": ["rba-entry", "ag-right-aligned-cell"],
              "headerClass": "ag-right-aligned-header"}
    if program:
        what: list[dict[str, Any]] = [
            {"field": "name", "headerName": _("Performance measure"), "pinned": "left",
             "width": 210, "tooltipField": "measure", "wrapText": True, "autoHeight": True},
            {"field": "kind", "headerName": _("Kind"), "width": 190, "wrapText": True,
             "autoHeight": True}]
    else:
        what = [
            # Narrow enough that a phone shows the entries beside the pinned name.
            {"field": "name", "headerName": _("Indicator"), "pinned": "left", "width": 180,
             "tooltipField": "indicator", "wrapText": True, "autoHeight": True},
            {"field": "group", "headerName": _("Group"), "width": 150, "wrapText": True,
             "autoHeight": True}]
    return [
        *what,
        {"field": "unit", "headerName": _("Unit"), "width": 130, "wrapText": True,
         "autoHeight": True},
        {"field": "period", "headerName": _("Period"), "width": 90},
        {"field": "previous", "headerName": _("Previous period"), "width": 140,
         "type": "rightAligned", "headerTooltip": _("The value of the period before")},
        {"field": "value", "headerName": _("Value"), **number},
        {"field": "numerator", "headerName": _("Numerator"), **number},
        {"field": "denominator", "headerName": _("Denominator"), **number},
        {"field": "problem", "headerName": _("Problems"), "width": 340, "wrapText": True,
         "autoHeight": True, "cellClass": "rba-problem-text"},
        {"field": "status", "headerName": _("Status"), **entry, "cellEditor": "agSelectCellEditor",
         "cellEditorParams": {"values": ["", "provisional", "final"]}},
        {"field": "note", "headerName": _("Note"), **entry, "width": 200},
        {"field": "lock", "headerName": _("Lock"), "width": 150},
        {"field": "entered_by", "headerName": _("Last entered by"), "width": 190},
        {"field": "history", "headerName": _("History"), "width": 100,
         "cellRenderer": "markdown"},
    ]
