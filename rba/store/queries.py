"""Read-only queries for the dashboard and reports, returning DataFrames in calc's terms.

`curve_inputs` builds exactly the frames `rba.calc.compute_curves` takes (observations,
indicators, targets) plus a series table; `results_overview` and `indicator_detail` feed
the pages. Every function takes the session as a keyword-only argument and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.dimensions import TOTAL_KEY, split_dimension_names
from rba.i18n import localized_column
from rba.models import (
    Baseline,
    BaselinePoint,
    Dimension,
    DimensionValue,
    Indicator,
    IndicatorKind,
    Observation,
    Result,
    ResultTeam,
    Target,
    TurnTheCurveRecord,
)
from rba.periods import PERIODS_PER_YEAR, period_ordinals

OBSERVATION_COLUMNS = ["series", "indicator", "dimensions", "period", "ordinal", "value",
                       "numerator", "denominator"]
INDICATOR_COLUMNS = ["indicator", "unit", "per", "polarity", "frequency", "periods_per_year",
                     "kind", "result"]
TARGET_COLUMNS = ["series", "ordinal", "period", "value"]
SERIES_COLUMNS = ["series", "indicator", "dimensions"]
FROZEN_COLUMNS = ["series", "ordinal", "period", "forecast", "lower", "upper", "method", "level",
                  "history_through_ordinal", "baseline_value"]
ENUM_COLUMNS = ("unit", "polarity", "frequency", "kind", "status")
STORY_FIELDS = ["story_behind_the_curve", "partners", "what_works", "action_plan"]


@dataclass(frozen=True)
class CurveInputs:
    """The three input frames of rba.calc.compute_curves, and the series they name."""

    observations: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    #: Frozen baselines' points: series, ordinal, period, forecast, lower, upper, method,
    #: level, history_through_ordinal, baseline_value (only of series with observations).
    frozen: pd.DataFrame
    #: One row per series: its id, indicator code and canonical dimensions key.
    series: pd.DataFrame


@dataclass(frozen=True)
class IndicatorDetail:
    """Everything the indicator page shows, read in one go."""

    #: The indicator's fields, plus result (code) and result_name.
    indicator: dict[str, Any]
    curve_inputs: CurveInputs
    #: Labels of dimensions and their values: dimension, value (None: the dimension), label.
    dimension_labels: pd.DataFrame
    #: The latest turn-the-curve record, or None when no team has written one.
    story: dict[str, Any] | None


def series_id(indicator: str, dimensions: str) -> str:
    """The id of one indicator's series for one group, as rba.calc names rolled-up totals.

    For example ``grad_rate:{}`` (the total) or ``grad_rate:{"city":"Altadena"}``.
    """
    return f"{indicator}:{dimensions}"


def _series_ids(frame: pd.DataFrame) -> pd.Series:
    return frame["indicator"].astype(str) + ":" + frame["dimensions"].astype(str)


def _plain(value: Any) -> Any:
    """An enum member as its value; anything else as it is."""
    return getattr(value, "value", value)


def _wanted(indicators: list[str] | None) -> sa.ColumnElement[bool]:
    """The condition selecting these indicator codes (None: all)."""
    return Indicator.code.in_(indicators) if indicators is not None else sa.true()


def _frame(rows: Any, columns: list[str]) -> pd.DataFrame:
    """Query rows as a DataFrame, with enum members as their plain string values.

    Built column by column (much faster than row tuples at a million rows); an enum
    column selected through `_text` arrives as plain strings already.
    """
    fetched = rows.all() if hasattr(rows, "all") else list(rows)  # one fetchall
    if not fetched:
        return pd.DataFrame(columns=columns, dtype=object)
    frame = pd.DataFrame(dict(zip(columns, zip(*fetched, strict=True), strict=True)),
                         columns=columns)
    for column in ENUM_COLUMNS:
        if column not in frame:
            continue
        values = frame[column].dropna()
        if len(values) and type(values.iloc[0]) is not str:  # enum members (StrEnum too)
            frame[column] = frame[column].map(_plain).astype(object)
    return frame


def _text(column: Any) -> Any:
    """An enum column read as its stored text, skipping the per-value enum conversion."""
    return sa.type_coerce(column, sa.String).label(column.key)


def _with_ordinals(frame: pd.DataFrame) -> pd.DataFrame:
    """Add series ids and each period's ordinal, read with its indicator's frequency."""
    frame["series"] = _series_ids(frame)
    frame["ordinal"] = period_ordinals(frame["period"].astype(object),
                                       frame.pop("frequency").astype(object))
    return frame


def measured_indicators(*columns: Any, team: str | None = None) -> sa.Select[Any]:
    """A select of ``columns`` over the indicators figures are entered and targets set for
    (all but the data development agenda), of one result team (by slug) or of all, in
    display order."""
    query = sa.select(*columns).select_from(Indicator).join(
        Result, Indicator.result_id == Result.id).outerjoin(
        ResultTeam, Result.team_id == ResultTeam.id).where(
        Indicator.kind != IndicatorKind.development).order_by(
        Result.display_order, Indicator.display_order, Indicator.code)
    return query if team is None else query.where(ResultTeam.slug == team)


def indicator_frame(*, session: Session, indicators: list[str] | None = None) -> pd.DataFrame:
    """One row per indicator in calc's terms: unit, per, polarity, frequency, kind, result."""
    query = sa.select(Indicator.code, Indicator.unit, Indicator.per, Indicator.polarity,
                      Indicator.frequency, Indicator.kind, Result.code).join(Result)
    frame = _frame(session.execute(query.where(_wanted(indicators)).order_by(Indicator.code)),
                   ["indicator", "unit", "per", "polarity", "frequency", "kind", "result"])
    frame["per"] = frame["per"].astype(float)
    frame["periods_per_year"] = frame["frequency"].map(PERIODS_PER_YEAR).astype(float)
    return frame[INDICATOR_COLUMNS]


