"""Batch page: what one import, grid save or command changed (coordinators and admins), and
its undo: a first click shows what would be restored and what cannot be, a second writes it
as one new batch under the signed-in person's name (rba.services.imports, as `rba import
undo` does)."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from dashboards import ids
from dashboards.auth import EDITOR_READ, EDITOR_WRITE, page_refusal, require, secure_callback
from dashboards.components.audit_trail import events_table, when
from dashboards.components.shell import PARTNERSHIP, message
from dashboards.components.undo_preview import preview_fingerprint, preview_view
from dashboards.data import read_session, session_factory
from dashboards.i18n import _, current_language, use_language
from rba.i18n import render
from rba.services import imports, words
from rba.services.audit import audit_events, batch_record
from rba.services.database import DatabaseError, session_scope
from rba.services.imports import LockError, StillInUse, UndoError

HIDDEN, SHOWN = "d-none", "mt-1"


def title(batch_id: str | None = None, **_kw: Any) -> str:
    return f"{_('Batch')} {batch_id} · {PARTNERSHIP}" if batch_id else PARTNERSHIP


dash.register_page(__name__, path_template="/batches/<batch_id>", title=title, name="Batch")


def layout(batch_id: str | None = None, **_query: str) -> html.Div:
    """The batch's who, when, how and summary, its undo, and every audit event it wrote."""
    use_language(_query.get("lang"))
    refusal = page_refusal(EDITOR_READ, f"/batches/{batch_id or ''}")
    if refusal is not None:
        return refusal
    lang = current_language()
    with read_session() as session:
        batch = batch_record(session=session, batch_id=batch_id or "")
        events = audit_events(session=session, batch=batch_id) if batch else []
        namer = words.namer(session=session, lang=lang, codes={
            e["entity_id"].split("|", 1)[0] for e in events
            if e["entity"] in words.FIGURE_ENTITIES})
    if batch is None:
        return html.Div(message(_("Batch not found"), _("No batch has the id “{id}”.").format(
            id=batch_id), component_id=ids.NOT_FOUND))
    facts = [(_("When"), when(batch["started_at"])), (_("Who"), batch["actor"]),
             (_("Source"), words.source_words(batch["source"], lang)),
             (_("What"), batch["description"] or "—")]
    summary = batch["summary"] or {}
    return html.Div([
        html.Nav(dcc.Link(_("All recent changes"), href="/history"), className="small mb-2"),
        html.H1([_("Batch "), html.Code(batch["id"])], className="h3"),
        html.Dl([p for term, text in facts for p in (html.Dt(term, className="col-sm-2"),
                                                      html.Dd(text, className="col-sm-10"))],
                className="row mb-3"),
        summary_table(summary, lang) if summary else html.Div(),
        undo_panel(batch["id"]),
        html.H2(_("Records changed"), className="h5"),
        events_table(events, component_id=ids.BATCH_TABLE, with_entity=True, namer=namer,
                     stacked=True),
    ])


def summary_table(summary: dict[str, dict[str, int]], lang: str) -> html.Div:
    """Per sheet (named as the reader's template names it): added, changed, unchanged."""
    counts = (("added", _("Added")), ("changed", _("Changed")), ("unchanged", _("Unchanged")))
    return html.Div(dbc.Table([
        html.Thead(html.Tr([html.Th(_("Sheet"))] + [html.Th(w, className="text-end")
                                                     for _c, w in counts])),
        html.Tbody([html.Tr([html.Td(words.sheet_words(name, lang))] + [
            html.Td(f"{n.get(c, 0):,}", className="text-end", **{"data-label": w})
            for c, w in counts]) for name, n in summary.items()]),
    ], size="sm", className="w-auto rba-stack"), className="table-responsive")


def undo_panel(batch_id: str) -> html.Section:
    """The undo button, its preview and the confirmation (coordinators and admins)."""
    return html.Section([
        dcc.Store(id=ids.UNDO_BATCH, data=batch_id),
        dcc.Store(id=ids.UNDO_CHECKED),
        dbc.Button(_("Undo this batch"), id=ids.UNDO_BUTTON, color="secondary", outline=True),
        dcc.Loading(html.Div(id=ids.UNDO_PREVIEW, className="mt-2"),
                    custom_spinner=html.Span(_("Reading what the batch changed…"))),
        # Below the preview it confirms, so it is read before it is pressed.
        dbc.Button(_("Confirm undo"), id=ids.UNDO_CONFIRM, color="danger", className=HIDDEN),
        dcc.Loading(html.Div(id=ids.UNDO_DONE, className="mt-2"),
                    custom_spinner=html.Span(_("Undoing…"))),
    ], className="mb-4 rba-undo", **{"aria-label": _("Undo this batch")})


