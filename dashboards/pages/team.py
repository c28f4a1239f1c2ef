"""Result team page: what a team reviews each quarter (rba.report.team).

Public read: it shows published indicators only (their totals, or one group's series at
any level with ?city= and/or ?student_group=, through the scorecard's
small-group suppression: a withheld figure is a gap, and a total is shown only where every
part is published), what changed since the period before, what is overdue, and the team's
programs' performance measures under RBA's three questions. Which figures were revised and
by whom is for the partnership's staff: that part is shown only to a signed-in admin,
coordinator or team member, and a withheld cell's revision is listed without its figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import ids
from dashboards.auth import STAFF_READ, account, allowed
from dashboards.cache import cached
from dashboards.components.badges import BASELINE_SYMBOLS, CHANGE_SYMBOLS
from dashboards.components.page_meta import PREVIEW_IMAGE, described, team_title
from dashboards.components.scorecard import load_scorecard, series_points, sparkline
from dashboards.components.shell import message
from dashboards.components.story import may_edit
from dashboards.components.tables import frame_table
from dashboards.data import read_session
from dashboards.i18n import N_, _, ngettext, use_language
from rba.i18n import (
    format_date,
    format_period,
    label_map,
    localized,
    localized_column,
    series_label,
)
from rba.services.catalogue import dimension_labels
from rba.services.scorecard import chosen_key
from rba.services.team import TeamReview, display_table, measure_sections, team_review

dash.register_page(__name__, path_template="/teams/<slug>", name="Result team",
                   title=team_title, image=PREVIEW_IMAGE, description=described(N_(
                       "The result team's quarterly review: what changed in its "
                       "indicators since the period before.")))


def meeting_date(text: str | None) -> dt.date:
    """The review's as-of date: ?as_of=YYYY-MM-DD, else today."""
    try:
        return dt.date.fromisoformat(str(text)) if text else dt.date.today()
    except ValueError:
        return dt.date.today()


def review(slug: str, as_of: dt.date, group: str = "{}") -> TeamReview | None:
    with read_session() as session:
        return cached(session, "team_review_published", (slug, as_of.isoformat(), group),
                      lambda: team_review(session=session, slug=slug, as_of=as_of,
                                          group=group))


def group_picker(slug: str, city: str | None, group: str | None, lang: str,
                 as_of: str | None) -> html.Form:
    """Which group's figures to review (every level: a city, a student group, a student
    group within a city), as a plain form that reloads the page with ?city=&student_group=."""
    names = group_labels()
    shown = label_map(names, lang)
    values = names[names["value"].notna().to_numpy()]

    def select(dimension: str, everyone: str, chosen: str | None) -> Any:
        options = [{"label": shown.get((dimension, v), v), "value": v}
                   for v in values.loc[values["dimension"] == dimension, "value"]]
        # dbc.Select writes a hidden option of its own for value "": its placeholder
        # is what the empty choice shows ("All cities"), not a blank box.
        return dbc.Col(dbc.Select(name=dimension, value=chosen or "", placeholder=everyone,
                                  options=[{"label": everyone, "value": ""}, *options],
                                  id=ids.team_filter(dimension)), md=4)

    hidden = [dcc.Input(type="hidden", name=n, value=v)
              for n, v in (("lang", lang), ("as_of", as_of)) if v]
    return html.Form(dbc.Row([
        *hidden, select("city", _("All cities"), city),
        select("student_group", _("All students"), group),
        dbc.Col(html.Button(_("Show these figures"), type="submit",
                            className="btn btn-outline-primary"), md="auto"),
    ], className="g-2 align-items-center mb-2"), method="GET", action=f"/teams/{slug}",
        id=ids.TEAM_GROUP_PICKER)


def group_labels() -> pd.DataFrame:
    """Dimension and value labels in both languages (for naming revised groups), cached."""
    with read_session() as session:
        return cached(session, "dimension_labels", (),
                      lambda: dimension_labels(session=session))


def withheld_note(frame: pd.DataFrame, lang: str) -> list[Any]:
    """Which indicators' latest figures are withheld (nothing when none is)."""
    late = frame[frame["latest_withheld"].fillna(False).astype(bool).to_numpy()]
    if late.empty:
        return []
    return [html.P(_("The latest figures of these indicators are withheld to protect small "
                     "groups, so the figures shown are the latest that may be published: "
                     "{names}.").format(names="; ".join(localized_column(late, "name", lang))),
                   id=ids.TEAM_WITHHELD, className="small text-body-secondary")]


#: Columns of rba.report.team.display_table (by position): the verdict against the baseline
#: comes right after the name; those shown from tablet width only; numbers.
VERDICT, PERIOD, CHANGE, COMPARED = 1, 2, 6, 7
WIDE_ONLY = (2, 4, 5, 7, 8, 9, 10)
NUMERIC = (3, 5, 6, 9)


