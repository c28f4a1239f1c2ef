"""Batch page: what one import, grid save or command changed (coordinators and admins)."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards import ids
from dashboards.auth import EDITOR_READ, page_refusal
from dashboards.components.audit_trail import events_table, when
from dashboards.components.shell import PARTNERSHIP, message
from dashboards.data import read_session
from dashboards.i18n import _, use_language
from rba.services.audit import audit_events, batch_record


def title(batch_id: str | None = None, **_kw: Any) -> str:
    return f"{_('Batch')} {batch_id} · {PARTNERSHIP}" if batch_id else PARTNERSHIP


dash.register_page(__name__, path_template="/batches/<batch_id>", title=title, name="Batch")


def layout(batch_id: str | None = None, **_query: str) -> html.Div:
    """The batch's who, when, how and summary, and every audit event it wrote."""
    use_language(_query.get("lang"))
    refusal = page_refusal(EDITOR_READ, f"/batches/{batch_id or ''}")
    if refusal is not None:
        return refusal
    with read_session() as session:
        batch = batch_record(session=session, batch_id=batch_id or "")
        events = audit_events(session=session, batch=batch_id) if batch else []
    if batch is None:
        return html.Div(message(_("Batch not found"), _("No batch has the id “{id}”.").format(
            id=batch_id), component_id=ids.NOT_FOUND))
    facts = [(_("When"), when(batch["started_at"])), (_("Who"), batch["actor"]),
             (_("Source"), batch["source"]), (_("What"), batch["description"] or "—")]
    summary = batch["summary"] or {}
    counts = (("added", _("Added")), ("changed", _("Changed")), ("unchanged", _("Unchanged")))
    return html.Div([
        html.Nav(dcc.Link(_("All recent changes"), href="/history"), className="small mb-2"),
        html.H1([_("Batch "), html.Code(batch["id"])], className="h3"),
        html.Dl([p for term, text in facts for p in (html.Dt(term, className="col-sm-2"),
                                                      html.Dd(text, className="col-sm-10"))],
                className="row mb-3"),
        dbc.Table([
            html.Thead(html.Tr([html.Th(_("Sheet"))] + [html.Th(w, className="text-end")
                                                         for _c, w in counts])),
            html.Tbody([html.Tr([html.Td(name)] + [
                html.Td(f"{n.get(c, 0):,}", className="text-end") for c, _w in counts])
                for name, n in summary.items()]),
        ], size="sm", className="w-auto") if summary else html.Div(),
        html.H2(_("Records changed"), className="h5"),
        events_table(events, component_id=ids.BATCH_TABLE, with_entity=True),
    ])
