"""What a result team reviews each quarter.

For one team and an as-of date: the indicators of its results (total series, or one group
at any level: Altadena, all student groups) with this
period's value against the period before, revisions since a date, what is overdue, and
the performance measures of the programs contributing to its results, in RBA's three
kinds. "The period before" is the previous period *with a value* (a gap is skipped, as
the current trend skips it). A change is signed by polarity: `change` is latest minus
previous in the unit; `change_direction` is improving when that moves the good way.

Every figure of an indicator goes through the scorecard's small-group suppression
(rba.report.suppression with each indicator's min_n, totals rolled up from all their parts
first and protected as published parents) before anything is computed: a withheld cell is
a gap, so neither a value, a change, a trend nor a target colour can reveal it, and the
totals shown are the scorecard's. Whether data is overdue is judged on what was entered,
withheld or not: a withheld figure is not late. Revised figures of withheld cells are
listed without their figures. Performance measures are program figures without min_n:
nothing to suppress.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rba.calc import CurveInputs, compute_curves, freshness
from rba.calc.series import polarity_sign
from rba.i18n import (
    format_change,
    format_period,
    format_value,
    label,
    localized_column,
    translator,
)
from rba.periods import labels_by_frequency
from rba.report.curves import future_labels, indicator_curves
from rba.report.scorecard import period_ends, with_rolled_up_levels
from rba.report.suppression import blanked, cell_size, suppress

MEASURE_KINDS = ("how_much", "how_well", "better_off")
CHANGE_COLUMNS = ["series", "latest_period", "latest_value", "previous_period",
                  "previous_value", "change", "change_direction"]
FIGURE_COLUMNS = ["verdict", "latest_period", "latest_value", "previous_period", "previous_value",
                  "change", "change_direction", "trend_direction", "trend_periods",
                  "latest_status", "target", "target_period", "target_band", "progress_status",
                  "next_expected_period", "overdue", "days_overdue"]
INDICATOR_COLUMNS = ["result", "indicator", "name", "name_es", "kind", "unit", "per",
                     "polarity", "frequency", *FIGURE_COLUMNS, "latest_withheld"]
MEASURE_COLUMNS = ["program", "program_name", "program_name_es", "measure", "name", "name_es",
                   "kind", "unit", "per", "polarity", "frequency", *FIGURE_COLUMNS]
OVERDUE_COLUMNS = ["owner", "code", "name", "name_es", "program", "frequency",
                   "latest_period", "next_expected_period", "due_by", "days_overdue"]


def period_changes(rows: pd.DataFrame, polarity: pd.Series) -> pd.DataFrame:
    """Per series: its latest actual, the one before it and the change between them.

    `rows` are compute_curves rows (series, ordinal, period, actual); `polarity` maps
    series id to "up"/"down". change = latest - previous; change_direction is improving
    (the good way), worsening, unchanged, or none without two actuals. Columns:
    CHANGE_COLUMNS.
    """
    actual = rows[rows["actual"].notna().to_numpy()].sort_values(["series", "ordinal"],
                                                                 kind="stable")
    last_two = actual.groupby("series", sort=True, observed=True).tail(2)
    latest = last_two.drop_duplicates("series", keep="last").set_index("series")
    before = last_two[last_two.duplicated("series", keep="last")].set_index("series")
    out = pd.DataFrame({"series": latest.index.to_numpy(dtype=object)})
    out["latest_period"] = latest["period"].astype(object).to_numpy()
    out["latest_value"] = latest["actual"].to_numpy(dtype=float)
    out["previous_period"] = out["series"].map(before["period"].astype(object)).astype(object)
    out["previous_value"] = out["series"].map(before["actual"]).astype(float)
    out["change"] = out["latest_value"] - out["previous_value"]
    sign = polarity_sign(out["series"].map(polarity).to_numpy(dtype=object)) if len(out) \
        else np.zeros(0)
    good = sign * out["change"].to_numpy(dtype=float)
    out["change_direction"] = np.select(
        [np.isnan(good), good > 0, good < 0], ["none", "improving", "worsening"],
        "unchanged").astype(object)
    return out[CHANGE_COLUMNS]


def series_figures(rows: pd.DataFrame, summary: pd.DataFrame, today: dt.date,
                   lag_days: int = 120, entered: pd.Series | None = None) -> pd.DataFrame:
    """Per series: the period change, the summary's trend/status/target and freshness.

    ``entered`` (series id -> ordinal) is the latest period with a figure entered, when
    that differs from the summary's latest period with a value (figures withheld from the
    summary are still entered, so not late).
    """
    changes = period_changes(rows, summary.set_index("series")["polarity"].astype(object))
    latest = summary if entered is None else summary.assign(
        latest_period=summary["series"].map(entered).astype(float))
    fresh = freshness(latest, period_ends, today, lag_days)
    frequency = summary["frequency"].astype(object)
    out = pd.DataFrame({
        "series": summary["series"].to_numpy(dtype=object),
        "verdict": summary["verdict"].astype(object).to_numpy(),
        "trend_direction": summary["trend_direction"].astype(object).to_numpy(),
        "trend_periods": summary["trend_periods"].to_numpy(),
        "latest_status": summary["latest_status"].astype(object).to_numpy(),
        "target": summary["target"].to_numpy(dtype=float),
        "target_period": labels_by_frequency(summary["target_period"], frequency).to_numpy(),
        "target_band": summary["target_band"].astype(object).to_numpy(),
        "progress_status": summary["progress_status"].astype(object).to_numpy(),
        "next_expected_period": labels_by_frequency(fresh["next_expected_period"].astype(float),
                                        frequency).to_numpy(),
        "due_by": fresh["due_by"].to_numpy(),
        "overdue": fresh["overdue"].to_numpy(),
        "days_overdue": fresh["days_overdue"].to_numpy(),
    })
    out = out.merge(changes, on="series", how="left")
    for column in ("verdict", "trend_direction", "latest_status", "target_band",
                   "progress_status"):
        out[column] = out[column].where(out[column].notna(), None)
    return out


@dataclass(frozen=True)
class TeamReview:
    """Everything one result team looks at in its quarterly meeting."""

    #: slug, name, name_es, facilitator, members (tuple of names).
    team: dict[str, Any]
    #: result, name, name_es of the team's results, in display order.
    results: pd.DataFrame
    #: One row per published indicator of those results (total series): INDICATOR_COLUMNS,
    #: figures as they may be published; latest_withheld: the latest entered is withheld.
    indicators: pd.DataFrame
    #: Figures revised since `revised_since` (rba.store.programs.revisions_since) + name,
    #: name_es and withheld (True: a withheld cell's revision, its figures blanked).
    revisions: pd.DataFrame
    #: Indicator totals and measures whose next period is overdue: OVERDUE_COLUMNS.
    overdue: pd.DataFrame
    #: Measures of the team's programs, by kind, program and order: MEASURE_COLUMNS.
    measures: pd.DataFrame
    as_of: dt.date
    revised_since: dt.date


def _members(text: object) -> tuple[str, ...]:
    return tuple(m.strip() for m in re.split(r"[;\n]", str(text or "")) if m.strip())


def _entered_latest(observations: pd.DataFrame, group: str = "{}") -> pd.Series:
    """Per indicator: the latest ordinal with a figure of `group` (default: the total)
    entered or rolled up, withheld or not."""
    totals = observations[(observations["dimensions"] == group).to_numpy()
                          & observations["value"].notna().to_numpy()]
    return totals.groupby("indicator")["ordinal"].max().astype(float)


def _indicator_rows(inputs: CurveInputs, catalogue: pd.DataFrame, today: dt.date, lag_days: int,
                    group: str = "{}") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicators' figures of one level's group (``group``, a dimensions key; default
    the totals) as the scorecard may publish them, and what is withheld.

    As on the scorecard (rba.report.scorecard.public_inputs), totals missing from the store
    are rolled up from all their parts first and count as published parents; withheld
    cells then stay as gaps (rba.report.suppression.blanked), so no later roll-up or trend
    can bridge them. `catalogue`: indicator_table rows. Returns the figures (indicator,
    due_by, FIGURE_COLUMNS, latest_withheld) and the withheld cells (indicator, period,
    dimensions).
    """
    cells = inputs.observations[["indicator", "period", "dimensions"]].iloc[:0]
    if inputs.observations.empty:
        return pd.DataFrame(columns=["indicator", "due_by", *FIGURE_COLUMNS,
                                     "latest_withheld"]), cells
    limits = catalogue[["indicator", "unit", "min_n"]]
    entered = with_rolled_up_levels(inputs.observations, inputs.indicators)
    checked = suppress(entered, limits)
    cells = checked.loc[checked["suppressed"].to_numpy(), ["indicator", "period",
                                                           "dimensions"]]
    public = dataclasses.replace(inputs, observations=blanked(entered, limits))
    rows, summary = indicator_curves(public)
    totals = summary[(summary["dimensions"] == group).to_numpy()].reset_index(drop=True)
    latest = _entered_latest(entered, group)
    entered_by_series = pd.Series(totals["indicator"].map(latest).to_numpy(dtype=float),
                                  index=totals["series"].to_numpy())
    figures = series_figures(rows[rows["series"].isin(totals["series"])], totals, today,
                             lag_days, entered=entered_by_series)
    published_latest = totals["latest_period"].to_numpy(dtype=float)
    entered_latest = entered_by_series.to_numpy(dtype=float)
    withheld = ~np.isnan(entered_latest) & ~(published_latest >= entered_latest)
    figures = figures.assign(indicator=totals["indicator"].astype(object).to_numpy(),
                             latest_withheld=withheld)
    return figures, cells.reset_index(drop=True)


