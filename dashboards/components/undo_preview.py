"""An undo's preview in words: every value it would put back (old → new), and what stops it
(values changed since, locked periods). The batch page shows it before "Confirm undo"."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboards import ids
from dashboards.components.audit_trail import shown
from dashboards.i18n import _, current_language, ngettext
from rba.services.imports import UndoPreview
from rba.services.words import Namer, action_words, field_words

MAX_SHOWN = 500


def preview_rows(preview: UndoPreview, namer: Namer) -> list[dict[str, str]]:
    """One row per field the undo would restore: record in words, what happens, field,
    value now, value after the undo."""
    lang = current_language()
    rows = []
    for change in preview.changes:
        record = namer.figure(change.owner, change.period or "", change.dimensions) \
            if change.owner else f"{change.sheet}: {change.record}"
        action = {"changed": _("put back"), "added": _("added back"),
                  "withdrawn": _("withdrawn")}.get(change.action,
                                                   action_words(change.action, lang))
        rows += [{"record": record, "action": action, "field": field_words(f, lang),
                  "now": shown(old), "after": shown(new)} for f, old, new in change.fields]
    return rows


def blocking_lines(preview: UndoPreview, namer: Namer) -> list[str]:
    """What stops the undo, one line each, in words."""
    lang = current_language()
    lines = [_("{record}: {field} was changed after this batch (it left {left}, it is now "
               "{now}). Undo the later batches first, newest first.").format(
        record=namer.figure(r.owner, r.period, r.dimensions), field=field_words(r.field, lang),
        left=shown(r.left), now=shown(r.now)) for r in preview.later.itertuples()]
    lines += [_("{record} is locked (by {who}): an admin must unlock it on the Locks page "
                "first.").format(record=namer.figure(r.owner, r.period), who=r.locked_by)
              for r in preview.locked.itertuples()]
    return lines


def preview_fingerprint(preview: UndoPreview) -> str:
    """A digest of what the undo would write, to tell whether the confirmation still
    matches what was shown."""
    text = json.dumps([[c.sheet, c.action, c.record, [list(map(str, f)) for f in c.fields]]
                       for c in preview.changes], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def preview_view(preview: UndoPreview, namer: Namer) -> list[Any]:
    """The preview: what the undo would restore, and what cannot be restored."""
    rows = preview_rows(preview, namer)
    blocking = blocking_lines(preview, namer)
    parts: list[Any] = [html.H2(_("What undoing this batch would do"), className="h5")]
    if rows:
        cols = [("record", _("Record")), ("action", _("What happens")), ("field", _("Field")),
                ("now", _("Now")), ("after", _("After the undo"))]
        parts.append(html.Div(dbc.Table([
            html.Caption(ngettext("{n} value would be restored, old → new",
                                  "{n} values would be restored, old → new",
                                  len(rows)).format(n=len(rows))),
            html.Thead(html.Tr([html.Th(w, scope="col") for _c, w in cols])),
            html.Tbody([html.Tr([html.Td(r[c]) for c, _w in cols]) for r in rows[:MAX_SHOWN]]),
        ], size="sm", striped=True, className="caption-top mb-0"),
            className="table-responsive rba-undo-table", tabIndex=0,
            role="region", **{"aria-label": _("What undoing this batch would do")}))
    if blocking:
        parts.append(dbc.Alert([
            html.Strong(_("This batch cannot be undone as it stands; nothing will be "
                          "changed:")),
            html.Ul([html.Li(line) for line in blocking], className="mb-0"),
        ], color="warning", id=ids.UNDO_BLOCKED, className="mt-2"))
    else:
        parts.append(html.P(_("Nothing has been changed yet. Confirm to undo it as one new "
                              "batch, recorded under your name."), className="mt-2 mb-1"))
    return parts
