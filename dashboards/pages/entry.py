"""Entry grid: a period's figures for one result team (its indicators by group) or one
program (its performance measures), checked as you type, saved as one batch.

Two people editing at once: each row remembers the revision it was loaded at; a save
refuses the rows someone else saved since (naming who), and saves the rest.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from dashboards import ids
from dashboards.auth import EDITOR_READ, EDITOR_WRITE, page_refusal, require, secure_callback
from dashboards.components.entry_grid import (
    OWNER_COLUMN,
    PROGRAM_SHEET,
    TEAM_SHEET,
    check,
    column_defs,
    edited,
    grid_rows,
    mark,
    measure_grid_rows,
    refresh,
)
from dashboards.components.shell import PARTNERSHIP, team_options
from dashboards.data import read_session, session_factory
from dashboards.i18n import _, current_language, ngettext, use_language
from rba.i18n import label_map, localized, render
from rba.services import entry, imports
from rba.services.catalogue import dimension_labels
from rba.services.database import DatabaseError, session_scope
from rba.services.entry import TemplateError
from rba.services.locks import LockError

PATH = "/entry"
dash.register_page(__name__, path=PATH,
                   title=lambda **_kw: f"{_('Enter data')} · {PARTNERSHIP}", name="Enter data")


def known_periods() -> list[str]:
    """The periods that have figures, latest first (suggestions for the period box)."""
    with read_session() as session:
        return entry.entered_periods(session=session)


def program_options() -> list[dict[str, str]]:
    """Programs with performance measures, as dropdown options (label: name, value: code)."""
    with read_session() as session:
        frame = entry.programs_with_measures(session=session)
    lang = current_language()
    return [{"label": localized(r, "name", lang), "value": r["program"]}
            for r in frame.to_dict("records")]


def layout(**_query: str) -> html.Div:
    """The period and team (or program) choice, the grid and the save button (coordinators,
    admins)."""
    use_language(_query.get("lang"))
    refusal = page_refusal(EDITOR_WRITE, PATH)
    if refusal is not None:
        return refusal
    return html.Div([
        html.H1(_("Enter data"), className="h2"),
        html.P([_("Choose a period and a result team (its indicators) or a program (its "
                 "performance measures), then type the figures. Each entry is checked as you "
                 "type with the same rules as an import; Save writes every change as one "
                 "batch."), " ", html.A(_("Lock or unlock a period"), href="/locks")],
               className="text-body-secondary"),
        dbc.Row([
            dbc.Col([dbc.Label(_("Period"), html_for=ids.ENTRY_PERIOD),
                     dbc.Input(id=ids.ENTRY_PERIOD, list=ids.ENTRY_PERIODS,
                               placeholder=_("blank: each indicator's next period")),
                     html.Datalist([html.Option(value=p) for p in known_periods()],
                                   id=ids.ENTRY_PERIODS)], md=6, lg=3),
            dbc.Col([dbc.Label(_("Result team"), html_for=ids.ENTRY_TEAM),
                     dcc.Dropdown(id=ids.ENTRY_TEAM, options=team_options(),
                                  placeholder=_("All teams"))], md=6, lg=4),
            dbc.Col([dbc.Label(_("or a program"), html_for=ids.ENTRY_PROGRAM),
                     dcc.Dropdown(id=ids.ENTRY_PROGRAM, options=program_options(),
                                  placeholder=_("Choose a program"))], md=8, lg=3),
            dbc.Col(dbc.Button(_("Load"), id=ids.ENTRY_LOAD, color="primary", className="w-100"),
                    md=4, lg=2, className="d-flex align-items-end"),
        ], className="g-3 mb-3"),
        dcc.Store(id=ids.ENTRY_LOADED),
        html.Div(id=ids.ENTRY_LOCKS),
        html.Div(id=ids.ENTRY_STATUS, role="status", className="mb-2"),
        html.P(["↔ ", _("Scroll the grid sideways for the unit, the entries and the problems "
                        "column")], className="entry-hint small text-body-secondary mb-1"),
        dag.AgGrid(
            id=ids.ENTRY_GRID, rowData=[], columnDefs=column_defs([]),
            getRowId="params.data.row_id",
            defaultColDef={"resizable": True, "sortable": False, "suppressMovable": True},
            rowClassRules={"rba-row-problem": "params.data.problem",
                           "rba-row-locked": "params.data.locked"},
            dashGridOptions={"singleClickEdit": True, "stopEditingWhenCellsLoseFocus": True,
                             "enableCellTextSelection": True, "tooltipShowDelay": 300,
                             "localeText": {"noRowsToShow": _("Choose a period and a team, "
                                                              "then press Load.")}},
            className="ag-theme-alpine", style={"height": "560px", "width": "100%"},
        ),
        dbc.Button(_("Save"), id=ids.ENTRY_SAVE, color="primary", className="mt-3"),
        dcc.Loading(html.Div(id=ids.ENTRY_SAVED, className="mt-3"),
                    custom_spinner=html.Span(_("Saving…"))),
    ])


def load(period: str | None, team: str | None, program: str | None = None
         ) -> tuple[list[dict], dict, list]:
    """Rows, what was loaded, and lock notices for a period and a team or program
    (TemplateError if none)."""
    loaded: dict[str, Any]
    if program is not None:
        with read_session() as session:
            frame = entry.program_grid(session=session, program=program, period=period)
        rows = measure_grid_rows(frame, current_language())
        loaded = {"period": period, "program": program, "dims": []}
    else:
        lang = current_language()
        with read_session() as session:
            frame, dims = entry.team_grid(session=session, period=period, team=team)
            labels = label_map(dimension_labels(session=session), lang)
        rows = grid_rows(frame, dims, labels, lang)
        loaded = {"period": period, "team": team, "dims": dims}
    locks: dict[str, set[str]] = {}
    for r in rows:
        if r["locked"]:
            locks.setdefault(r["period"], set()).add(r["name"])
    notices = [dbc.Alert([dbc.Badge(_("Locked"), color="dark", className="me-2"),
                          _("{period} is locked for {names}: those figures are final and "
                            "shown read-only (grey). An admin can unlock them on the ").format(
                              period=p, names=", ".join(sorted(names))),
                          dcc.Link(_("Locks page"), href="/locks"), "."],
                         color="secondary", className="py-2")
               for p, names in sorted(locks.items())]
    return rows, loaded, notices


def sheet_of(loaded: dict) -> str:
    """The import sheet a loaded grid's rows are checked and saved as."""
    return PROGRAM_SHEET if loaded.get("program") else TEAM_SHEET