def withhold_revisions(revisions: pd.DataFrame, withheld: pd.DataFrame,
                       indicators: pd.DataFrame) -> pd.DataFrame:
    """Revisions with the figures of withheld cells blanked, and a `withheld` column.

    A revision is withheld when its cell is withheld now (`withheld`: indicator, period,
    dimensions), or when a count's old or new figure is under its indicator's min_n (a
    count's figure is its size).
    """
    out = revisions.copy()
    mine = (out["owner"] == "indicator").to_numpy()
    keys = pd.MultiIndex.from_frame(out[["code", "period", "dimensions"]].astype(str))
    hidden = keys.isin(pd.MultiIndex.from_frame(withheld[["indicator", "period",
                                                          "dimensions"]].astype(str)))
    about = indicators.set_index("indicator")
    unit = out["code"].map(about["unit"]).astype(object)
    min_n = pd.to_numeric(out["code"].map(about["min_n"]), errors="coerce").to_numpy(float)
    for column in ("previous_value", "value"):
        size = cell_size(pd.DataFrame({"value": out[column]}), unit)
        hidden |= ~np.isnan(min_n) & ~np.isnan(size) & (size < min_n)
    out["withheld"] = mine & hidden
    for column in ("previous_value", "value"):
        out[column] = out[column].astype(float).where(~out["withheld"].to_numpy(), np.nan)
    return out