def read_preview(session: Any, batch_id: str) -> tuple[imports.UndoPreview, words.Namer]:
    preview = imports.undo_preview(session=session, batch_id=batch_id)
    return preview, words.namer(session=session, codes=preview.owners,
                                lang=current_language())


@secure_callback(
    EDITOR_WRITE,
    Output(ids.UNDO_PREVIEW, "children"),
    Output(ids.UNDO_CHECKED, "data"),
    Output(ids.UNDO_CONFIRM, "className"),
    Output(ids.UNDO_DONE, "children"),
    Input(ids.UNDO_BUTTON, "n_clicks"),
    State(ids.UNDO_BATCH, "data"),
    prevent_initial_call=True,
)
def preview_undo(n_clicks: int | None, batch_id: str | None) -> tuple[Any, Any, str, Any]:
    """First click: show what the undo would restore and what stops it; write nothing."""
    if not n_clicks or not isinstance(batch_id, str):
        return no_update, no_update, HIDDEN, no_update
    try:
        with read_session() as session:
            preview, namer = read_preview(session, batch_id)
    except UndoError as exc:
        return (dbc.Alert(render(exc.detail, current_language()), color="warning",
                          id=ids.UNDO_BLOCKED), None, HIDDEN, [])
    if preview.blocked:
        return preview_view(preview, namer), None, HIDDEN, []
    checked = {"batch": batch_id, "fingerprint": preview_fingerprint(preview)}
    return preview_view(preview, namer), checked, SHOWN, []


@secure_callback(
    EDITOR_WRITE,
    Output(ids.UNDO_DONE, "children", allow_duplicate=True),
    Output(ids.UNDO_CHECKED, "data", allow_duplicate=True),
    Output(ids.UNDO_CONFIRM, "className", allow_duplicate=True),
    Output(ids.UNDO_PREVIEW, "children", allow_duplicate=True),
    Input(ids.UNDO_CONFIRM, "n_clicks"),
    State(ids.UNDO_BATCH, "data"),
    State(ids.UNDO_CHECKED, "data"),
    prevent_initial_call=True,
)
def confirm_undo(n_clicks: int | None, batch_id: str | None, checked: dict | None
                 ) -> tuple[Any, Any, str, Any]:
    """Second click: undo the batch as one new batch by the signed-in person, if it would
    still restore exactly what the preview showed."""
    user = require(EDITOR_WRITE)
    assert user is not None
    lang = current_language()
    if not n_clicks or not isinstance(checked, dict) or checked.get("batch") != batch_id \
            or not isinstance(batch_id, str):
        return (dbc.Alert(_("Show what the undo would do before confirming it."),
                          color="warning"), None, HIDDEN, no_update)
    try:
        with session_scope(session_factory()) as session:
            preview, namer = read_preview(session, batch_id)
            if preview.blocked or preview_fingerprint(preview) != checked.get("fingerprint"):
                raise Changed(preview_view(preview, namer))
            new = imports.undo(session=session, batch_id=batch_id, actor=user.email,
                               source="undo")
    except Changed as changed:
        return (dbc.Alert(_("Something changed since the preview, so the undo would now do "
                            "something else. The new preview is shown: read it, then "
                            "confirm again."), color="warning"), None, HIDDEN, changed.view)
    except (UndoError, StillInUse, LockError) as exc:
        return (dbc.Alert(_("Nothing was changed: {error}").format(
            error=render(exc.detail, lang)), color="danger"), None, HIDDEN, no_update)
    except DatabaseError as exc:
        return (dbc.Alert(_("Nothing was changed: {error}").format(error=exc),
                          color="danger"), None, HIDDEN, no_update)
    return (dbc.Alert([
        html.Strong(_("Undone. ")),
        _("Batch {batch} was undone as batch ").format(batch=batch_id),
        dcc.Link(new, href=f"/batches/{new}", id=ids.UNDO_NEW_BATCH),
        _(", recorded as {email}.").format(email=user.email),
    ], color="success"), None, HIDDEN, [])


class Changed(Exception):
    """Confirmation refused: the undo would no longer do what the preview showed."""

    def __init__(self, view: list):
        super().__init__("changed")
        self.view = view