@secure_callback(
    EDITOR_READ,
    Output(ids.ENTRY_GRID, "rowData"),
    Output(ids.ENTRY_GRID, "columnDefs"),
    Output(ids.ENTRY_LOADED, "data"),
    Output(ids.ENTRY_LOCKS, "children"),
    Output(ids.ENTRY_STATUS, "children"),
    Output(ids.ENTRY_SAVED, "children"),
    Input(ids.ENTRY_LOAD, "n_clicks"),
    State(ids.ENTRY_PERIOD, "value"),
    State(ids.ENTRY_TEAM, "value"),
    State(ids.ENTRY_PROGRAM, "value"),
    prevent_initial_call=True,
)
def load_grid(n_clicks: int | None, period: str | None, team: str | None,
              program: str | None = None) -> tuple:
    """Fill the grid with the chosen period's rows and their current values (a program's
    performance measures when a program is chosen, else the team's indicators)."""
    period = (period or "").strip() or None
    try:
        rows, loaded, notices = load(period, team or None, program or None)
    except TemplateError as exc:
        return [], no_update, None, [], dbc.Alert(render(exc.detail, current_language()),
                                                  color="warning"), []
    count = rows_to_enter(rows)
    columns = column_defs(loaded["dims"], program="program" in loaded)
    return rows, columns, loaded, notices, html.Span(count), []


def rows_to_enter(rows: list[dict]) -> str:
    """How many rows can be entered; a locked row cannot, so a fully locked period says so."""
    open_rows = sum(1 for r in rows if not r.get("locked"))
    if open_rows == 0:
        return ngettext("Nothing to enter: the {n} row is locked (final).",
                        "Nothing to enter: all {n} rows are locked (final).",
                        len(rows)).format(n=len(rows))
    if open_rows < len(rows):
        return ngettext("{n} row to enter ({locked} locked)", "{n} rows to enter ({locked} "
                        "locked)", open_rows).format(n=open_rows, locked=len(rows) - open_rows)
    return ngettext("{n} row to enter", "{n} rows to enter", open_rows).format(n=open_rows)