def _measure_rows(inputs: CurveInputs, today: dt.date, lag_days: int) -> pd.DataFrame:
    if inputs.observations.empty:
        return pd.DataFrame(columns=["measure", "due_by", *FIGURE_COLUMNS])
    rows, summary = compute_curves(inputs.observations, inputs.indicators, inputs.targets,
                                   label_for=future_labels)
    totals = summary[(summary["dimensions"] == "{}").to_numpy()].reset_index(drop=True)
    figures = series_figures(rows[rows["series"].isin(totals["series"])], totals, today,
                             lag_days)
    return figures.assign(measure=totals["indicator"].astype(object).to_numpy())


def _overdue(indicators: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    late_i = indicators[indicators["overdue"].fillna(False).astype(bool).to_numpy()]
    late_m = measures[measures["overdue"].fillna(False).astype(bool).to_numpy()]
    frame = pd.concat([
        late_i.rename(columns={"indicator": "code"}).assign(owner="indicator", program=None),
        late_m.rename(columns={"measure": "code"}).assign(owner="measure")],
        ignore_index=True)
    if frame.empty:
        return pd.DataFrame(columns=OVERDUE_COLUMNS)
    frame["due_by"] = pd.to_datetime(frame["due_by"]).dt.date
    return frame.sort_values("days_overdue", ascending=False, kind="stable")[
        OVERDUE_COLUMNS].reset_index(drop=True)


def review_since(as_of: dt.date) -> dt.date:
    """The default start of a review's revisions: three months before the meeting."""
    return (pd.Timestamp(as_of) - pd.DateOffset(months=3)).date()


def team_review(*, team: dict[str, Any], results: pd.DataFrame, indicators: pd.DataFrame,
                indicator_inputs: CurveInputs, measures: pd.DataFrame,
                programs: pd.DataFrame, measure_inputs: CurveInputs,
                revisions: pd.DataFrame, as_of: dt.date, revised_since: dt.date,
                lag_days: int = 120, group: str = "{}") -> TeamReview:
    """The quarterly review of one team from what the store holds of it.

    ``team``: its result_teams_frame row; ``results``: its results (result_table rows);
    ``indicators``: their indicator_table rows, and ``indicator_inputs`` their figures;
    ``measures``: the measures_frame rows of the programs contributing to those results,
    ``programs`` the programs_frame and ``measure_inputs`` the measures' figures;
    ``revisions``: revisions_since ``revised_since`` of those indicators and measures.
    `as_of` is the meeting date: a series is overdue when as_of is past the end of its
    next period plus `lag_days`. ``group`` (a dimensions key, e.g. ``{"city":"Altadena"}``)
    reviews that group's series of every indicator that has it, given or rolled up; the
    default is the totals.
    """
    team = {**team, "members": _members(team["members"])}
    mine = indicators.reset_index(drop=True)
    figures, withheld = _indicator_rows(indicator_inputs, mine, as_of, lag_days, group)
    indicators = mine.merge(figures, on="indicator", how="left")
    indicators["latest_withheld"] = indicators["latest_withheld"].fillna(False).astype(bool)

    program_rows = programs.set_index("program")
    measure_figures = _measure_rows(measure_inputs, as_of, lag_days)
    measures = measures.merge(measure_figures, on="measure", how="left")
    measures["program_name"] = measures["program"].map(program_rows["name"])
    measures["program_name_es"] = measures["program"].map(program_rows["name_es"])
    measures["_kind"] = measures["kind"].map({k: i for i, k in enumerate(MEASURE_KINDS)})
    measures = measures.sort_values(["_kind", "program", "display_order", "measure"],
                                    kind="stable").reset_index(drop=True)

    names = pd.concat([
        mine[["indicator", "name", "name_es"]].rename(columns={"indicator": "code"})
        .assign(owner="indicator"),
        measures[["measure", "name", "name_es"]].rename(columns={"measure": "code"})
        .assign(owner="measure")])
    revisions = withhold_revisions(revisions.merge(names, on=["owner", "code"], how="left"),
                                   withheld, mine)
    return TeamReview(team=team, results=results[["result", "name", "name_es"]],
                      indicators=indicators[INDICATOR_COLUMNS],
                      revisions=revisions, overdue=_overdue(indicators, measures),
                      measures=measures[MEASURE_COLUMNS], as_of=as_of,
                      revised_since=revised_since)


def measure_sections(measures: pd.DataFrame, lang: str = "en"
                     ) -> list[tuple[str, pd.DataFrame]]:
    """The measures in RBA's three kinds, each under its heading in a language.

    Every kind is listed, even with no measures ("How much did we do?" first).
    """
    return [(label("measure_kind", kind, lang),
             measures[(measures["kind"] == kind).to_numpy()].reset_index(drop=True))
            for kind in MEASURE_KINDS]


def display_table(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Indicator or measure rows as text in a language, ready for a table.

    Names in the language (English where no translation is entered), values in their
    unit, changes signed, periods in words, codes as words.
    """
    _ = translator(lang)
    units, pers = frame["unit"].astype(object), frame["per"]
    freq = frame["frequency"].astype(object)

    def values(column: str) -> list[str]:
        return [format_value(v, u, p, lang) for v, u, p in zip(frame[column], units, pers,
                                                              strict=True)]

    def periods(column: str) -> list[str]:
        return [format_period(v, f, lang) for v, f in zip(frame[column], freq, strict=True)]

    out = pd.DataFrame(index=frame.index)
    out[_("Name")] = localized_column(frame, "name", lang)
    out[_("Against its baseline")] = [label("verdict", c, lang) for c in frame["verdict"]]
    out[_("Period")] = periods("latest_period")
    out[_("Value")] = values("latest_value")
    out[_("Previous period")] = periods("previous_period")
    out[_("Previous value")] = values("previous_value")
    out[_("Change")] = [format_change(v, u, lang) for v, u in zip(frame["change"], units,
                                                                  strict=True)]
    out[_("Compared with the period before")] = [label("change", c, lang)
                                                  for c in frame["change_direction"]]
    out[_("Trend")] = [label("trend", c, lang) for c in frame["trend_direction"]]
    out[_("Target")] = values("target")
    out[_("Target status")] = [label("band", c, lang) for c in frame["target_band"]]
    return out
