"""Checking uploads and showing import plans: the dashboard's side of `rba import`.

The upload page and the entry grid read input with rba.workbook.read, plan it with
rba.ingest.plan_sheets and write it with rba.store.writes.apply_plan: the CLI's path.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboards import ids
from dashboards.i18n import _, current_language, ngettext
from rba.i18n import render
from rba.ingest import ImportPlan, InputRejected, Problem
from rba.ingest.metadata import record_key
from rba.messages import Message
from rba.workbook.read import MAX_FILE_BYTES, RawSheet, read_csv, read_xlsx
from rba.workbook.spec import SHEETS_BY_NAME, sheet_for_filename

FIGURE_FIELDS = ("value", "numerator", "denominator", "status", "note", "rationale")
MAX_SHOWN = 500
COUNTS = ("added", "changed", "unchanged", "skipped", "rejected")


def _reject(file: str, message: str) -> InputRejected:
    """A refusal whose message is already in the request's language."""
    return InputRejected([Problem(file, "", None, None, None, Message(message))])


def decode_upload(contents: str | None, filename: str | None) -> tuple[bytes, str]:
    """The bytes and name of a dcc.Upload file, refusing anything over the size limit."""
    name = (filename or "upload").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    if not contents or "," not in contents:
        raise _reject(name, _("no file content was received: choose the file again"))
    encoded = contents.split(",", 1)[1]
    if len(encoded) > MAX_FILE_BYTES * 4 // 3 + 4:
        raise _reject(name, _("the file is larger than the limit of {limit:,} bytes").format(
            limit=MAX_FILE_BYTES))
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _reject(name, _("the upload could not be decoded; choose the file again")
                      ) from exc
    if len(data) > MAX_FILE_BYTES:
        raise _reject(name, _("the file is {size:,} bytes; the limit is {limit:,}").format(
            size=len(data), limit=MAX_FILE_BYTES))
    return data, name


def read_upload(data: bytes, name: str) -> list[RawSheet]:
    """The sheets of an uploaded .xlsx, or the one sheet of a .csv named after its sheet."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, name)
    if suffix in (".csv", ".txt"):
        spec = sheet_for_filename(name)
        if spec is None:
            raise _reject(name, _("cannot tell which sheet this CSV holds: name the file after "
                                  "a sheet (e.g. observations.csv); sheets: {sheets}").format(
                sheets=", ".join(SHEETS_BY_NAME)))
        return [read_csv(data, name, spec.name)]
    raise _reject(name, _("expected a .xlsx workbook or a .csv file, not {suffix}").format(
        suffix=suffix or _("a file without a suffix")))


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "—"
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def _same(a: Any, b: Any) -> bool:
    return _shown(a) == _shown(b)


def plan_changes(plan: ImportPlan) -> list[dict[str, str]]:
    """Every addition and change of a plan as rows: sheet, action, record, field, old, new."""
    rows: list[dict[str, str]] = []
    for name, sheet in plan.sheets.items():
        frames = [("added", sheet.added_frame), ("changed", sheet.changed_frame)]
        for action, frame in frames:
            if frame is None:
                continue
            for r in frame.to_dict("records"):
                record = f"{r['owner']} {r['period']} {r['dimensions']}"
                for field in FIGURE_FIELDS:
                    if field not in r or (action == "added" and _shown(r.get(field)) == "—"):
                        continue
                    if action == "changed" and field + "_old" not in r:
                        continue
                    old = r.get(field + "_old") if action == "changed" else None
                    if action == "changed" and _same(old, r.get(field)):
                        continue
                    rows.append({"sheet": name, "action": action, "record": record,
                                 "field": field, "old": _shown(old),
                                 "new": _shown(r.get(field))})
        for r in sheet.added:
            rows.append({"sheet": name, "action": "added", "record": str(record_key(name, r)),
                         "field": "", "old": "—", "new": _shown(
                             r.get("name") or r.get("label") or r.get("value"))})
        for old, new in sheet.changed:
            for field, value in new.items():
                if not _same(old.get(field), value):
                    rows.append({"sheet": name, "action": "changed",
                                 "record": str(record_key(name, new)), "field": field,
                                 "old": _shown(old.get(field)), "new": _shown(value)})
    return rows


def fingerprint(plan: ImportPlan) -> str:
    """A digest of what the plan would write, to tell whether a re-check still matches."""
    text = json.dumps([plan.summary(), plan_changes(plan),
                       [str(p) for p in plan.problems]], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def summary_table(plan: ImportPlan) -> dbc.Table:
    """Per sheet: how many records would be added, changed, unchanged, skipped, rejected."""
    words = {"added": _("Added"), "changed": _("Changed"), "unchanged": _("Unchanged"),
             "skipped": _("Skipped"), "rejected": _("Rejected")}
    head = html.Thead(html.Tr([html.Th(_("Sheet"), scope="col")] + [
        html.Th(words[c], scope="col", className="text-end") for c in COUNTS]))
    body = html.Tbody([
        html.Tr([html.Th(name, scope="row")] + [
            html.Td(f"{counts[c]:,}", className="text-end") for c in COUNTS])
        for name, counts in plan.summary().items()])
    return dbc.Table([html.Caption(_("What the import would do, sheet by sheet")), head, body],
                     id=ids.UPLOAD_SUMMARY, size="sm", bordered=True,
                     className="caption-top w-auto")


def changes_table(plan: ImportPlan) -> html.Div:
    """The additions and changes, old -> new (the first few hundred)."""
    rows = plan_changes(plan)
    if not rows:
        return html.Div(html.P(_("Nothing would change: every record matches the store."),
                               className="text-body-secondary"), id=ids.UPLOAD_CHANGES)
    cols = [("sheet", _("Sheet")), ("action", _("Action")), ("record", _("Record")),
            ("field", _("Field")), ("old", _("Old")), ("new", _("New"))]
    table = dbc.Table([
        html.Caption(_("The changes, old → new")),
        html.Thead(html.Tr([html.Th(w, scope="col") for _c, w in cols])),
        html.Tbody([html.Tr([html.Td(r[c]) for c, _w in cols]) for r in rows[:MAX_SHOWN]]),
    ], size="sm", striped=True, responsive=True, className="caption-top")
    more = [] if len(rows) <= MAX_SHOWN else [html.P(_("… and {n:,} more changes").format(
        n=len(rows) - MAX_SHOWN), className="small")]
    return html.Div([table, *more], id=ids.UPLOAD_CHANGES)


def problems_table(problems: list[Problem], component_id: str = ids.UPLOAD_PROBLEMS,
                   limit: int = 2000) -> html.Div:
    """Every problem with file, sheet, row, column, value and what was expected (in the
    request's language)."""
    lang = current_language()
    count = len(problems)
    heading = ngettext("{n:,} problem: nothing was written",
                       "{n:,} problems: nothing was written", count).format(n=count)
    cols = [_("File"), _("Sheet"), _("Row"), _("Column"), _("Value"), _("What was expected")]
    table = dbc.Table([
        html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])),
        html.Tbody([html.Tr([html.Td(render(p.file, lang)), html.Td(p.sheet),
                             html.Td("" if p.row is None else str(p.row)),
                             html.Td(p.column or ""), html.Td(p.value or ""),
                             html.Td(render(p.detail, lang))]) for p in problems[:limit]]),
    ], size="sm", bordered=True, responsive=True, className="table-danger")
    more = [] if count <= limit else [html.P(_("… and {n:,} more problems").format(
        n=count - limit), className="small")]
    return html.Div([html.H3(heading, className="h5 text-danger"), table, *more],
                    id=component_id)
