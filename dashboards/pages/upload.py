"""Upload page: check a workbook or CSV (a dry run), then commit it as one batch.

The same path as `rba import` (rba.services.imports: read, check and plan, then write one
batch). Nothing uploaded is kept on the server between requests:
the browser keeps the file in the upload component, and commit checks it again, refusing
when the result differs from the check the user saw.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from dashboards import ids
from dashboards.auth import EDITOR_READ, EDITOR_WRITE, page_refusal, require, secure_callback
from dashboards.components.import_plan import (
    changes_table,
    decode_upload,
    fingerprint,
    plan_namer,
    problems_table,
    summary_table,
)
from dashboards.components.shell import PARTNERSHIP, team_options
from dashboards.data import read_session, session_factory
from dashboards.i18n import _, current_language, use_language
from rba.i18n import render
from rba.services import exports, imports
from rba.services.database import DatabaseError, session_scope
from rba.services.exports import TemplateError
from rba.services.imports import MAX_FILE_BYTES, ImportPlan, InputRejected, LockError
from rba.services.words import Namer

PATH = "/upload"
dash.register_page(__name__, path=PATH,
                   title=lambda **_kw: f"{_('Upload')} · {PARTNERSHIP}", name="Upload")


def template_card() -> dbc.Card:
    """Download an entry template for a period and a team."""
    return dbc.Card(dbc.CardBody([
        html.H2(_("Entry template"), className="h5"),
        html.P(_("A workbook with the rows to fill in for a period, last period's values "
                 "alongside. Fill it in, then upload it here."), className="small"),
        dbc.Label(_("Period"), html_for=ids.TEMPLATE_PERIOD),
        dbc.Input(id=ids.TEMPLATE_PERIOD, placeholder=_("e.g. 2024-25 or 2025-Q3"),
                  className="mb-1"),
        dbc.FormText(_("Leave blank for each indicator's next period.")),
        html.Div(dbc.Label(_("Result team"), html_for=ids.TEMPLATE_TEAM), className="mt-2"),
        dcc.Dropdown(id=ids.TEMPLATE_TEAM, options=team_options(),
                     placeholder=_("All teams"), className="mb-3"),
        dbc.Button(_("Download template"), id=ids.TEMPLATE_BUTTON, color="secondary",
                   outline=True),
        html.Div(id=ids.TEMPLATE_MESSAGE, className="mt-2"),
        dcc.Download(id=ids.TEMPLATE_DOWNLOAD),
    ]), className="shadow-sm")


def layout(**_query: str) -> html.Div:
    """The upload form, the check's result and the commit button (coordinators, admins)."""
    use_language(_query.get("lang"))
    refusal = page_refusal(EDITOR_WRITE, PATH)
    if refusal is not None:
        return refusal
    checking = html.Div([dbc.Spinner(size="sm", color="primary"),
                         html.Span(_(" Reading and checking every row…"), className="ms-2")],
                        className="d-flex align-items-center")
    return html.Div([
        html.H1(_("Upload figures"), className="h2"),
        html.P(_("Upload a workbook (.xlsx) or one sheet as CSV. It is checked first and "
                 "nothing is written until you commit: a dry run shows what would be added "
                 "and changed, and every problem with its sheet, row and column."),
               className="text-body-secondary"),
        dbc.Row([
            dbc.Col([
                dcc.Upload(
                    id=ids.UPLOAD_FILE, accept=".xlsx,.csv", multiple=False,
                    max_size=MAX_FILE_BYTES,
                    children=html.Div([
                        html.Strong(_("Drop a file here or click to choose one")),
                        html.Div(_(".xlsx or .csv, at most {mb} MB").format(
                            mb=MAX_FILE_BYTES // (1024 * 1024)), className="small"),
                    ]),
                    className="upload-drop rounded-3 p-4 text-center mb-3",
                    style={"border": "2px dashed #8a9bb5", "cursor": "pointer"},
                ),
                dcc.Store(id=ids.UPLOAD_CHECKED),
                dcc.Loading(html.Div(id=ids.UPLOAD_RESULT), custom_spinner=checking,
                            overlay_style={"visibility": "visible", "opacity": 0.4}),
                dbc.Button(_("Commit import"), id=ids.UPLOAD_COMMIT, color="primary",
                           disabled=True, className="mt-2"),
                dcc.Loading(html.Div(id=ids.UPLOAD_COMMITTED, className="mt-3"),
                            custom_spinner=html.Span(_("Writing…"))),
            ], lg=8),
            dbc.Col(template_card(), lg=4),
        ], className="g-4"),
    ])


def check_file(session: Any, contents: str | None, filename: str | None
               ) -> tuple[ImportPlan | None, list, str, bytes]:
    """Plan an upload: (plan or None, problems, file name, bytes)."""
    name = filename or "upload"
    data = b""
    try:
        data, name = decode_upload(contents, filename)
        plan = imports.plan_upload(session=session, data=data, name=name)
    except InputRejected as exc:
        return None, exc.problems, name, data
    return plan, plan.problems, name, data


def result_view(plan: ImportPlan | None, problems: list, name: str,
                namer: Namer | None = None) -> list[Any]:
    """The dry run's summary, changes (in words, with a ``namer``) and problems."""
    parts: list[Any] = [html.H2(_("Check of {name}").format(name=name), className="h4")]
    if plan is not None and plan.sheets:
        parts.append(summary_table(plan))
        if plan.has_changes or not problems:
            parts.append(changes_table(plan, namer))
    if problems:
        parts.append(problems_table(problems))
    elif plan is not None and plan.has_changes:
        parts.append(dbc.Alert(_("No problems found. Nothing has been written yet: commit "
                                 "the import to write it as one batch."), color="success"))
    elif plan is not None:
        parts.append(dbc.Alert(_("No problems, and nothing to change."), color="info"))
    return parts


@secure_callback(
    EDITOR_READ,
    Output(ids.UPLOAD_RESULT, "children"),
    Output(ids.UPLOAD_CHECKED, "data"),
    Output(ids.UPLOAD_COMMIT, "disabled"),
    Output(ids.UPLOAD_COMMITTED, "children"),
    Input(ids.UPLOAD_FILE, "contents"),
    State(ids.UPLOAD_FILE, "filename"),
    prevent_initial_call=True,
)
def check_upload(contents: str | None, filename: str | None
                 ) -> tuple[list[Any], dict | None, bool, list]:
    """Dry run: read and check the uploaded file; write nothing."""
    with session_factory()() as session:
        plan, problems, name, data = check_file(session, contents, filename)
        namer = plan_namer(session, plan)
        session.rollback()
    checked = None
    if plan is not None and not problems and plan.has_changes:
        checked = {"file": name, "sha256": hashlib.sha256(data).hexdigest(),
                   "fingerprint": fingerprint(plan)}
    return result_view(plan, problems, name, namer), checked, checked is None, []


@secure_callback(
    EDITOR_WRITE,
    Output(ids.UPLOAD_COMMITTED, "children", allow_duplicate=True),
    Output(ids.UPLOAD_CHECKED, "data", allow_duplicate=True),
    Output(ids.UPLOAD_COMMIT, "disabled", allow_duplicate=True),
    Output(ids.UPLOAD_RESULT, "children", allow_duplicate=True),
    Input(ids.UPLOAD_COMMIT, "n_clicks"),
    State(ids.UPLOAD_FILE, "contents"),
    State(ids.UPLOAD_FILE, "filename"),
    State(ids.UPLOAD_CHECKED, "data"),
    prevent_initial_call=True,
)
def commit_upload(n_clicks: int | None, contents: str | None, filename: str | None,
                  checked: dict | None) -> tuple[Any, Any, Any, Any]:
    """Check the file again and, if it plans exactly what the dry run showed, write it."""
    user = require(EDITOR_WRITE)
    assert user is not None
    if not n_clicks or not isinstance(checked, dict):
        return (dbc.Alert(_("Check a file before committing it."), color="warning"),
                no_update, True, no_update)
    try:
        with session_scope(session_factory()) as session:
            plan, problems, name, data = check_file(session, contents, filename)
            if hashlib.sha256(data).hexdigest() != checked.get("sha256"):
                raise Changed(_("This is not the file that was checked: check it again."))
            if plan is None or problems or fingerprint(plan) != checked.get("fingerprint"):
                raise Changed(_("The store has changed since the check, so the import would "
                                "now do something else. The new check is shown: read it, "
                                "then commit again."), result_view(
                                    plan, problems, name, plan_namer(session, plan)),
                              plan, data)
            batch = imports.apply(session=session, plan=plan, actor=user.email, source="upload",
                                  description=_("upload {name}").format(name=name))
    except Changed as changed:
        recheck = None
        if changed.plan is not None and not changed.plan.problems and changed.plan.has_changes:
            recheck = {"file": checked.get("file"), "fingerprint": fingerprint(changed.plan),
                       "sha256": hashlib.sha256(changed.data).hexdigest()}
        return (dbc.Alert(str(changed), color="warning"), recheck, recheck is None,
                changed.view if changed.view is not None else no_update)
    except imports.ChangedMeanwhile as exc:
        return (dbc.Alert(render(exc.detail, current_language()), color="danger"), None, True,
                no_update)
    except (LockError, DatabaseError) as exc:
        return (dbc.Alert(_("Nothing was written: {error}").format(error=exc), color="danger"),
                None, True, no_update)
    return (dbc.Alert([
        html.Strong(_("Imported. ")),
        _("Batch "), dcc.Link(batch, href=f"/batches/{batch}", id=ids.COMMITTED_BATCH),
        _(" was written by {email}.").format(email=user.email),
        " ", dcc.Link(_("See it, or undo it, on its page."), href=f"/batches/{batch}"),
    ], color="success", id=ids.COMMIT_SUCCESS), None, True, [])


class Changed(Exception):
    """Commit refused: the file or the store changed since the dry run."""

    def __init__(self, message: str, view: list | None = None,
                 plan: ImportPlan | None = None, data: bytes = b""):
        super().__init__(message)
        self.view, self.plan, self.data = view, plan, data


@secure_callback(
    EDITOR_READ,
    Output(ids.TEMPLATE_DOWNLOAD, "data"),
    Output(ids.TEMPLATE_MESSAGE, "children"),
    Input(ids.TEMPLATE_BUTTON, "n_clicks"),
    State(ids.TEMPLATE_PERIOD, "value"),
    State(ids.TEMPLATE_TEAM, "value"),
    prevent_initial_call=True,
)
def download_template(n_clicks: int | None, period: str | None, team: str | None
                      ) -> tuple[Any, Any]:
    """The entry workbook for the chosen period and team, as a download."""
    period = (period or "").strip() or None
    buffer = io.BytesIO()
    try:
        with read_session() as session:
            rows = exports.write_entry_template(session=session, path=buffer, period=period,
                                                team=team or None, lang=current_language())
    except TemplateError as exc:
        return no_update, dbc.Alert(render(exc.detail, current_language()),
                                    color="warning", className="small py-2")
    name = "-".join(p for p in ("entry", period, team) if p) + ".xlsx"
    return (dcc.send_bytes(buffer.getvalue(), name),
            html.Span(_("{rows:,} rows to fill in.").format(rows=rows), className="small"))
