"""What a result team reviews each quarter (rba.report.team): its indicators against the
period before, revisions, what is overdue, and its programs' performance measures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rba.report import team as report
from rba.report.alignment import contributions
from rba.report.team import TeamReview, display_table, measure_sections
from rba.store import catalogue, figures, programs

__all__ = ["TeamReview", "display_table", "measure_sections", "team_review"]


def team_review(*, session: Session, slug: str, as_of: dt.date,
                revised_since: dt.date | None = None, lag_days: int = 120,
                group: str = "{}") -> TeamReview | None:
    """The quarterly review of the team with this slug (None if there is no such team).

    `as_of` is the meeting date: a series is overdue when as_of is past the end of its
    next period plus `lag_days`. Revisions are those since `revised_since` (default:
    three months before as_of). ``group``: a dimensions key (e.g. ``{"city":"Altadena"}``)
    to review that group's series, given or rolled up, instead of the totals.
    """
    teams = catalogue.result_teams_frame(session=session)
    found = teams[teams["team"] == slug]
    if found.empty:
        return None
    since = revised_since or report.review_since(as_of)
    results = catalogue.result_table(session=session)
    results = results[results["team"] == slug].reset_index(drop=True)
    wanted = results["result"].tolist()
    table = catalogue.indicator_table(session=session)
    mine = table[table["result"].isin(wanted)].reset_index(drop=True)
    links = contributions(programs.program_results_frame(session=session),
                          programs.program_indicators_frame(session=session))
    program_codes = sorted(links.loc[links["result"].isin(wanted), "program"].unique())
    measures = programs.measures_frame(session=session, programs=program_codes)
    codes, measure_codes = mine["indicator"].tolist(), measures["measure"].tolist()
    return report.team_review(
        team=found.iloc[0].to_dict(), results=results, indicators=mine,
        indicator_inputs=figures.curve_inputs(session=session, codes=codes),
        measures=measures, programs=programs.programs_frame(session=session),
        measure_inputs=figures.curve_inputs(session=session, codes=measure_codes,
                                            owner="measure"),
        revisions=figures.revisions_since(session=session, since=since, indicators=codes,
                                          measures=measure_codes),
        as_of=as_of, revised_since=since, lag_days=lag_days, group=group)
