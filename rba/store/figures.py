"""Figures in calc's terms: observations and targets of indicators or performance measures,
frozen baselines, and revisions.

`curve_inputs` builds exactly the frames `rba.calc.compute_curves` takes (observations,
indicators, targets, frozen baselines) plus a series table, for indicators or, with
``owner="measure"``, for programs' performance measures (a measure stands where calc
expects an indicator: its code is the ``indicator`` column, its kind the ``kind`` and its
program the ``result``). Reads only; every function takes the session as a keyword-only
argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.calc import CurveInputs
from rba.dimensions import TOTAL_KEY
from rba.models import (
    Baseline,
    BaselinePoint,
    Indicator,
    Observation,
    ObservationRevision,
    ObservationStatus,
    PerformanceMeasure,
    Program,
    Result,
    Target,
)
from rba.periods import PERIODS_PER_YEAR, period_ordinals
from rba.store.frames import rows_frame, series_ids, stored_text, with_ordinals

OBSERVATION_COLUMNS = ["series", "indicator", "dimensions", "period", "ordinal", "value",
                       "numerator", "denominator"]
INDICATOR_COLUMNS = ["indicator", "unit", "per", "polarity", "frequency", "periods_per_year",
                     "kind", "result"]
TARGET_COLUMNS = ["series", "ordinal", "period", "value"]
SERIES_COLUMNS = ["series", "indicator", "dimensions"]
FROZEN_COLUMNS = ["series", "ordinal", "period", "forecast", "lower", "upper", "lower_80",
                  "upper_80", "method", "level", "history_through_ordinal", "baseline_value"]
REVISION_COLUMNS = ["owner", "code", "period", "dimensions", "revision", "previous_value",
                    "value", "note", "entered_by", "entered_at"]


@dataclass(frozen=True)
class _Owner:
    """What figures belong to: indicators (of results) or performance measures (of programs)."""

    model: Any
    parent: Any
    parent_id: Any
    observation_owner: Any
    target_owner: Any


OWNERS = {
    "indicator": _Owner(Indicator, Result, Indicator.result_id, Observation.indicator_id,
                        Target.indicator_id),
    "measure": _Owner(PerformanceMeasure, Program, PerformanceMeasure.program_id,
                      Observation.measure_id, Target.measure_id),
}


def _wanted(owner: _Owner, codes: list[str] | None) -> sa.ColumnElement[bool]:
    """The condition selecting these codes (None: all)."""
    return owner.model.code.in_(codes) if codes is not None else sa.true()


def owner_frame(*, session: Session, codes: list[str] | None = None, owner: str = "indicator"
                ) -> pd.DataFrame:
    """One row per indicator (or measure) in calc's terms: INDICATOR_COLUMNS."""
    of = OWNERS[owner]
    query = sa.select(of.model.code, of.model.unit, of.model.per, of.model.polarity,
                      of.model.frequency, of.model.kind, of.parent.code).join(
        of.parent, of.parent_id == of.parent.id)
    frame = rows_frame(session.execute(query.where(_wanted(of, codes)).order_by(of.model.code)),
                       ["indicator", "unit", "per", "polarity", "frequency", "kind", "result"])
    frame["per"] = frame["per"].astype(float)
    frame["periods_per_year"] = frame["frequency"].map(PERIODS_PER_YEAR).astype(float)
    return frame[INDICATOR_COLUMNS]


def observation_frame(*, session: Session, codes: list[str] | None = None,
                      owner: str = "indicator") -> pd.DataFrame:
    """Observations of these indicators or measures (default: all) with series ids, ordinals
    and status."""
    of = OWNERS[owner]
    # Core, not ORM, execution: a million plain rows without the ORM's per-row loading.
    obs = rows_frame(session.connection().execute(
        sa.select(of.model.code, stored_text(of.model.frequency), Observation.dimensions,
                  Observation.period, Observation.value, Observation.numerator,
                  Observation.denominator, stored_text(Observation.status))
        .join(of.model, of.observation_owner == of.model.id).where(_wanted(of, codes))),
        OBSERVATION_FIELDS)
    return observations_frame(obs)


#: The fields observation rows are read with, in order (see `observations_frame`).
OBSERVATION_FIELDS = ["indicator", "frequency", "dimensions", "period", "value", "numerator",
                      "denominator", "status"]


