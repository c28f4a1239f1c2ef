"""Result team page: what a team reviews each quarter (rba.report.team).

Public read: it shows published indicators only (their totals, which the public pages show
anyway), what changed since the period before, what is overdue, and the team's programs'
performance measures under RBA's three questions. Which figures were revised and by whom is
for the partnership's staff: that part is shown only to a signed-in admin, coordinator or
team member.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import pandas as pd
from dash import dcc, html

from dashboards.auth import STAFF_READ, allowed
from dashboards.cache import cached
from dashboards.components import PARTNERSHIP, message
from dashboards.data import read_session
from dashboards.i18n import _
from dashboards.pages._common import CHANGE_SYMBOLS, frame_table, page_language
from rba.i18n import format_date, format_period, localized, localized_column
from rba.report.team import TeamReview, display_table, measure_sections, team_review

TEAM_PAGE = "team-page"
TEAM_NOT_FOUND = "team-not-found"


def title(slug: str | None = None, **_query: Any) -> str:
    return f"{slug} · {PARTNERSHIP}" if slug else PARTNERSHIP


dash.register_page(__name__, path_template="/teams/<slug>", name="Result team", title=title)


def meeting_date(text: str | None) -> dt.date:
    """The review's as-of date: ?as_of=YYYY-MM-DD, else today."""
    try:
        return dt.date.fromisoformat(str(text)) if text else dt.date.today()
    except ValueError:
        return dt.date.today()


def review(slug: str, as_of: dt.date) -> TeamReview | None:
    with read_session() as session:
        return cached(session, "team_review", (slug, as_of.isoformat()),
                      lambda: team_review(session=session, slug=slug, as_of=as_of))


def figures(frame: pd.DataFrame, lang: str, link: bool) -> Any:
    """Indicator or measure rows as a table with change symbols (and links to indicators)."""
    if frame.empty:
        return html.P(_("None yet."), className="text-body-secondary")
    table = display_table(frame, lang)
    change = table.columns[6]
    table[change] = [f"{CHANGE_SYMBOLS.get(c, '')} {w}".strip() for c, w in
                     zip(frame["change_direction"], table[change], strict=True)]
    if link:
        table[table.columns[0]] = [dcc.Link(n, href=f"/indicators/{c}") for n, c in
                                   zip(table[table.columns[0]], frame["indicator"],
                                       strict=True)]
    numbers = tuple(table.columns[[2, 4, 5, 8]])
    return frame_table(table, numeric=numbers)


def overdue_table(frame: pd.DataFrame, lang: str) -> Any:
    if frame.empty:
        return html.P(_("Nothing is overdue."), className="text-body-secondary")
    out = pd.DataFrame({
        _("Name"): localized_column(frame, "name", lang),
        _("Latest period"): [format_period(p, f, lang) for p, f in
                             zip(frame["latest_period"], frame["frequency"], strict=True)],
        _("Next period expected"): [format_period(p, f, lang) for p, f in zip(
            frame["next_expected_period"], frame["frequency"], strict=True)],
        _("Due by"): [format_date(d, lang) for d in frame["due_by"]],
        _("Days overdue"): [f"{int(d):,}" if d == d else "" for d in frame["days_overdue"]],
    })
    return frame_table(out, numeric=(_("Days overdue"),))


def revisions_table(frame: pd.DataFrame, lang: str) -> Any:
    if frame.empty:
        return html.P(_("No figures were revised in this time."),
                      className="text-body-secondary")
    shown = pd.DataFrame({_("Name"): localized_column(frame, "name", lang)})
    for column, words in (("period", _("Period")), ("previous_value", _("Was")),
                          ("value", _("Now")), ("entered_by", _("Changed by")),
                          ("entered_at", _("When"))):
        if column in frame:
            shown[words] = [format_date(v, lang) if column == "entered_at" else
                            ("" if v is None or v != v else str(v)) for v in frame[column]]
    return frame_table(shown)


def layout(slug: str | None = None, lang: str | None = None, as_of: str | None = None,
           **_query: str) -> html.Div:
    """The quarterly review page of the team with this slug."""
    lang = page_language(lang)
    when = meeting_date(as_of)
    found = review(slug, when) if slug else None
    if found is None:
        return html.Div(message(_("Result team not found"),
                                _("No result team has this address."),
                                component_id=TEAM_NOT_FOUND))
    team = found.team
    people: list[Any] = []
    if team.get("facilitator"):
        people.append(html.P([_("Facilitator: "), html.Strong(team["facilitator"])],
                             className="mb-1"))
    if team["members"]:
        people.append(html.P([_("Members: "), ", ".join(team["members"])],
                             className="small text-body-secondary"))
    results = [html.Li(localized(r, "name", lang)) for r in found.results.to_dict("records")]
    sections: list[Any] = []
    for heading, frame in measure_sections(found.measures, lang):
        sections += [html.H3(heading, className="h6 mt-3"), figures(frame, lang, link=False)]
    parts: list[Any] = [
        html.H1(localized(team, "name", lang), className="h2"),
        *people,
        html.P(_("Quarterly review as of {date}.").format(date=format_date(when, lang)),
               className="text-body-secondary"),
        html.H2(_("Our results"), className="h5 mt-3"), html.Ul(results),
        html.Section([html.H2(_("Our indicators: what changed since the period before"),
                              className="h5 mt-4"),
                      figures(found.indicators, lang, link=True)]),
        html.Section([html.H2(_("Overdue data"), className="h5 mt-4"),
                      overdue_table(found.overdue, lang)]),
        html.Section([html.H2(_("Our programs' performance measures"), className="h5 mt-4"),
                      *sections]),
    ]
    if allowed(STAFF_READ):
        parts.append(html.Section([
            html.H2(_("Figures revised since {date}").format(
                date=format_date(found.revised_since, lang)), className="h5 mt-4"),
            revisions_table(found.revisions, lang)]))
    return html.Div(parts, id=TEAM_PAGE)