def observation_frame(*, session: Session, indicators: list[str] | None = None
                      ) -> pd.DataFrame:
    """Observations of these indicators (default: all) with series ids, ordinals and status."""
    # Core, not ORM, execution: a million plain rows without the ORM's per-row loading.
    obs = _frame(session.connection().execute(
        sa.select(Indicator.code, _text(Indicator.frequency), Observation.dimensions,
                  Observation.period, Observation.value, Observation.numerator,
                  Observation.denominator, _text(Observation.status))
        .join(Indicator, Observation.indicator_id == Indicator.id).where(_wanted(indicators))),
        ["indicator", "frequency", "dimensions", "period", "value", "numerator",
         "denominator", "status"])
    obs = _with_ordinals(obs)
    for column in ("value", "numerator", "denominator"):
        obs[column] = obs[column].astype(float)
    return obs.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)


def curve_inputs(*, session: Session, indicators: list[str] | None = None) -> CurveInputs:
    """Observations, indicators and targets of these indicators (default: all) for calc."""
    codes = indicator_frame(session=session, indicators=indicators)
    obs = observation_frame(session=session, indicators=indicators)
    targets = _frame(session.execute(
        sa.select(Indicator.code, Indicator.frequency, Target.dimensions, Target.period,
                  Target.value)
        .join(Indicator, Target.indicator_id == Indicator.id).where(_wanted(indicators))),
        ["indicator", "frequency", "dimensions", "period", "value"])
    targets = _with_ordinals(targets)
    targets["value"] = targets["value"].astype(float)
    targets = targets.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)
    series = (pd.concat([obs[SERIES_COLUMNS], targets[SERIES_COLUMNS]])
              .drop_duplicates("series").sort_values("series").reset_index(drop=True))
    frozen = frozen_baselines(session=session, indicators=indicators)
    frozen = frozen[frozen["series"].isin(obs["series"].unique())].reset_index(drop=True)
    return CurveInputs(obs[OBSERVATION_COLUMNS], codes, targets[TARGET_COLUMNS], frozen,
                       series)


