"""Showing import plans: what an upload would add and change, and every problem found.

The upload page and the entry grid check input and write it through rba.services.imports,
the CLI's path; what a plan would change is the listing `rba import` prints
(rba.report.changes), one row per field here.
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
from dashboards.components.tables import scroll_region
from dashboards.i18n import _, current_language, ngettext
from rba.i18n import render
from rba.messages import Message
from rba.services import imports, words
from rba.services.imports import MAX_FILE_BYTES, ImportPlan, InputRejected, Problem
from rba.services.words import Namer, action_words, column_words, field_words, sheet_words

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


MISSING_TEXT = "—"


def _shown(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return MISSING_TEXT
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


def plan_namer(session: Any, plan: ImportPlan | None) -> Namer | None:
    """A Namer (in the request's language) for the figures a plan would write."""
    if plan is None:
        return None
    codes = {c.owner for c in imports.changes(plan, MAX_SHOWN) if c.owner}
    return words.namer(session=session, codes=codes, lang=current_language())


def plan_changes(plan: ImportPlan, limit: int | None = None,
                 namer: Namer | None = None) -> list[dict[str, str]]:
    """The plan's additions and changes (rba.services.imports.changes), one row per field:
    sheet, action, record, field, old, new; a new descriptive record in one row naming it.
    With a ``namer``, in the reader's words: a figure by indicator name, period and group,
    the action and field in words (else as keys, which the fingerprint compares)."""
    rows: list[dict[str, str]] = []
    lang = namer.lang if namer else "en"
    for change in imports.changes(plan, limit):
        record = namer.figure(change.owner, change.period or "", change.dimensions) \
            if namer and change.owner else change.record
        sheet = sheet_words(change.sheet, lang) if namer else change.sheet
        action = action_words(change.action, lang) if namer else change.action
        if change.action == "added" and not change.figure:
            named = dict(change.fields)
            rows.append({"sheet": sheet, "action": action, "record": record,
                         "field": "", "old": MISSING_TEXT, "new": _shown(
                             named.get("name") or named.get("label") or named.get("value"))})
            continue
        rows += [{"sheet": sheet, "action": action, "record": record,
                  "field": field_words(field, lang) if namer else field, "old": _shown(old),
                  "new": _shown(new)} for field, old, new in change.fields]
    return rows


def fingerprint(plan: ImportPlan) -> str:
    """A digest of what the plan would write, to tell whether a re-check still matches."""
    text = json.dumps([plan.summary(), plan_changes(plan),
                       [str(p) for p in plan.problems]], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def summary_table(plan: ImportPlan) -> html.Div:
    """Per sheet: how many records would be added, changed, unchanged, skipped, rejected."""
    words = {"added": _("Added"), "changed": _("Changed"), "unchanged": _("Unchanged"),
             "skipped": _("Skipped"), "rejected": _("Rejected")}
    head = html.Thead(html.Tr([html.Th(_("Sheet"), scope="col")] + [
        html.Th(words[c], scope="col", className="text-end") for c in COUNTS]))
    body = html.Tbody([
        html.Tr([html.Th(sheet_words(name, current_language()), scope="row")] + [
            html.Td(f"{counts[c]:,}", className="text-end") for c in COUNTS])
        for name, counts in plan.summary().items()])
    caption = _("What the import would do, sheet by sheet")
    return scroll_region(dbc.Table([html.Caption(caption), head, body], id=ids.UPLOAD_SUMMARY,
                                   size="sm", bordered=True, className="caption-top w-auto"),
                         caption)


def changes_table(plan: ImportPlan, namer: Namer | None = None) -> html.Div:
    """The additions and changes, old -> new (the first few hundred), in words."""
    rows = plan_changes(plan, namer=namer)
    if not rows:
        return html.Div(html.P(_("Nothing would change: every record matches the store."),
                               className="text-body-secondary"), id=ids.UPLOAD_CHANGES)
    cols = [("sheet", _("Sheet")), ("action", _("Action")), ("record", _("Record")),
            ("field", _("Field")), ("old", _("Old")), ("new", _("New"))]
    table = dbc.Table([
        html.Caption(_("The changes, old → new")),
        html.Thead(html.Tr([html.Th(w, scope="col") for _c, w in cols])),
        html.Tbody([html.Tr([html.Td(r[c]) for c, _w in cols]) for r in rows[:MAX_SHOWN]]),
    ], size="sm", striped=True, className="caption-top")
    table = scroll_region(table, _("The changes, old → new"))
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
        html.Tbody([html.Tr([html.Td(v, **{"data-label": c}) for c, v in zip(cols, [
            render(p.file, lang), sheet_words(p.sheet, lang),
            "" if p.row is None else str(p.row), column_words(p.column, lang),
            p.value or "", render(p.detail, lang)], strict=True)])
            for p in problems[:limit]]),
    ], size="sm", bordered=True, className="table-danger problems-table")
    table = scroll_region(table, heading, stacked=True)
    more = [] if count <= limit else [html.P(_("… and {n:,} more problems").format(
        n=count - limit), className="small")]
    return html.Div([html.H3(heading, className="h5 text-danger"), table, *more],
                    id=component_id)
