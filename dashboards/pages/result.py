"""One result: its headline then secondary indicators, its data development agenda, its
result team, and the programs and partners aligned with it."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import ids
from dashboards.cache import cached
from dashboards.components.badges import definition_button
from dashboards.components.page_meta import PREVIEW_IMAGE, result_description, result_title
from dashboards.components.results import result_colour, result_icon
from dashboards.components.scorecard import indicator_row, load_scorecard
from dashboards.components.shell import message
from dashboards.data import read_session
from dashboards.i18n import _, current_language, ngettext, use_language
from rba.i18n import format_currency, format_number, label, localized
from rba.services.alignment import alignment
from rba.services.catalogue import result_teams
from rba.services.scorecard import ScorecardData, chosen_key, impact, shown_series

dash.register_page(__name__, path_template="/results/<code>", name="Result",
                   title=result_title, description=result_description, image=PREVIEW_IMAGE)


def indicator_section(data: ScorecardData, code: str, kind: str, colour: str) -> html.Section:
    """Headline or secondary indicators of the result, each with its total series."""
    lang = current_language()
    shown = data.summary[(data.summary["result"] == code) & (data.summary["kind"] == kind)
                         & (data.summary["dimensions"] == "{}")]
    listed = data.overview[(data.overview["result"] == code) & (data.overview["kind"] == kind)]
    items: list[Any] = [indicator_row(data, r, "{}", colour) for _i, r in shown.iterrows()]
    measured = set(shown["indicator"])
    items += [html.Li([localized(r, "name", lang), " · ",
                       html.Span(_("Not yet measured"), className="text-body-secondary")],
                      className="list-group-item px-0")
              for _i, r in listed.iterrows() if r["indicator"] not in measured]
    body: Any = html.Ul(items, className="list-group list-group-flush") if items else html.P(
        _("None yet."), className="text-body-secondary")
    return html.Section([html.H2(label("kind", kind, lang), className="h4 mt-4"), body],
                        id=ids.result_section(kind))


def agenda_section(data: ScorecardData, code: str) -> html.Section:
    """Indicators the result team wants but cannot measure yet, with their definitions."""
    lang = current_language()
    wanted = data.overview[(data.overview["result"] == code)
                           & (data.overview["kind"] == "development")]
    items = [html.Li([localized(r, "name", lang),
                      *definition_button(localized(r, "lay_definition", lang),
                                         ids.indicator_definition(r["indicator"]),
                                         localized(r, "name", lang))])
             for _i, r in wanted.iterrows()]
    return html.Section([
        html.H2(label("kind", "development", lang), className="h4 mt-4"),
        html.P(_("Indicators the result team wants but cannot yet measure."),
               className="small text-body-secondary"),
        html.Ul(items) if items else html.P(_("None yet."), className="text-body-secondary"),
    ], id=ids.result_section("development"))


def team_section(team: pd.Series | None) -> html.Section:
    """The result team: name, facilitator and members."""
    lang = current_language()
    if team is None:
        inner: list[Any] = [html.P(_("No result team is assigned yet."),
                                   className="text-body-secondary")]
    else:
        members = [m.strip() for m in str(team["members"] or "").split(";") if m.strip()]
        name = localized(team, "name", lang)
        inner = [
            html.P(html.Strong(dcc.Link(name, href=f"/teams/{team['team']}"))),
            html.P([_("Facilitator: "), team["facilitator"] or "–"], className="mb-1"),
            html.P([_("Members: "), ", ".join(members) if members else "–"], className="small"),
        ]
    return html.Section([html.H2(_("Result team"), className="h4"), *inner],
                        id=ids.RESULT_TEAM, className="card card-body shadow-sm mb-3")


def programs_section(links: pd.DataFrame, gaps: pd.DataFrame) -> html.Section:
    """Programs aligned with the result, their partners and funding, and indicator gaps."""
    lang = current_language()
    if links.empty:
        table: Any = html.P(_("No program is aligned with this result yet: a gap to discuss "
                              "with partners."), className="text-body-secondary")
    else:
        table = html.Div(dbc.Table([
            html.Caption(_("Programs aligned with this result"), className="visually-hidden"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in (
                _("Program"), _("Lead partner"), _("Partners"), _("Annual funding"))])),
            html.Tbody([html.Tr([
                html.Td(localized(r, "name", lang)), html.Td(r["lead_partner"] or "–"),
                html.Td(r["partners"] or "–"),
                html.Td(format_currency(r["annual_funding"], lang), className="text-end"),
            ]) for _i, r in links.iterrows()]),
        ], size="sm", striped=True, className="small"), className="table-responsive")
    gap_note = []
    if not gaps.empty:
        gap_note = [html.H3(_("Indicators no program works on"), className="h6 mt-3"),
                    html.Ul([html.Li(localized(r, "name", lang)) for _i, r in gaps.iterrows()],
                            className="small")]
    return html.Section([html.H2(_("Aligned programs and partners"), className="h4 mt-4"),
                         table, *gap_note], id=ids.RESULT_PROGRAMS)


def better_words(data: ScorecardData, code: str, lang: str) -> str:
    """"N of M headline indicators doing better than their baseline" for this result (the
    same count as its scorecard card)."""
    scores = impact(shown_series(data, chosen_key()))
    row = scores[scores["result"] == code]
    m = int(row["headline_series"].iloc[0]) if len(row) else 0
    n = int(row["better_than_baseline"].iloc[0]) if len(row) else 0
    return ngettext("{n} of {m} headline indicator doing better than its baseline",
                    "{n} of {m} headline indicators doing better than their baseline", m).format(
        n=format_number(n, lang, 0), m=format_number(m, lang, 0))


def layout(code: str | None = None, **query: str) -> html.Div:
    """The result with this code, read fresh on every visit; a friendly note if unknown."""
    use_language(query.get("lang"))
    lang = current_language()
    data = load_scorecard()
    codes = list(data.results["result"])
    if code not in codes:
        return html.Div(message(_("Result not found"), _(
            "There is no result “{code}”. The scorecard lists every result.").format(
            code=code or ""), component_id=ids.NOT_FOUND))
    number = codes.index(code) + 1
    result = data.results.iloc[number - 1]
    colour = result_colour(number)
    with read_session() as session:  # read once per data version, as the scorecard is
        tables = cached(session, "alignment_tables", (), lambda: alignment(session=session))
        teams = cached(session, "result_teams", (), lambda: result_teams(session=session))
    team = teams[teams["team"] == result["team_slug"]]
    links = tables.links[tables.links["result"] == code]
    gaps = tables.indicator_gaps[tables.indicator_gaps["result"] == code]
    description = localized(result, "description", lang)
    return html.Div([
        html.Nav(dcc.Link(_("← Scorecard"), href="/"), className="mb-2 no-print",
                 **{"aria-label": _("Breadcrumb")}),
        html.Div([
            result_icon(number, 56),
            html.Div([
                html.Span(_("Result {n}").format(n=number), className="d-block"),
                html.H1(localized(result, "name", lang), id=ids.RESULT_NAME,
                        className="h2 mb-1"),
                html.P(description, className="lead mb-0") if description else None,
                html.P(better_words(data, code, lang), id=ids.RESULT_VERDICTS,
                       className="fw-semibold mt-2 mb-0"),
            ]),
        ], className="d-flex gap-3 align-items-center mb-3 pb-2 result-head",
            style={"borderBottom": f"4px solid {colour}"}),
        dbc.Row([
            dbc.Col([indicator_section(data, code, "headline", colour),
                     indicator_section(data, code, "secondary", colour),
                     agenda_section(data, code)], lg=8),
            dbc.Col(team_section(team.iloc[0] if len(team) else None), lg=4,
                    className="mt-lg-4"),
        ]),
        programs_section(links, gaps),
    ])