def observations_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Observation rows (`OBSERVATION_FIELDS`) as `observation_frame` gives them: with series
    ids and ordinals, float figures, in series and period order."""
    obs = with_ordinals(rows)
    for column in ("value", "numerator", "denominator"):
        obs[column] = obs[column].astype(float)
    return obs.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)


def target_frame(*, session: Session, codes: list[str] | None = None,
                 owner: str = "indicator") -> pd.DataFrame:
    """Targets of these indicators or measures (default: all): TARGET_COLUMNS + indicator,
    dimensions."""
    of = OWNERS[owner]
    targets = rows_frame(session.execute(
        sa.select(of.model.code, stored_text(of.model.frequency), Target.dimensions,
                  Target.period, Target.value)
        .join(of.model, of.target_owner == of.model.id).where(_wanted(of, codes))),
        ["indicator", "frequency", "dimensions", "period", "value"])
    targets = with_ordinals(targets)
    targets["value"] = targets["value"].astype(float)
    return targets.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)


def curve_inputs(*, session: Session, codes: list[str] | None = None,
                 owner: str = "indicator") -> CurveInputs:
    """Observations, indicators, targets and frozen baselines of these indicators (default:
    all) for calc; with ``owner="measure"``, of these performance measures (which have no
    frozen baselines)."""
    meta = owner_frame(session=session, codes=codes, owner=owner)
    obs = observation_frame(session=session, codes=codes, owner=owner)
    targets = target_frame(session=session, codes=codes, owner=owner)
    series = (pd.concat([obs[SERIES_COLUMNS], targets[SERIES_COLUMNS]])
              .drop_duplicates("series").sort_values("series").reset_index(drop=True))
    if owner == "indicator":
        frozen = frozen_baselines(session=session, codes=codes)
        frozen = frozen[frozen["series"].isin(obs["series"].unique())].reset_index(drop=True)
    else:
        frozen = empty_frozen()
    return CurveInputs(obs[OBSERVATION_COLUMNS], meta, targets[TARGET_COLUMNS], frozen, series)


def empty_frozen() -> pd.DataFrame:
    """No frozen baseline points, with the columns and types of `frozen_baselines`."""
    floats = ("forecast", "lower", "upper", "lower_80", "upper_80", "level", "baseline_value")
    return pd.DataFrame({c: pd.Series(dtype=float if c in floats else
                                      "int64" if c.endswith("ordinal") else "str")
                         for c in FROZEN_COLUMNS})


#: The fields a frozen baseline's rows are read with, in order (see `frozen_frame`).
FROZEN_FIELDS = ["indicator", "frequency", "dimensions", "baseline", "agreed_at", "period",
                 "forecast", "lower", "upper", "lower_80", "upper_80", "method", "level",
                 "history_through", "baseline_value"]


def frozen_baselines(*, session: Session, codes: list[str] | None = None) -> pd.DataFrame:
    """Points of the latest agreed baseline of each series (default: of every indicator)."""
    return frozen_frame(rows_frame(session.execute(
        sa.select(Indicator.code, Indicator.frequency, Baseline.dimensions, Baseline.id,
                  Baseline.agreed_at, BaselinePoint.period, BaselinePoint.forecast,
                  BaselinePoint.lower, BaselinePoint.upper, BaselinePoint.lower_80,
                  BaselinePoint.upper_80, Baseline.method, Baseline.level,
                  Baseline.history_through, Baseline.baseline_value)
        .join(Baseline, Baseline.indicator_id == Indicator.id)
        .join(BaselinePoint, BaselinePoint.baseline_id == Baseline.id)
        .where(_wanted(OWNERS["indicator"], codes))), FROZEN_FIELDS))


def frozen_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Baseline point rows (`FROZEN_FIELDS`) as `frozen_baselines` gives them: each series'
    latest agreed baseline only, with series ids, ordinals and float figures."""
    if frame.empty:  # most indicators have none: skip the work of shaping nothing
        return empty_frozen()
    frame["series"] = series_ids(frame)
    # A later agreement replaces an earlier one: keep each series' latest baseline only.
    latest = frame.sort_values(["agreed_at", "baseline"]).drop_duplicates(
        "series", keep="last")["baseline"]
    frame = frame[frame["baseline"].isin(latest)].copy()
    frame["history_through_ordinal"] = period_ordinals(
        frame["history_through"].astype(object), frame["frequency"].astype(object))
    frame = with_ordinals(frame)
    for column in ("forecast", "lower", "upper", "lower_80", "upper_80", "level",
                   "baseline_value"):
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