def _empty_frozen() -> pd.DataFrame:
    """No frozen baseline points, with the columns and types of `frozen_baselines`."""
    floats = ("forecast", "lower", "upper", "level", "baseline_value")
    return pd.DataFrame({c: pd.Series(dtype=float if c in floats else
                                      "int64" if c.endswith("ordinal") else "str")
                         for c in FROZEN_COLUMNS})


def frozen_baselines(*, session: Session, indicators: list[str] | None = None
                     ) -> pd.DataFrame:
    """Points of the latest agreed baseline of each series (default: of every indicator)."""
    frame = _frame(session.execute(
        sa.select(Indicator.code, Indicator.frequency, Baseline.dimensions, Baseline.id,
                  Baseline.agreed_at, BaselinePoint.period, BaselinePoint.forecast,
                  BaselinePoint.lower, BaselinePoint.upper, Baseline.method, Baseline.level,
                  Baseline.history_through, Baseline.baseline_value)
        .join(Baseline, Baseline.indicator_id == Indicator.id)
        .join(BaselinePoint, BaselinePoint.baseline_id == Baseline.id).where(_wanted(indicators))),
        ["indicator", "frequency", "dimensions", "baseline", "agreed_at", "period",
         "forecast", "lower", "upper", "method", "level", "history_through",
         "baseline_value"])
    if frame.empty:  # most indicators have none: skip the work of shaping nothing
        return _empty_frozen()
    frame["series"] = _series_ids(frame)
    # A later agreement replaces an earlier one: keep each series' latest baseline only.
    latest = frame.sort_values(["agreed_at", "baseline"]).drop_duplicates(
        "series", keep="last")["baseline"]
    frame = frame[frame["baseline"].isin(latest)].copy()
    frame["history_through_ordinal"] = period_ordinals(
        frame["history_through"].astype(object), frame["frequency"].astype(object))
    frame = _with_ordinals(frame)
    for column in ("forecast", "lower", "upper", "level", "baseline_value"):
        frame[column] = frame[column].astype(float)
    return frame[FROZEN_COLUMNS].sort_values(["series", "ordinal"]).reset_index(drop=True)


