"""Agreeing a baseline from the indicator page (coordinators and admins): the candidate
methods side by side with their backtest errors and flags, then the freeze, recorded as
the signed-in person. The same services as `rba baseline candidates` and `rba baseline
freeze`, so the page and the CLI cannot disagree."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import EDITOR_READ, EDITOR_WRITE, EDITORS, account, require, secure_callback
from dashboards.components.tables import frame_table
from dashboards.components.turn_the_curve import METHOD_WORDS
from dashboards.data import read_session, session_factory
from dashboards.i18n import _, ngettext, use_language
from rba.i18n import format_number, format_period, render
from rba.services.curves import (
    CurveError,
    baseline_candidates,
    candidate_flags,
    freeze_baseline,
)
from rba.services.database import session_scope


def agreement_panel(code: str, frequency: str, periods: list[str], labels: dict[str, str],
                    lang: str) -> html.Details | None:
    """The form, for a coordinator or admin (None for anyone else)."""
    user = account()
    if user is None or user.role not in EDITORS or not periods:
        return None
    options = [{"label": format_period(p, frequency, lang), "value": p}
               for p in reversed(periods)]
    return html.Details([
        html.Summary(_("Agree a baseline"), className="fw-semibold"),
        html.P(_("Compare the forecast methods on the history first: nothing is stored until "
                 "you agree. Later figures are then judged against the agreed forecast."),
               className="small text-body-secondary"),
        dcc.Store(id=ids.BASELINE_CODE, data={"code": code, "lang": lang, "labels": labels,
                                              "frequency": frequency}),
        dbc.Row([
            dbc.Col([dbc.Label(_("History through"), html_for=ids.BASELINE_THROUGH),
                     dbc.Select(id=ids.BASELINE_THROUGH, options=options,
                                value=options[0]["value"])], md=4),
            dbc.Col([dbc.Label(_("Why the team agrees (kept with the baseline)"),
                               html_for=ids.BASELINE_NOTE),
                     dbc.Textarea(id=ids.BASELINE_NOTE, rows=2)], md=8),
        ], className="g-2 mb-2"),
        dbc.Button(_("Compare methods"), id=ids.BASELINE_COMPARE, color="secondary",
                   className="me-2"),
        dbc.Button(_("Agree this baseline"), id=ids.BASELINE_FREEZE, color="primary"),
        html.Div(id=ids.BASELINE_CANDIDATES, className="mt-3", **{"aria-live": "polite"}),
        html.Div(id=ids.BASELINE_RESULT, className="mt-2", role="status"),
    ], id=ids.BASELINE_AGREEMENT, className="mt-3 border rounded p-3")


def candidates_table(frame: pd.DataFrame, labels: dict[str, str], lang: str) -> Any:
    """One row per group, a column per method (backtest MASE), auto's choice and flags."""
    methods = list(dict.fromkeys(frame["method"]))
    rows = []
    flags_of = candidate_flags(frame)
    for dims, group in frame.groupby("dimensions", sort=False):
        row = {_("Group"): labels.get(str(dims), str(dims))}
        for method in methods:
            r = group[group["method"] == method].iloc[0]
            text = format_number(r["backtest_mase"], lang, 2)
            if r["chosen"]:
                text += " ★"
            if r["reaches_bound"]:
                text += " ⚠"
            row[_(METHOD_WORDS[method]) if method in METHOD_WORDS else method] = text
        flags = []
        if flags_of.loc[dims, "shock"]:
            flags.append(_("History ends in an unusual shock"))
        if flags_of.loc[dims, "reaches_bound"]:
            flags.append(_("The chosen forecast reaches 0 or 100"))
        row[_("Look at")] = "; ".join(flags)
        rows.append(row)
    return html.Div([
        html.P(_("Backtest error (MASE) of each method on this history: lower is better; "
                 "– where the history is too short to test. ★ the method chosen (best fit); "
                 "⚠ its forecast reaches 0 or 100."), className="small text-body-secondary"),
        html.Div(frame_table(pd.DataFrame(rows)), className="table-responsive"),
    ])


def _code(data: Any) -> tuple[str, str, dict[str, str]]:
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        raise dash.exceptions.PreventUpdate
    labels = data.get("labels") if isinstance(data.get("labels"), dict) else {}
    return data["code"], use_language(data.get("lang")), labels


@secure_callback(EDITOR_READ, Output(ids.BASELINE_CANDIDATES, "children"),
                 Input(ids.BASELINE_COMPARE, "n_clicks"), State(ids.BASELINE_THROUGH, "value"),
                 State(ids.BASELINE_CODE, "data"), prevent_initial_call=True)
def compare(clicks: Any, through: Any, data: Any) -> Any:
    """The candidate methods side by side for the chosen history (stores nothing)."""
    code, lang, labels = _code(data)
    if not clicks or not isinstance(through, str):
        raise dash.exceptions.PreventUpdate
    try:
        with read_session() as session:
            frame = baseline_candidates(session=session, code=code, through=through)
    except CurveError as refusal:
        return dbc.Alert(render(refusal.detail, lang), color="warning")
    return candidates_table(frame, labels, lang)


@secure_callback(EDITOR_WRITE, Output(ids.BASELINE_RESULT, "children"),
                 Input(ids.BASELINE_FREEZE, "n_clicks"), State(ids.BASELINE_THROUGH, "value"),
                 State(ids.BASELINE_NOTE, "value"), State(ids.BASELINE_CODE, "data"),
                 prevent_initial_call=True)
def agree(clicks: Any, through: Any, note: Any, data: Any) -> Any:
    """Freeze the best-fit baseline of every group, as the signed-in person."""
    user = require(EDITOR_WRITE)
    assert user is not None
    code, lang, _labels = _code(data)
    if not clicks or not isinstance(through, str):
        raise dash.exceptions.PreventUpdate
    note = note.strip() if isinstance(note, str) and note.strip() else None
    try:
        with session_scope(session_factory()) as session:
            stored = freeze_baseline(session=session, code=code, through=through,
                                     actor=user.email, note=note, source="form")
    except CurveError as refusal:
        return dbc.Alert(render(refusal.detail, lang), color="warning", className="mb-0")
    return dbc.Alert(ngettext(
        "Agreed {n} baseline on the history through {period}. Reload the page to see the "
        "figures judged against it.",
        "Agreed {n} baselines on the history through {period}. Reload the page to see the "
        "figures judged against them.", stored).format(
        n=stored, period=format_period(through, str(data.get("frequency", "")), lang)),
        color="success", className="mb-0")

