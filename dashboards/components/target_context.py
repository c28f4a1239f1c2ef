"""The target form's context: what a team weighs a target against for the chosen indicator
and group (its latest figure, its baseline's next periods and the targets already set)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, html

from dashboards import ids
from dashboards.auth import STAFF_READ, require, secure_callback
from dashboards.data import read_session
from dashboards.i18n import _, current_language
from rba.i18n import format_value
from rba.services.people import Role
from rba.services.targets import proposable_indicators, target_context


def context_panel(found: dict[str, Any] | None, lang: str) -> Any:
    """The chosen series' latest figure, its baseline's next periods and its targets."""
    if found is None:
        return html.P(_("No figures yet for this group: nothing to compare a target with."),
                      className="small text-body-secondary mb-0")

    def shown(value: float) -> str:
        return format_value(value, found["unit"], found["per"], lang)

    forecast = [html.Div(
        _("{period}: {value} (likely {lower} to {upper})").format(
            period=f["period"], value=shown(f["forecast"]), lower=shown(f["lower"]),
            upper=shown(f["upper"])) if pd.notna(f["lower"]) else
        f"{f['period']}: {shown(f['forecast'])}") for f in found["forecast"]]
    targets = "; ".join(f"{t['period']}: {shown(t['value'])}" for t in found["targets"])
    baseline = _("Agreed baseline") if found["agreed"] else _(
        "Forecast fitted now (no baseline agreed yet)")
    return dbc.Card(dbc.CardBody([
        html.H3(_("What to weigh it against"), className="h6"),
        html.Dl([
            html.Dt(_("Latest figure")),
            html.Dd(f"{shown(found['latest_value'])} ({found['latest_period']})",
                    id=ids.TARGETS_CONTEXT_LATEST),
            html.Dt(baseline),
            html.Dd(forecast or _("No forecast ahead."), id=ids.TARGETS_CONTEXT_FORECAST),
            html.Dt(_("Targets already set")),
            html.Dd(targets or _("None yet."), id=ids.TARGETS_CONTEXT_TARGETS),
        ], className="small mb-0"),
    ], className="py-2"), className="bg-body-tertiary")


@secure_callback(
    STAFF_READ,
    Output(ids.TARGETS_CONTEXT, "children"),
    Input(ids.TARGETS_INDICATOR, "value"),
    Input(ids.TARGETS_GROUP, "value"),
    prevent_initial_call=True,
)
def series_context(code: str | None, group: str | None) -> Any:
    """What the chosen indicator and group stand at (for a team member, only of their own
    team's indicators)."""
    user = require(STAFF_READ)
    team = user.team if user is not None and user.role == Role.team_member else None
    if user is None or not isinstance(code, str) or not code or (
            user.role == Role.team_member and not user.team):
        return None
    with read_session() as session:
        about = proposable_indicators(session=session, team=team)
        if code not in set(about["indicator"]):
            return None
        found = target_context(session=session, code=code,
                               dimensions=group if isinstance(group, str) and group else "{}")
    return context_panel(found, current_language())
