"""History pages: every audit event of one value, and the recent batches (editors only)."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboards import ids
from dashboards.auth import EDITOR_READ, page_refusal
from dashboards.components.audit_trail import PATH, events_table, when
from dashboards.components.shell import PARTNERSHIP
from dashboards.data import read_session
from dashboards.i18n import _, current_language, use_language
from rba.services.audit import audit_events, recent_batches
from rba.services.words import source_words

dash.register_page(__name__, path=PATH,
                   title=lambda **_kw: f"{_('History')} · {PARTNERSHIP}", name="History")

def batches_view() -> html.Div:
    """The latest batches, newest first."""
    with read_session() as session:
        batches = recent_batches(session=session)
    if not batches:
        return html.P(_("No changes have been recorded yet."), id=ids.BATCH_LIST)
    head = [_("Batch"), _("When"), _("Who"), _("Source"), _("What"), _("Records")]
    body = [html.Tr([html.Td(dcc.Link(b["id"], href=f"/batches/{b['id']}")),
                     html.Td(when(b["started_at"]), className="text-nowrap"),
                     html.Td(b["actor"]), html.Td(source_words(b["source"], current_language())),
                     html.Td(b["description"] or ""), html.Td(f"{b['events']:,}",
                                                              className="text-end")])
            for b in batches]
    return dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                      html.Tbody(body)], id=ids.BATCH_LIST, size="sm", striped=True,
                     responsive=True)


def layout(entity: str | None = None, id: str | None = None, **_query: str  # noqa: A002
           ) -> html.Div:
    """One record's history (entity and id given), else the recent batches."""
    use_language(_query.get("lang"))
    refusal = page_refusal(EDITOR_READ, PATH)
    if refusal is not None:
        return refusal
    if not entity or not id:
        return html.Div([html.H1(_("Recent changes"), className="h2"),
                         html.P([_("Every import, grid save and command is one batch; open "
                                   "one to see each record it changed."), " ",
                                 html.A(_("Lock or unlock a period"), href="/locks")],
                                className="text-body-secondary"),
                         batches_view()])
    with read_session() as session:
        events = audit_events(session=session, entity=entity, entity_id=id)
    body: Any = events_table(events, component_id=ids.HISTORY_TABLE) if events else html.P(
        _("No recorded changes for this record."), id=ids.HISTORY_TABLE)
    return html.Div([
        html.Nav(dcc.Link(_("All recent changes"), href=PATH), className="small mb-2"),
        html.H1(_("History of {entity} {id}").format(entity=entity, id=id), className="h3"),
        html.P(_("Every change of this record, oldest first: who made it, when, how, and "
                 "what it was before and after."), className="text-body-secondary"),
        body,
    ])
