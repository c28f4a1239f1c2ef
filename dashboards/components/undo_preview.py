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


def preview_rows(preview: UndoPreview, namer: Namer) -> list[dict[str, Any]]:
    """One row per record the undo would restore: record in words, what happens, and each
    field as (field in words, value now, value after the undo)."""
    lang = current_language()
    rows = []
    for change in preview.changes:
        record = namer.figure(change.owner, change.period or "", change.dimensions) \
            if change.owner else f"{change.sheet}: {change.record}"
        action = {"changed": _("put back"), "added": _("added back"),
                  "withdrawn": _("withdrawn")}.get(change.action,
                                                   action_words(change.action, lang))
        rows.append({"record": record, "action": action, "fields": [
            (field_words(f, lang), shown(old), shown(new)) for f, old, new in change.fields]})
    return rows


def _values(fields: list[tuple[str, str, str]]) -> html.Ul:
    return html.Ul([html.Li([html.Strong(name), f": {now} → {after}"])
                    for name, now, after in fields], className="list-unstyled mb-0")


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
        heads = [_("Record"), _("What happens"), _("Now → after the undo")]
        n_values = sum(len(r["fields"]) for r in rows)
        parts.append(html.Div(dbc.Table([
            html.Caption(ngettext("{n} value would be restored, old → new",
                                  "{n} values would be restored, old → new",
                                  n_values).format(n=n_values)),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])),
            html.Tbody([html.Tr([
                html.Td(r["record"], **{"data-label": heads[0]}),
                html.Td(r["action"], **{"data-label": heads[1]}),
                html.Td(_values(r["fields"]), **{"data-label": heads[2]}),
            ]) for r in rows[:MAX_SHOWN]]),
        ], size="sm", striped=True, className="caption-top mb-0 rba-stack"),
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