def latest_totals(observations: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's latest total observation that has a value (one row per indicator)."""
    totals = observations[(observations["dimensions"] == TOTAL_KEY)
                          & observations["value"].notna()]
    latest = totals.sort_values(["indicator", "ordinal"], kind="stable").drop_duplicates(
        "indicator", keep="last")
    return latest[["indicator", "period", "value", "status"]].rename(columns={
        "period": "latest_period", "value": "latest_value", "status": "latest_status"})


def results_overview(*, session: Session, published_only: bool = True,
                     latest: bool = True) -> pd.DataFrame:
    """The results in display order, one row per indicator, with each one's latest total.

    A result without indicators has one row with blank indicator columns. Columns: result,
    result_name, result_order, team, indicator, name, kind, unit, per, polarity, frequency,
    latest_period, latest_value, latest_status (the last three only with ``latest``: they
    read the indicators' observations, which a caller wanting the order alone can skip).
    """
    condition = Indicator.result_id == Result.id
    if published_only:
        condition = sa.and_(condition, Indicator.published.is_(True))
    query = (sa.select(Result.code, Result.name, Result.display_order, ResultTeam.name,
                       Indicator.code, Indicator.name, Indicator.kind, Indicator.unit,
                       Indicator.per, Indicator.polarity, Indicator.frequency,
                       Indicator.display_order)
             .outerjoin(ResultTeam, Result.team_id == ResultTeam.id)
             .outerjoin(Indicator, condition)
             .order_by(Result.display_order, Result.code, Indicator.display_order,
                       Indicator.code))
    frame = _frame(session.execute(query), [
        "result", "result_name", "result_order", "team", "indicator", "name", "kind", "unit",
        "per", "polarity", "frequency", "indicator_order"])
    if not latest:
        return frame
    codes = [c for c in frame["indicator"].dropna().unique()]
    totals = latest_totals(observation_frame(session=session, indicators=codes))
    return frame.merge(totals, on="indicator", how="left")


def indicators_with_groups(*, session: Session) -> list[str]:
    """Codes of the indicators with at least one observation of a group (not only totals)."""
    grouped = sa.exists().where(Observation.indicator_id == Indicator.id,
                                Observation.dimensions != TOTAL_KEY)
    return list(session.scalars(sa.select(Indicator.code).where(grouped)
                                .order_by(Indicator.code)))


def dimension_labels(*, session: Session, lang: str | None = None) -> pd.DataFrame:
    """Labels of every dimension (value None) and dimension value, in display order.

    Columns dimension, value, label, label_es, order. With ``lang``, ``label`` is already
    in that language (the Spanish label where one is entered, else the English), so a
    caller that reads ``label`` alone shows the right words.
    """
    names = session.execute(sa.select(Dimension.name, Dimension.label, Dimension.label_es))
    values = session.execute(
        sa.select(Dimension.name, DimensionValue.value, DimensionValue.label,
                  DimensionValue.label_es, DimensionValue.display_order).join(Dimension))
    rows: list[tuple[Any, ...]] = [(name, None, text, text_es, -1)
                                   for name, text, text_es in names]
    rows += [tuple(row) for row in values]
    # In dimension, then display order; a dimension's own row (value None) after its values
    # of the same order, as pandas sorts missing values last.
    rows.sort(key=lambda r: (r[0], r[4], r[1] is None, r[1] or ""))
    columns = ["dimension", "value", "label", "label_es", "order"]
    frame = pd.DataFrame({c: pd.Series([r[i] for r in rows], dtype=object)
                          for i, c in enumerate(columns)})
    frame["dimension"] = frame["dimension"].astype("str")
    frame["order"] = frame["order"].astype("int64")
    frame["label"] = (localized_column(frame, "label", lang) if lang is not None
                      else frame["label"].astype("str"))
    return frame


def latest_story(*, session: Session, indicator_id: int) -> dict[str, Any] | None:
    """The latest saved turn-the-curve record of an indicator, as a dict, or None."""
    record = session.scalar(
        sa.select(TurnTheCurveRecord).where(TurnTheCurveRecord.indicator_id == indicator_id)
        .order_by(TurnTheCurveRecord.version.desc()).limit(1))
    if record is None:
        return None
    fields = {f: getattr(record, f) for name in STORY_FIELDS for f in (name, name + "_es")}
    return {**fields, "version": record.version, "saved_by": record.saved_by,
            "saved_at": record.saved_at}


def indicator_detail(*, session: Session, code: str,
                     published_only: bool = True) -> IndicatorDetail | None:
    """The indicator with this code, its figures, labels and latest story; None if unknown."""
    query = sa.select(Indicator, Result).join(Result).where(Indicator.code == code)
    if published_only:
        query = query.where(Indicator.published.is_(True))
    row = session.execute(query).first()
    if row is None:
        return None
    indicator, result = row
    fields = ["code", "name", "name_es", "lay_definition", "lay_definition_es",
              "technical_definition", "technical_definition_es", "unit", "per", "polarity",
              "frequency", "kind", "source", "min_n"]
    record = {f: _plain(getattr(indicator, f)) for f in fields}
    record.update(dimensions=split_dimension_names(indicator.dimensions), result=result.code,
                  result_name=result.name, result_name_es=result.name_es)
    return IndicatorDetail(
        indicator=record,
        curve_inputs=curve_inputs(session=session, indicators=[code]),
        dimension_labels=dimension_labels(session=session),
        story=latest_story(session=session, indicator_id=indicator.id),
    )
