"""Locks page: coordinators lock a period once its figures are final (for one indicator, a
result team's indicators, or all), admins unlock one with a reason; both recorded under the
signed-in person's name, with the checks of `rba lock` and `rba unlock`
(rba.services.locks)."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html, no_update

from dashboards import ids
from dashboards.auth import (
    ADMIN_WRITE,
    EDITOR_WRITE,
    allowed,
    page_refusal,
    require,
    secure_callback,
)
from dashboards.components.audit_trail import when
from dashboards.components.shell import PARTNERSHIP, team_options
from dashboards.data import read_session, session_factory
from dashboards.i18n import _, current_language, use_language
from rba.i18n import localized, render
from rba.services import catalogue, locks, words
from rba.services.database import DatabaseError, session_scope
from rba.services.locks import LockError

PATH = "/locks"
dash.register_page(__name__, path=PATH,
                   title=lambda **_kw: f"{_('Locked periods')} · {PARTNERSHIP}", name="Locks")


def indicator_options() -> list[dict[str, str]]:
    """Every indicator as a dropdown option (label: its name, value: its code)."""
    with read_session() as session:
        frame = catalogue.indicator_table(session=session, published_only=False)
    lang = current_language()
    return [{"label": f"{localized(r, 'name', lang)} ({r['indicator']})",
             "value": r["indicator"]} for r in frame.to_dict("records")]


def lock_rows() -> list[dict[str, str]]:
    """The locked periods, latest first, in words: record, period, who, when, and the
    value the unlock form uses (kind|code|period)."""
    lang = current_language()
    with read_session() as session:
        frame = locks.every_lock(session=session)
        namer = words.namer(session=session, codes=frame["owner"], lang=lang)
    return [{"name": namer.owner(r["owner"]), "code": r["owner"],
             "period": namer.period(r["owner"], r["period"]), "label": r["period"],
             "by": r["locked_by"], "at": when(r["locked_at"]),
             "value": f"{r['owner']}|{r['period']}"} for r in frame.to_dict("records")]


def locks_table(rows: list[dict[str, str]]) -> Any:
    """The locked periods as a table that scrolls inside its own box on a phone."""
    if not rows:
        return html.P(_("No period is locked yet."), id=ids.LOCK_TABLE)
    head = [_("Indicator or measure"), _("Period"), _("Locked by"), _("When")]
    return html.Div(dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
        html.Tbody([html.Tr([html.Td(text, **{"data-label": label}) for text, label in zip(
            (r["name"], r["period"], r["by"], r["at"]), head, strict=True)]) for r in rows]),
    ], size="sm", striped=True, className="mb-0 rba-stack"), id=ids.LOCK_TABLE,
        className="table-responsive rba-locks-table", tabIndex=0, role="region",
        **{"aria-label": _("Locked periods")})


def unlock_card(rows: list[dict[str, str]]) -> dbc.Card:
    """Unlock a period, with the reason (admins only)."""
    return dbc.Card(dbc.CardBody([
        html.H2(_("Unlock a period"), className="h5"),
        html.P(_("Admins only. The reason is kept in the history."), className="small"),
        dbc.Label(_("Locked period"), html_for=ids.UNLOCK_CHOICE),
        dcc.Dropdown(id=ids.UNLOCK_CHOICE, options=unlock_options(rows),
                     placeholder=_("Choose a locked period"), className="mb-2"),
        dbc.Label(_("Reason"), html_for=ids.UNLOCK_REASON),
        dbc.Textarea(id=ids.UNLOCK_REASON, placeholder=_("e.g. the state revised the count"),
                     className="mb-2"),
        dbc.Button(_("Unlock"), id=ids.UNLOCK_BUTTON, color="warning"),
        html.Div(id=ids.UNLOCK_RESULT, className="mt-2"),
    ]), className="shadow-sm")


def unlock_options(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{"label": f"{r['name']} · {r['period']}", "value": r["value"]} for r in rows]


def layout(**_query: str) -> html.Div:
    """The lock form, the locked periods and, for admins, the unlock form."""
    use_language(_query.get("lang"))
    refusal = page_refusal(EDITOR_WRITE, PATH)
    if refusal is not None:
        return refusal
    rows = lock_rows()
    scopes = [{"label": _("One indicator"), "value": "indicator"},
              {"label": _("A result team's indicators"), "value": "team"},
              {"label": _("Every indicator and measure"), "value": "all"}]
    lock_card = dbc.Card(dbc.CardBody([
        html.H2(_("Lock a period"), className="h5"),
        html.P(_("Once a period's figures are final, lock it: they are marked final and "
                 "nothing (upload, entry grid, undo) can change them until an admin "
                 "unlocks the period."), className="small"),
        dbc.Label(_("Period"), html_for=ids.LOCK_PERIOD),
        dbc.Input(id=ids.LOCK_PERIOD, placeholder=_("e.g. 2024-25 or 2025-Q3"),
                  className="mb-2"),
        dbc.Label(_("For"), html_for=ids.LOCK_SCOPE),
        dbc.RadioItems(id=ids.LOCK_SCOPE, options=scopes, value="indicator", className="mb-2"),
        html.Div(dcc.Dropdown(id=ids.LOCK_INDICATOR, options=indicator_options(),
                              placeholder=_("Choose an indicator")),
                 id=ids.LOCK_INDICATOR + "-box", className="mb-2"),
        html.Div(dcc.Dropdown(id=ids.LOCK_TEAM, options=team_options(),
                              placeholder=_("Choose a result team")),
                 id=ids.LOCK_TEAM + "-box", className="mb-2 d-none"),
        dbc.Button(_("Lock the period"), id=ids.LOCK_BUTTON, color="primary"),
        html.Div(id=ids.LOCK_RESULT, className="mt-2", role="status"),
    ]), className="shadow-sm")
    side = [lock_card]
    if allowed(ADMIN_WRITE):
        side.append(html.Div(unlock_card(rows), className="mt-3"))
    return html.Div([
        html.H1(_("Locked periods"), className="h2"),
        dbc.Row([
            dbc.Col(side, lg=5),
            dbc.Col([html.H2(_("Locked now"), className="h5"),
                     html.Div(locks_table(rows), id=ids.LOCK_TABLE + "-box")], lg=7),
        ], className="g-4"),
    ], className="rba-locks")


# Only the choice the scope needs is shown (an indicator, a team, or none for all). Layout
# only, in the browser: nothing to authorise.
dash.clientside_callback(
    """function(scope) {
        return [scope === 'indicator' ? 'mb-2' : 'mb-2 d-none',
                scope === 'team' ? 'mb-2' : 'mb-2 d-none'];
    }""",
    Output(ids.LOCK_INDICATOR + "-box", "className"),
    Output(ids.LOCK_TEAM + "-box", "className"),
    Input(ids.LOCK_SCOPE, "value"),
)


def _scope_codes(scope: str | None, indicator: str | None, team: str | None
                 ) -> tuple[list[str] | None, str | None, str | None]:
    """(codes, team, or a refusal in words) for what the form asks to lock."""
    if scope == "team":
        return None, team, None if team else _("Choose a result team to lock its indicators.")
    if scope == "all":
        return None, None, None
    return ([indicator], None, None) if indicator else (
        None, None, _("Choose the indicator to lock."))


@secure_callback(
    EDITOR_WRITE,
    Output(ids.LOCK_RESULT, "children"),
    Output(ids.LOCK_TABLE + "-box", "children"),
    Input(ids.LOCK_BUTTON, "n_clicks"),
    State(ids.LOCK_PERIOD, "value"),
    State(ids.LOCK_SCOPE, "value"),
    State(ids.LOCK_INDICATOR, "value"),
    State(ids.LOCK_TEAM, "value"),
    prevent_initial_call=True,
)
def lock_period(n_clicks: int | None, period: str | None, scope: str | None,
                indicator: str | None, team: str | None) -> tuple[Any, Any]:
    """Lock the period for what the form names, as the signed-in person."""
    user = require(EDITOR_WRITE)
    assert user is not None
    period = (period or "").strip()
    if not n_clicks or not period:
        return dbc.Alert(_("Give the period to lock, e.g. 2024-25 or 2025-Q3."),
                         color="warning"), no_update
    codes, slug, missing = _scope_codes(scope, indicator, team)
    if missing:
        return dbc.Alert(missing, color="warning"), no_update
    try:
        with session_scope(session_factory()) as session:
            done = locks.lock(session=session, period=period, codes=codes, team=slug,
                              actor=user.email, source="form")
    except (LockError, DatabaseError) as exc:
        detail = render(exc.detail, current_language()) if isinstance(exc, LockError) else exc
        return dbc.Alert(_("Nothing was locked: {error}").format(error=detail),
                         color="danger"), no_update
    color = "success" if done.indicators or done.measures else "info"
    return (dbc.Alert(render(done.message, current_language()), color=color),
            locks_table(lock_rows()))


@secure_callback(
    ADMIN_WRITE,
    Output(ids.UNLOCK_RESULT, "children"),
    Output(ids.LOCK_TABLE + "-box", "children", allow_duplicate=True),
    Output(ids.UNLOCK_CHOICE, "options"),
    Input(ids.UNLOCK_BUTTON, "n_clicks"),
    State(ids.UNLOCK_CHOICE, "value"),
    State(ids.UNLOCK_REASON, "value"),
    prevent_initial_call=True,
)
def unlock_period(n_clicks: int | None, choice: str | None, reason: str | None
                  ) -> tuple[Any, Any, Any]:
    """Unlock the chosen period with the reason, as the signed-in admin."""
    user = require(ADMIN_WRITE)
    assert user is not None
    if not n_clicks or not isinstance(choice, str) or "|" not in choice:
        return dbc.Alert(_("Choose the locked period to unlock."), color="warning"), \
            no_update, no_update
    code, period = choice.split("|", 1)
    try:
        with session_scope(session_factory()) as session:
            locks.unlock(session=session, code=code, period=period, actor=user.email,
                         reason=reason or "", source="form")
    except (LockError, DatabaseError) as exc:
        detail = render(exc.detail, current_language()) if isinstance(exc, LockError) else exc
        return dbc.Alert(_("Nothing was unlocked: {error}").format(error=detail),
                         color="danger"), no_update, no_update
    rows = lock_rows()
    return (dbc.Alert(_("Unlocked {period} for {code}, as {email}.").format(
        period=period, code=code, email=user.email), color="success"),
        locks_table(rows), unlock_options(rows))

