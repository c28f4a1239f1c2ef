"""Home page: the seven results, each with its team and its indicators' latest figures."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import ids
from dashboards.components import PARTNERSHIP, SUBTITLE, message
from dashboards.data import read_session
from rba.report.format import format_value, is_missing, period_display
from rba.store.queries import results_overview

dash.register_page(__name__, path="/", name="Results", title=PARTNERSHIP, order=0)

KINDS = (("headline", "Headline indicators"), ("secondary", "Secondary indicators"),
         ("development", "Data development agenda"))
EMPTY = ["No results yet: load data with ", html.Code("rba demo"), " or ",
         html.Code("rba import"), "."]


def indicator_item(row: dict[str, Any]) -> dbc.ListGroupItem:
    """One indicator: its name linking to its page, and its latest figure and period."""
    if is_missing(row["latest_value"]):
        figure = [html.Span("Not yet measured", className="text-body-secondary small")]
    else:
        figure = [
            html.Span(format_value(row["latest_value"], row["unit"], row["per"]),
                      className="fw-semibold fs-5 lh-sm"),
            html.Span(period_display(row["latest_period"], row["frequency"]),
                      className="d-block small text-body-secondary"),
        ]
    return dbc.ListGroupItem(
        html.Div([
            dcc.Link(row["name"], href=f"/indicators/{row['indicator']}",
                     className="me-3 indicator-link"),
            html.Div(figure, className="text-end text-nowrap"),
        ], className="d-flex justify-content-between align-items-center"),
        className="px-0",
    )


def result_card(number: int, rows: pd.DataFrame) -> dbc.Card:
    """One result: its name, its team and its indicators grouped by kind."""
    first = rows.iloc[0]
    body: list[Any] = []
    if isinstance(first["team"], str):
        body.append(html.P(["Result team: ", html.Strong(first["team"])],
                           className="small mb-2"))
    indicators = rows[rows["indicator"].notna()]
    for kind, heading in KINDS:
        group = indicators[indicators["kind"] == kind]
        if len(group):
            body += [html.H3(heading, className="h6 text-uppercase text-body-secondary "
                                                "small mt-3 mb-1"),
                     dbc.ListGroup([indicator_item(r) for r in group.to_dict("records")],
                                   flush=True)]
    if not len(indicators):
        body.append(html.P("No indicators yet.", className="text-body-secondary"))
    return dbc.Card([
        dbc.CardHeader([
            html.Span(f"Result {number}", className="small text-body-secondary d-block"),
            html.H2(first["result_name"], className="h5 mb-0"),
        ]),
        dbc.CardBody(body),
    ], className="h-100 shadow-sm", id=f"result-{first['result']}")


def layout(**_query: str) -> html.Div:
    """The home page, read fresh from the store on every visit."""
    with read_session() as session:
        overview = results_overview(session=session)
    header = html.Div([
        html.H1(PARTNERSHIP, className="display-6 fw-semibold"),
        html.P(SUBTITLE, className="lead"),
    ], className="mb-4")
    if not len(overview):
        return html.Div([header, message("No results yet", EMPTY, component_id=ids.EMPTY_STATE,
                                         link=False)])
    codes = list(dict.fromkeys(overview["result"]))
    cards = [dbc.Col(result_card(n, overview[overview["result"] == code]), lg=6,
                     className="mb-4")
             for n, code in enumerate(codes, start=1)]
    return html.Div([header, dbc.Row(cards, id=ids.RESULTS_LIST)])