def figures(frame: pd.DataFrame, lang: str, link: bool,
            extras: dict[str, list[Any]] | None = None) -> Any:
    """Indicator or measure rows as a table with change symbols (and links to indicators);
    ``extras`` adds to each indicator's name cell (its sparkline, the story's edit link).

    At phone width four columns are left: the name (with the period under it), the
    verdict against the baseline, the value, and the change (with whether it is better or
    worse under it).
    """
    if frame.empty:
        return html.P(_("None yet."), className="text-body-secondary")
    table = display_table(frame, lang)
    columns = list(table.columns)
    compared = [f"{CHANGE_SYMBOLS.get(c, '')} {w}".strip() for c, w in
                zip(frame["change_direction"], table[columns[COMPARED]], strict=True)]
    table[columns[COMPARED]] = compared
    table[columns[VERDICT]] = [f"{BASELINE_SYMBOLS.get(c, '')} {w}".strip() if w else w
                               for c, w in zip(frame["verdict"], table[columns[VERDICT]],
                                               strict=True)]

    def classes(position: int) -> str:
        return " ".join(
            ([f"text-end{'' if position == CHANGE else ' text-nowrap'}"]
             if position in NUMERIC else [])
            + (["d-none d-md-table-cell"] if position in WIDE_ONLY else []))

    head = html.Thead(html.Tr([html.Th(c, scope="col", className=classes(i))
                               for i, c in enumerate(columns)]))
    rows = []
    codes = frame["indicator"] if link else [None] * len(frame)
    for code, words, row in zip(codes, compared, table.itertuples(index=False), strict=True):
        name = dcc.Link(row[0], href=f"/indicators/{code}") if link else row[0]
        cells: list[Any] = [html.Th([name, html.Span(row[PERIOD], className=(
            "d-block d-md-none small fw-normal text-body-secondary")),
            *(extras or {}).get(str(code), [])], scope="row")]
        for i, value in enumerate(row[1:], start=1):
            inner: Any = value
            if i == CHANGE:  # the change, with better or worse under it at phone width
                inner = [html.Span(value, className="text-nowrap"),
                         html.Span(words, className="d-block d-md-none small")]
            cells.append(html.Td(inner, className=classes(i)))
        rows.append(html.Tr(cells))
    return dbc.Table([head, html.Tbody(rows)], striped=True, hover=True, size="sm",
                     responsive=True)


def indicator_extras(found: TeamReview, key: str, slug: str, lang: str
                     ) -> dict[str, list[Any]]:
    """Per indicator: a sparkline of its published figures (of the group shown) and, for
    whoever may edit its turn-the-curve record, a link to the editor."""
    data = load_scorecard()
    user = account()
    editable = may_edit(user, slug)
    out: dict[str, list[Any]] = {}
    for row in found.indicators.to_dict("records"):
        code = str(row["indicator"])
        name = localized(row, "name", lang)
        points = series_points(data, code, key)
        parts: list[Any] = [sparkline(points["value"], "#0b3a66", ngettext(
            "{name}: {count} published figure", "{name}: {count} published figures",
            len(points)).format(name=name, count=len(points)))]
        if editable:
            parts.append(dcc.Link(_("Edit the story"),
                                  href=f"/indicators/{code}#{ids.STORY_EDITOR}",
                                  className="d-block small fw-normal story-edit-link",
                                  id={"type": ids.TEAM_STORY_LINK, "indicator": code}))
        out[code] = parts
    return out


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


def revisions_table(frame: pd.DataFrame, labels: pd.DataFrame, lang: str) -> Any:
    """Revised figures: name, group, period, was, now, by whom and when (withheld: no figures)."""
    if frame.empty:
        return html.P(_("No figures were revised in this time."),
                      className="text-body-secondary", id=ids.TEAM_REVISIONS)
    names = label_map(labels, lang)
    withheld = frame["withheld"].fillna(False).astype(bool).to_numpy() if "withheld" in frame \
        else [False] * len(frame)
    shown = pd.DataFrame({_("Name"): localized_column(frame, "name", lang),
                          _("Group"): [series_label(str(d), names, lang=lang)
                                       for d in frame["dimensions"]]})
    for column, words in (("period", _("Period")), ("previous_value", _("Was")),
                          ("value", _("Now")), ("entered_by", _("Changed by")),
                          ("entered_at", _("When"))):
        if column not in frame:
            continue
        if column == "entered_at":
            shown[words] = [format_date(v, lang) for v in frame[column]]
        elif column in ("previous_value", "value"):
            shown[words] = [_("Withheld") if hidden else ("" if v is None or v != v else str(v))
                            for v, hidden in zip(frame[column], withheld, strict=True)]
        else:
            shown[words] = ["" if v is None or v != v else str(v) for v in frame[column]]
    return frame_table(shown, table_id=ids.TEAM_REVISIONS)


def layout(slug: str | None = None, lang: str | None = None, as_of: str | None = None,
           city: str | None = None, student_group: str | None = None,
           **_query: str) -> html.Div:
    """The quarterly review page of the team with this slug (of one group's figures with
    ?city= and/or ?student_group=; the totals otherwise)."""
    lang = use_language(lang)
    when = meeting_date(as_of)
    key = chosen_key(city, student_group)
    found = review(slug, when, key) if slug else None
    if found is None:
        return html.Div(message(_("Result team not found"),
                                _("No result team has this address."),
                                component_id=ids.TEAM_NOT_FOUND))
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
                      group_picker(slug, city, student_group, lang, as_of),
                      *([html.P(_("Showing: {group}").format(group=series_label(
                          key, label_map(group_labels(), lang), lang=lang)),
                          className="small", id=ids.TEAM_GROUP_SHOWN)] if key != "{}" else []),
                      figures(found.indicators, lang, link=True,
                              extras=indicator_extras(found, key, slug, lang)),
                      *withheld_note(found.indicators, lang)]),
        html.Section([html.H2(_("Overdue data"), className="h5 mt-4"),
                      overdue_table(found.overdue, lang)]),
        html.Section([html.H2(_("Our programs' performance measures"), className="h5 mt-4"),
                      *sections]),
    ]
    if allowed(STAFF_READ):
        parts.append(html.Section([
            html.H2(_("Figures revised since {date}").format(
                date=format_date(found.revised_since, lang)), className="h5 mt-4"),
            revisions_table(found.revisions, group_labels(), lang)]))
    return html.Div(parts, id=ids.TEAM_PAGE)