def revisions_since(*, session: Session, since: dt.datetime | dt.date,
                    indicators: list[str] | None = None,
                    measures: list[str] | None = None) -> pd.DataFrame:
    """Figures revised on or after `since`: each revision with the value it replaced.

    Only real revisions count (revision 2 on; the first entry is not a revision). A
    withdrawn figure shows value None. Columns: owner ("indicator" or "measure"), code,
    period, dimensions, revision, previous_value, value, note, entered_by, entered_at;
    newest first. None for `indicators` or `measures` means all of them; [] none.
    """
    start = since if isinstance(since, dt.datetime) else dt.datetime.combine(
        since, dt.time(), tzinfo=dt.UTC)
    parts = []
    for owner, model, fk, codes in (
            ("indicator", Indicator, ObservationRevision.indicator_id, indicators),
            ("measure", PerformanceMeasure, ObservationRevision.measure_id, measures)):
        if codes is not None and not codes:
            continue
        query = (sa.select(model.code, ObservationRevision.period,
                           ObservationRevision.dimensions, ObservationRevision.revision,
                           ObservationRevision.value, ObservationRevision.note,
                           ObservationRevision.entered_by, ObservationRevision.entered_at)
                 .join(model, fk == model.id))
        if codes is not None:
            query = query.where(model.code.in_(codes))
        frame = rows_frame(session.execute(query), ["code", "period", "dimensions", "revision",
                                                "value", "note", "entered_by", "entered_at"])
        parts.append(frame.assign(owner=owner))
    if not parts:
        return pd.DataFrame(columns=REVISION_COLUMNS)
    frame = pd.concat(parts, ignore_index=True)
    frame["value"] = frame["value"].astype(float)
    frame = frame.sort_values(["owner", "code", "period", "dimensions", "revision"])
    frame["previous_value"] = frame.groupby(["owner", "code", "period", "dimensions"])[
        "value"].shift(1)
    cutoff = pd.Timestamp(start)
    cutoff = cutoff.tz_localize("UTC") if cutoff.tzinfo is None else cutoff.tz_convert("UTC")
    # SQLite hands back naive datetimes: they were written in UTC.
    recent = (frame["revision"] > 1) & (pd.to_datetime(frame["entered_at"], utc=True) >= cutoff)
    out = frame[recent.to_numpy()].sort_values(["entered_at", "code", "period"],
                                               ascending=[False, True, True])
    return out[REVISION_COLUMNS].reset_index(drop=True)


def entered_periods(*, session: Session, limit: int = 40) -> list[str]:
    """The periods that have figures, latest first (by label), at most ``limit``."""
    periods = session.scalars(sa.select(Observation.period).distinct()).all()
    return sorted(periods, reverse=True)[:limit]


def figure_status(*, session: Session, codes: list[str] | None = None,
                  owner: str = "indicator") -> pd.DataFrame:
    """Each observation's status (provisional or final) and when it was entered: indicator
    (the indicator's or measure's code), dimensions, period, status, entered_at (UTC)."""
    of = OWNERS[owner]
    frame = rows_frame(session.connection().execute(
        sa.select(of.model.code, Observation.dimensions, Observation.period,
                  stored_text(Observation.status), Observation.entered_at)
        .join(of.model, of.observation_owner == of.model.id).where(_wanted(of, codes))),
        ["indicator", "dimensions", "period", "status", "entered_at"])
    frame["entered_at"] = pd.to_datetime(frame["entered_at"], utc=True)
    return frame
def figures_entered_at(*, session: Session, code: str, final_only: bool = False
                       ) -> dt.datetime | None:
    """When the newest figure of indicator ``code`` was entered (with ``final_only``: of its
    final figures), or None when it has none: how current its figures are."""
    query = (sa.select(sa.func.max(Observation.entered_at))
             .join(Indicator, Observation.indicator_id == Indicator.id)
             .where(Indicator.code == code))
    if final_only:
        query = query.where(Observation.status == ObservationStatus.final)
    found = session.scalar(query)
    if isinstance(found, str):  # SQLite hands back text where the column type is lost
        found = dt.datetime.fromisoformat(found)
    return found
