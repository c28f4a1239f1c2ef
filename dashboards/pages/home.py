"""The scorecard: the seven results, each with its headline indicators and impact score,
filters by city and student group, and what is overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboards import ids
from dashboards.auth import PUBLIC, secure_callback
from dashboards.cache import cached
from dashboards.components.badges import definition_button
from dashboards.components.page_meta import PREVIEW_IMAGE, described, titled
from dashboards.components.results import result_colour, result_icon
from dashboards.components.scorecard import indicator_row, load_scorecard
from dashboards.components.shared_views import SCORECARD_SCRIPT, WHERE, chosen_filters
from dashboards.components.shell import SUBTITLE, message
from dashboards.data import read_session
from dashboards.i18n import N_, _, current_language, ngettext, use_language
from dashboards.public import public_site
from rba.i18n import format_number, format_period, is_missing, localized
from rba.services.report_card import report_card_year
from rba.services.scorecard import OVERALL, ScorecardData, chosen_key, impact, shown_series

dash.register_page(__name__, path="/", name="Scorecard", order=0,
                   title=lambda **_path: titled(_("Scorecard")), description=described(SUBTITLE),
                   image=PREVIEW_IMAGE)

IMPACT_DEFINITION = N_(
    "Clear Impact's summary, out of 100: 60% for the share of headline indicators whose "
    "latest change improved or held steady, 40% for the share at or better than their "
    "first figure. The count above it is the verdict: doing better than the baseline "
    "forecast.")
#: Headline indicators drawn per result card (a result has three or four; the rest are one
#: click away on the result page, so a very large store still gives a quick scorecard).
MAX_SHOWN = 6
#: Overdue indicators listed before the rest, which load when asked for ("Show N more").
MAX_OVERDUE = 10
EMPTY = N_("No results yet. A coordinator loads data with “rba demo” (the sample data) or "
           "“rba import”, or on the Upload page after signing in.")


def impact_badge(scores: pd.DataFrame, subject_id: str) -> html.Div:
    """How many headline indicators do better than their baseline, then the impact score
    with what it means one tap away."""
    lang = current_language()
    row = scores.iloc[0] if len(scores) else None
    series = 0 if row is None or is_missing(row["headline_series"]) else int(
        row["headline_series"])
    better = 0 if row is None else int(row.get("better_than_baseline", 0))
    score = None if row is None else row["impact_score"]
    text = _("Not enough data") if is_missing(score) else format_number(score, lang, 0)
    return html.Div([
        html.Span(_("{n} of {m}").format(n=format_number(better, lang, 0),
                                         m=format_number(series, lang, 0)),
                  className="fs-4 fw-bold d-block better-count"),
        html.Span(ngettext("headline indicator doing better than its baseline",
                           "headline indicators doing better than their baseline", series),
                  className="small d-block"),
        html.Span([_("Impact score"), " ", html.Span(text, className="fw-semibold"),
                   " / 100" if not is_missing(score) else "",
                   *definition_button(_(IMPACT_DEFINITION), ids.impact_definition(subject_id),
                                      _("Impact score"))],
                  className="small text-body-secondary d-block impact-label"),
    ], className="impact text-end", id=ids.impact_score(subject_id))


def result_card(data: ScorecardData, number: int, result: pd.Series, shown: pd.DataFrame,
                scores: pd.DataFrame, key: str) -> dbc.Card:
    """One result: its icon, number and name, impact score and headline indicators."""
    lang = current_language()
    code = result["result"]
    colour = result_colour(number)
    rows = shown[(shown["result"] == code) & (shown["kind"] == "headline")]
    score = scores[scores["result"] == code]
    has_headline = ((data.overview["result"] == code)
                    & (data.overview["kind"] == "headline")).any()
    if len(rows):
        more = len(rows) - MAX_SHOWN
        body: Any = html.Ul([indicator_row(data, r, key, colour)
                             for _i, r in rows.head(MAX_SHOWN).iterrows()],
                            className="list-group list-group-flush")
        if more > 0:
            body = html.Div([body, dcc.Link(ngettext(
                "{n} more headline indicator on the result page",
                "{n} more headline indicators on the result page", more).format(
                n=format_number(more, lang, 0)), href=f"/results/{code}",
                className="d-block small mb-2 more-indicators")])
    elif has_headline:
        body = html.P(_("No published figures for this group: choose another city or "
                        "student group, or clear the filters."), className="text-body-secondary")
    else:
        body = html.P(_("No headline indicators yet: the result team chooses three or four "
                        "and the coordinator adds them."), className="text-body-secondary")
    return dbc.Card([
        dbc.CardHeader(html.Div([
            result_icon(number, 40),
            html.Div([
                html.Span(_("Result {n}").format(n=number), className="small d-block"),
                html.H2(dcc.Link(localized(result, "name", lang), href=f"/results/{code}",
                                 className="result-link"), className="h5 mb-0"),
            ], className="flex-grow-1"),
            impact_badge(score, code),
        ], className="d-flex gap-3 align-items-center"),
            style={"borderTop": f"6px solid {colour}"}),
        dbc.CardBody([
            html.H3(_("Headline indicators"), className="h6 visually-hidden"),
            body,
            dcc.Link(_("The whole result: all indicators, team and programs"),
                     href=f"/results/{code}", className="small"),
        ]),
    ], className="h-100 shadow-sm result-card", id=ids.result_card(code))


def late_indicators(data: ScorecardData) -> pd.DataFrame:
    """The indicators whose next figures are late (total series), in display order."""
    return data.summary[data.summary["overdue"].astype(bool)
                        & (data.summary["dimensions"] == "{}")]


def overdue_items(late: pd.DataFrame) -> list[html.Li]:
    """One line per late indicator: its link, the period expected and how late."""
    lang = current_language()
    return [html.Li([
        dcc.Link(localized(r, "name", lang), href=f"/indicators/{r['indicator']}"),
        " · ", _("{period} expected, {days} days late").format(
            period=format_period(r["next_expected_period"], r["frequency"], lang),
            days=format_number(r["days_overdue"], lang, 0)),
    ]) for _i, r in late.iterrows()]


def overdue_panel(data: ScorecardData) -> html.Section:
    """The first overdue indicators (the rest one click away), or that none are."""
    lang = current_language()
    late = late_indicators(data)  # only the lines shown are drawn: there may be thousands
    if late.empty:
        inner: Any = html.P(_("Nothing is overdue: every indicator has its latest figures."),
                            className="mb-0")
    else:
        inner = html.Ul(overdue_items(late.head(MAX_OVERDUE)), className="mb-0")
    if len(late) > MAX_OVERDUE:
        rest = len(late) - MAX_OVERDUE
        inner = html.Div([inner, html.Div(id=ids.OVERDUE_REST), dbc.Button(
            ngettext("Show {n} more", "Show {n} more", rest).format(
                n=format_number(rest, lang, 0)),
            id=ids.OVERDUE_MORE, color="link", size="sm", className="px-0")])
    return html.Section([
        html.H2([_("Overdue"), dbc.Badge(format_number(len(late), lang, 0), color="dark",
                                         className="ms-2")], className="h5"),
        inner,
    ], id=ids.OVERDUE, className="card card-body shadow-sm mb-4 overdue",
        **{"aria-live": "polite"})


@secure_callback(PUBLIC, Output(ids.OVERDUE_REST, "children"), Output(ids.OVERDUE_MORE, "style"),
                 Input(ids.OVERDUE_MORE, "n_clicks"), State(ids.SCORECARD_LANG, "data"),
                 prevent_initial_call=True)
def show_all_overdue(clicks: Any, lang: Any) -> tuple[Any, dict[str, str]]:
    """The overdue indicators beyond the first few (public figures only)."""
    if not clicks:
        raise dash.exceptions.PreventUpdate
    use_language(lang)
    rest = late_indicators(load_scorecard()).iloc[MAX_OVERDUE:]
    return (html.Ul(overdue_items(rest), className="mb-0"),
            {"display": "none"})


def scorecard_body(city: Any = None, group: Any = None,
                   data: ScorecardData | None = None) -> list[Any]:
    """The overall impact score and one card per result for the series the filters chose."""
    data = data if data is not None else load_scorecard()
    key = chosen_key(city, group)
    shown = shown_series(data, key)
    scores = impact(shown)
    overall = scores[scores["result"] == OVERALL]
    which = _("All of Pasadena, Altadena and Sierra Madre") if key == "{}" else _(
        "Showing: {group}").format(group=", ".join(
            _option_label(data, name, value) for name, value in
            (("city", city), ("student_group", group)) if isinstance(value, str) and value))
    headline = html.Div([
        html.Div([html.H2(_("All results"), className="h5 mb-1"),
                  html.P(which, className="mb-0 small", id=ids.FILTER_SUMMARY)]),
        impact_badge(overall, OVERALL),
    ], id=ids.IMPACT_OVERALL, className="card card-body shadow-sm mb-4 d-flex flex-row "
                                       "justify-content-between align-items-center")
    cards = [dbc.Col(result_card(data, n, r, shown, scores, key), lg=6, className="mb-4")
             for n, (_i, r) in enumerate(data.results.iterrows(), start=1)]
    return [headline, html.Section(dbc.Row(cards, id=ids.RESULTS_LIST),
                                   **{"aria-label": _("Results")})]


def _option_label(data: ScorecardData, dimension: str, value: str) -> str:
    for option in data.options.get(dimension, []):
        if option["value"] == value:
            return option["label"]
    return value


def filters(data: ScorecardData, city: str | None = None, group: str | None = None
            ) -> dbc.Row:
    """City and student group pickers, each with a visible label, showing these choices."""
    def picker(dimension: str, component_id: str, text: str, everyone: str) -> dbc.Col:
        chosen = {"city": city, "student_group": group}.get(dimension) or ""
        return dbc.Col([
            dbc.Label(text, html_for=component_id, className="fw-semibold"),
            # A native select: keyboard and phone friendly, and no script to load.
            # dbc.Select's own placeholder is a hidden option: "everyone" is also listed
            # so the filter can be cleared.
            dbc.Select(id=component_id, value=chosen, placeholder=everyone,
                       options=[{"label": everyone, "value": ""},
                                *data.options.get(dimension, [])]),
        ], md=4, className="mb-2")
    return dbc.Row([
        picker("city", ids.FILTER_CITY, _("City"), _("All cities")),
        picker("student_group", ids.FILTER_GROUP, _("Student group"), _("All students")),
        dbc.Col(html.P(_("Small groups are not shown, to protect students' privacy."),
                       className="small text-body-secondary mb-2"), md=4,
                className="align-self-end"),
    ], className="mb-3 no-print filters")


def layout(**query: Any) -> html.Div:
    """The scorecard, drawn once per data version, language and filters and shared by every
    visit; ``?where=city=Altadena&where=student_group=Latino`` chooses the filters
    (shared_views: a value that is not one of a filter's options is ignored)."""
    lang = use_language(query.get("lang"))
    city, group = chosen_filters(query.get(WHERE), load_scorecard().options)
    with read_session() as session:
        return cached(session, "scorecard_page",
                      (lang, city, group, dt.date.today().isoformat()),
                      lambda: scorecard_page(lang, city, group))


def report_card_link(lang: str) -> html.P | str:
    """Links to the latest annual report card (the page and its PDF), if there is one: on
    the staff site and the public site alike (it reads only the published view)."""
    with read_session() as session:
        year = report_card_year(session=session)
    if year is None:
        return ""
    return html.P([
        html.A(_("Annual report card {year}").format(year=year),
               href=f"/report-card/{year}?lang={lang}", className="fw-semibold"),
        " · ",
        html.A(_("PDF"), href=f"/report-card/{year}.pdf?lang={lang}"),
    ], id=ids.REPORT_CARD_LINK, className="report-card-link")


# The address follows the filters picked (shared_views): in the browser only.
dash.clientside_callback(SCORECARD_SCRIPT, Output(ids.SCORECARD_ADDRESS, "children"),
                         Input(ids.FILTER_CITY, "value"), Input(ids.FILTER_GROUP, "value"))


def scorecard_page(lang: str, city: str | None = None, group: str | None = None) -> html.Div:
    """The scorecard page as read from the store now (no cache), for these filters."""
    header = html.Div([
        html.H1(_("Scorecard"), className="display-6 fw-semibold"),
        html.P(_(SUBTITLE), className="lead"),
        report_card_link(lang),
    ], className="mb-3")
    data = load_scorecard()
    if data.results.empty:
        return html.Div([header, message(_("No results yet"), _(EMPTY),
                                         component_id=ids.EMPTY_STATE, link=False)])
    return html.Div([
        header,
        dcc.Store(id=ids.SCORECARD_LANG, data=lang),
        filters(data, city, group),
        html.Div(id=ids.SCORECARD_ADDRESS, hidden=True),
        # What is overdue is the coordinator's list to chase: the public site, which shows
        # final figures only, would count every provisional one as missing.
        *([] if public_site() else [overdue_panel(data)]),
        dcc.Loading(html.Div(scorecard_body(city, group, data=data), id=ids.SCORECARD),
                    type="dot"),
    ])


@secure_callback(PUBLIC, Output(ids.SCORECARD, "children"), Input(ids.FILTER_CITY, "value"),
                 Input(ids.FILTER_GROUP, "value"), State(ids.SCORECARD_LANG, "data"),
                 prevent_initial_call=True)
def filter_scorecard(city: Any, group: Any, lang: Any) -> list[Any]:
    """The scorecard again for the chosen city and student group (public figures only)."""
    chosen = use_language(lang)
    city = city if isinstance(city, str) and city else None  # "": everyone
    group = group if isinstance(group, str) and group else None
    with read_session() as session:
        return cached(session, "scorecard_body",
                      (chosen, city, group, dt.date.today().isoformat()),
                      lambda: scorecard_body(city, group))
