"""The scorecard: every series of every indicator with its summary figures and freshness,
as `rba scorecard` writes it and the scorecard and result pages show it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from rba.calc import CurveInputs, impact_scores
from rba.calc.impact import OVERALL
from rba.dimensions import dimension_key, parse_dimension_key
from rba.report import scorecard as report
from rba.report.documents import scorecard_csv as scorecard_text
from rba.report.documents import scorecard_records
from rba.services.catalogue import dimension_labels
from rba.services.exports import neutralised
from rba.store import catalogue, figures
from rba.store.published import reads

__all__ = ["FILTER_DIMENSIONS", "OVERALL", "ScorecardData", "chosen_key", "display_order",
           "impact", "public_inputs", "scorecard", "scorecard_csv", "scorecard_page",
           "scorecard_records", "shown_series"]


def display_order(*, session: Session, published_view: bool = False) -> list[str]:
    """Every indicator's code in the results' and indicators' display order (with
    ``published_view``, or on the public site: every published indicator's)."""
    overview = reads(session, catalogue, published_view).results_overview(
        session=session, published_only=False, latest=False)
    return overview["indicator"].dropna().tolist()


def public_inputs(*, session: Session) -> CurveInputs:
    """The curve inputs of published indicators as they may be published (small groups and
    the cells that would reveal them left out; rba.report.scorecard.published_inputs).
    On the public site, read through the published view: final figures only."""
    return one_unit(report.published_inputs(
        reads(session, figures).curve_inputs(session=session),
        reads(session, catalogue).indicator_table(session=session)))


def scorecard_csv(frame: pd.DataFrame) -> str:
    """The scorecard as the `rba scorecard --format csv` text, text a spreadsheet would run
    as a formula neutralised (as every written file has it)."""
    return scorecard_text(neutralised(frame))


def one_unit(inputs: CurveInputs) -> CurveInputs:
    """The inputs with targets and frozen baselines only of series whose observations are
    shown: an unpublished indicator, or a withheld group, takes its baselines with it."""
    shown = inputs.observations["series"].unique()
    frozen, targets = inputs.frozen, inputs.targets
    return dataclasses.replace(
        inputs,
        frozen=frozen[frozen["series"].isin(shown).to_numpy()].reset_index(drop=True),
        targets=targets[targets["series"].isin(shown).to_numpy()].reset_index(drop=True),
    )


def scorecard(*, session: Session, today: date, lag_days: int = 120,
              inputs: CurveInputs | None = None) -> pd.DataFrame:
    """One row per series of every indicator (or of ``inputs``, e.g. `public_inputs`): its
    summary, next expected period and whether it is overdue as of ``today``."""
    inputs = inputs if inputs is not None else figures.curve_inputs(session=session)
    return report.scorecard(inputs, today=today, order=display_order(session=session),
                            lag_days=lag_days)


FILTER_DIMENSIONS = ("city", "student_group")


@dataclass(frozen=True)
class ScorecardData:
    """Everything the scorecard shows, as read for one visit."""

    overview: pd.DataFrame  # one row per indicator (results_overview) with lay definitions
    results: pd.DataFrame  # result, name, name_es, description(_es), team names and slug
    summary: pd.DataFrame  # scorecard rows (public figures) with polarity, unit, per...
    points: pd.DataFrame  # sparkline points: indicator, dimensions, period, value, in order
    spans: dict[tuple[str, str], tuple[int, int]]  # (indicator, key) -> rows of `points`
    options: dict[str, list[dict[str, str]]]  # filter options per dimension


def scorecard_page(*, session: Session, today: dt.date, lang: str) -> ScorecardData:
    """Read and compute the public scorecard the pages show (no cache)."""
    inputs = public_inputs(session=session)
    summary = scorecard(session=session, today=today, inputs=inputs)
    read = reads(session, catalogue)
    overview = read.results_overview(session=session, latest=False)
    definitions = read.indicator_definitions(session=session)
    results = read.result_descriptions(session=session)
    labels = dimension_labels(session=session, lang=lang)  # in display order
    values = labels[labels["value"].notna().to_numpy()
                    & labels["dimension"].isin(FILTER_DIMENSIONS).to_numpy()]
    overview = overview.merge(definitions, on="indicator", how="left")
    about = overview.dropna(subset=["indicator"]).drop_duplicates("indicator")[
        ["indicator", "name", "name_es", "unit", "per", "polarity", "frequency"]]
    summary = summary.merge(about, on="indicator", how="inner")
    options = {name: [{"label": t if isinstance(t, str) and t else v, "value": v}
                      for v, t in zip(group["value"], group["label"], strict=True)]
               for name, group in values.groupby("dimension")}
    points, spans = sparkline_points(inputs.observations)
    return ScorecardData(overview, results, summary, points, spans, options)


def filter_keys(keys: pd.Series) -> np.ndarray:
    """Which dimensions keys a scorecard filter can ask for: the total, one city, one group,
    or one group within one city (every level, given or rolled up)."""
    uniques = pd.unique(keys.to_numpy(dtype=object))
    wanted = {k for k in uniques if set(parse_dimension_key(str(k))) <= set(FILTER_DIMENSIONS)}
    return keys.isin(wanted).to_numpy()


def sparkline_points(observations: pd.DataFrame
                     ) -> tuple[pd.DataFrame, dict[tuple[str, str], tuple[int, int]]]:
    """The points of every series a scorecard can show, in period order, and where each
    series' points are (so drawing one row does not scan every observation)."""
    keep = observations["value"].notna().to_numpy() & filter_keys(observations["dimensions"])
    points = (observations.loc[keep, ["indicator", "dimensions", "ordinal", "period", "value"]]
              .sort_values(["indicator", "dimensions", "ordinal"], kind="stable")
              .reset_index(drop=True))
    indicator = points["indicator"].to_numpy(dtype=object)
    key = points["dimensions"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, (indicator[1:] != indicator[:-1])
                                  | (key[1:] != key[:-1])]) if len(points) else np.array([])
    ends = np.r_[starts[1:], len(points)] if len(points) else np.array([])
    spans = {(str(indicator[a]), str(key[a])): (int(a), int(b))
             for a, b in zip(starts, ends, strict=True)}
    return points, spans


def chosen_key(city: Any = None, group: Any = None) -> str:
    """The dimensions key of the series a filter asks for ("{}": the totals)."""
    wanted = {"city": city, "student_group": group}
    return dimension_key({k: str(v) for k, v in wanted.items()
                          if isinstance(v, str) and v.strip()})


def shown_series(data: ScorecardData, key: str) -> pd.DataFrame:
    """The scorecard rows of the series the filters chose, one per indicator at most."""
    return data.summary[data.summary["dimensions"] == key].drop_duplicates("indicator")


def impact(shown: pd.DataFrame) -> pd.DataFrame:
    """Impact score per result and overall (rba.calc) of the series shown."""
    if shown.empty:
        return pd.DataFrame(columns=["result", "impact_score", "headline_series"])
    return impact_scores(shown.assign(dimensions="{}"))