# Choosing a team clears the program and the other way round, so what Load loads is what
# the form shows. It runs in the browser only (nothing to authorise), like the navbar menu.
dash.clientside_callback(
    """function(team, program) {
        const which = dash_clientside.callback_context.triggered_id;
        if (which === 'TEAM' && team) { return [team, null]; }
        if (which === 'PROGRAM' && program) { return [null, program]; }
        return [dash_clientside.no_update, dash_clientside.no_update];
    }""".replace("TEAM", ids.ENTRY_TEAM).replace("PROGRAM", ids.ENTRY_PROGRAM),
    Output(ids.ENTRY_TEAM, "value"),
    Output(ids.ENTRY_PROGRAM, "value"),
    Input(ids.ENTRY_TEAM, "value"),
    Input(ids.ENTRY_PROGRAM, "value"),
    prevent_initial_call=True,
)


def row_words(row: dict) -> str:
    """What a row is: the indicator and its group, or the performance measure."""
    return " · ".join(str(w) for w in (row.get("name"), row.get("group")) if w)


# A short grid (a program's few measures, a small team) is only as tall as its rows; a
# long one scrolls inside a fixed height. Layout only, in the browser: nothing to authorise.
dash.clientside_callback(
    """function(rows, options) {
        const few = (rows || []).length <= 12;
        return [Object.assign({}, options, {domLayout: few ? 'autoHeight' : 'normal'}),
                {width: '100%', height: few ? null : '560px'}];
    }""",
    Output(ids.ENTRY_GRID, "dashGridOptions"),
    Output(ids.ENTRY_GRID, "style"),
    Input(ids.ENTRY_GRID, "rowData"),
    State(ids.ENTRY_GRID, "dashGridOptions"),
)


def status_line(rows: list[dict], general: list) -> list[Any]:
    """How many rows are edited and how many have problems."""
    changed = sum(1 for r in rows if edited(r))
    bad = sum(1 for r in rows if r["problem"])
    parts: list[Any] = [ngettext("{n} row changed", "{n} rows changed", changed).format(
        n=changed)]
    if bad:
        parts.append(html.Strong(ngettext("; {n} row has a problem", "; {n} rows have problems",
                                          bad).format(n=bad), className="text-danger"))
    parts += [html.Div(render(p.description, current_language()),
                       className="text-danger small") for p in general]
    listed = [r for r in rows if r["problem"]]
    if listed:
        parts.append(html.Ul([html.Li(f"{row_words(r)}: {r['problem']}") for r in listed[:20]],
                             className="text-danger small mb-0 mt-1"))
    return parts


def dims_of(loaded: dict) -> list[str]:
    """The grid's dimension columns as loaded: the page's store, which a crafted request can
    fill with anything, so only a list counts (each name once; the import checks them)."""
    dims = loaded.get("dims")
    return list(dict.fromkeys(str(d) for d in dims)) if isinstance(dims, list) else []


@secure_callback(
    EDITOR_READ,
    Output(ids.ENTRY_GRID, "rowData", allow_duplicate=True),
    Output(ids.ENTRY_STATUS, "children", allow_duplicate=True),
    Input(ids.ENTRY_GRID, "cellValueChanged"),
    State(ids.ENTRY_GRID, "rowData"),
    State(ids.ENTRY_LOADED, "data"),
    prevent_initial_call=True,
)
def check_grid(_changed: Any, rows: list[dict] | None, loaded: dict | None) -> tuple:
    """Check the edited rows as the user types, with the import's rules; write nothing."""
    if not rows or not isinstance(loaded, dict):
        return no_update, no_update
    todo = [r for r in rows if edited(r) and not r.get("locked")]
    with session_factory()() as session:
        problems = check(session, todo, dims_of(loaded),
                         sheet_of(loaded)).problems if todo else []
        session.rollback()
    marked, general = mark(rows, problems)
    return marked, status_line(marked, general)


def conflict_note(conflict: dict, mine: dict) -> str:
    """Why a row was not saved: who saved it since it was loaded, and what they entered."""
    value = conflict.get("value")
    when = conflict.get("entered_at")
    stamp = when.strftime("%Y-%m-%d %H:%M UTC") if hasattr(when, "strftime") else str(when)
    return _("Not saved: {who} changed this value since you loaded it (to {value}, at "
             "{when}). Their value is kept; your entry was {mine}. Enter yours again if it "
             "is still right.").format(who=conflict.get("entered_by"),
                                       value="—" if value is None else f"{value:g}",
                                       when=stamp, mine=mine.get("value") or "—")


@secure_callback(
    EDITOR_WRITE,
    Output(ids.ENTRY_SAVED, "children", allow_duplicate=True),
    Output(ids.ENTRY_GRID, "rowData", allow_duplicate=True),
    Output(ids.ENTRY_STATUS, "children", allow_duplicate=True),
    Input(ids.ENTRY_SAVE, "n_clicks"),
    State(ids.ENTRY_GRID, "rowData"),
    State(ids.ENTRY_LOADED, "data"),
    prevent_initial_call=True,
)
def save_grid(n_clicks: int | None, rows: list[dict] | None, loaded: dict | None) -> tuple:
    """Save every edited row as one batch, refusing rows someone else changed since loading."""
    user = require(EDITOR_WRITE)
    assert user is not None
    todo = [r for r in rows or [] if edited(r) and not r.get("locked")]
    if not n_clicks or not isinstance(loaded, dict) or not todo:
        return dbc.Alert(_("Nothing to save: no entry was changed."), color="info"), \
            no_update, no_update
    dims = dims_of(loaded)
    sheet = sheet_of(loaded)
    owner = OWNER_COLUMN[sheet]
    conflicts: dict[str, dict] = {}
    batch = None
    try:
        with session_scope(session_factory()) as session:
            stale = entry.changed_since(session=session, owner=owner, loaded=[
                {owner: r.get(owner), "period": r["period"],
                 "dimensions": r["dimensions"], "revision": r.get("_rev")} for r in todo])
            conflicts = {f"{c[owner]}|{c['period']}|{c['dimensions']}": c for c in stale}
            rest = [r for r in todo if r["row_id"] not in conflicts]
            plan = check(session, rest, dims, sheet) if rest else None
            if plan is not None and plan.problems:
                marked, general = mark(rows or [], plan.problems)
                raise Refused(marked, general)
            if plan is not None and plan.has_changes:
                batch = imports.apply(session=session, plan=plan, actor=user.email,
                                      source="grid", description=batch_description(loaded))
    except Refused as refused:
        return (dbc.Alert(_("Nothing was saved: fix the problems marked in the grid."),
                          color="danger"), refused.rows, status_line(refused.rows,
                                                                     refused.general))
    except (LockError, DatabaseError) as exc:
        return (dbc.Alert(_("Nothing was saved: {error}. Load the grid again and retry.")
                          .format(error=exc), color="danger"), no_update, no_update)
    with read_session() as session:
        fresh = refresh(session, rows or [])
    mine = {r["row_id"]: r for r in todo}
    notes = {key: conflict_note(c, mine[key]) for key, c in conflicts.items()}
    marked, _general = mark(fresh, [], notes)
    return saved_message(batch, len(todo) - len(conflicts), conflicts), marked, \
        status_line(marked, [])


def batch_description(loaded: dict) -> str:
    """What a grid save's batch is, for the history pages."""
    period = loaded.get("period") or _("next periods")
    if loaded.get("program"):
        return _("entry grid: {period} program {program}").format(
            period=period, program=loaded["program"])
    return _("entry grid: {period} {team}").format(period=period,
                                                    team=loaded.get("team") or _("all teams"))


def saved_message(batch: str | None, saved: int, conflicts: dict[str, dict]) -> dbc.Alert:
    """What the save did: the batch and its row count, and the rows refused (naming who)."""
    parts: list[Any] = []
    if batch:
        parts += [html.Strong(ngettext("Saved {n} row as batch ", "Saved {n} rows as batch ",
                                       saved).format(n=saved)),
                  dcc.Link(batch, href=f"/batches/{batch}", id=ids.SAVED_BATCH), ". "]
    elif not conflicts:
        parts.append(_("Nothing changed: the entries match what is stored."))
    if conflicts:
        who = sorted({str(c.get("entered_by")) for c in conflicts.values()})
        parts.append(html.Span(ngettext(
            "{n} row was not saved because {who} changed it since you loaded the grid; it is "
            "marked below.",
            "{n} rows were not saved because {who} changed them since you loaded the grid; "
            "they are marked below.", len(conflicts)).format(n=len(conflicts),
                                                             who=", ".join(who)),
            id=ids.SAVE_CONFLICTS))
    color = "warning" if conflicts else "success"
    return dbc.Alert(parts, color=color, id=ids.SAVE_RESULT)


class Refused(Exception):
    """A save with problems: nothing is written; the rows carry the problems."""

    def __init__(self, rows: list[dict], general: list):
        super().__init__("refused")
        self.rows, self.general = rows, general

