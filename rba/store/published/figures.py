"""Figures in calc's terms through the published view: final observations of published
indicators (or of programs' performance measures), their targets and frozen baselines.

rba.store.figures' functions of the same names, arguments and frames: ``owner="measure"``
reads performance measures where calc expects indicators (code as ``indicator``, program
as ``result``); they have no frozen baselines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.calc import CurveInputs
from rba.periods import PERIODS_PER_YEAR
from rba.store.figures import (
    FROZEN_FIELDS,
    INDICATOR_COLUMNS,
    OBSERVATION_COLUMNS,
    OBSERVATION_FIELDS,
    SERIES_COLUMNS,
    TARGET_COLUMNS,
    empty_frozen,
    frozen_frame,
    observations_frame,
)
from rba.store.frames import rows_frame, with_ordinals
from rba.store.published_views import (
    baseline_points,
    baselines,
    indicators,
    measure_observations,
    measure_targets,
    measures,
    observations,
    programs,
    results,
    targets,
)


@dataclass(frozen=True)
class _Owner:
    """Whose figures: published indicators (of results) or measures (of programs)."""

    table: sa.Table
    parent: sa.Table
    parent_id: sa.ColumnElement[int]
    observations: sa.Table
    observation_owner: sa.ColumnElement[int]
    targets: sa.Table
    target_owner: sa.ColumnElement[int]


OWNERS = {
    "indicator": _Owner(indicators, results, indicators.c.result_id, observations,
                        observations.c.indicator_id, targets, targets.c.indicator_id),
    "measure": _Owner(measures, programs, measures.c.program_id, measure_observations,
                      measure_observations.c.measure_id, measure_targets,
                      measure_targets.c.measure_id),
}


def _wanted(of: _Owner, codes: list[str] | None) -> sa.ColumnElement[bool]:
    return of.table.c.code.in_(codes) if codes is not None else sa.true()


def owner_frame(*, session: Session, codes: list[str] | None = None,
                owner: str = "indicator") -> pd.DataFrame:
    """One row per published indicator (or measure) in calc's terms: INDICATOR_COLUMNS."""
    of = OWNERS[owner]
    m = of.table.c
    frame = rows_frame(session.execute(
        sa.select(m.code, m.unit, m.per, m.polarity, m.frequency, m.kind, of.parent.c.code)
        .join_from(of.table, of.parent, of.parent_id == of.parent.c.id)
        .where(_wanted(of, codes)).order_by(m.code)),
        ["indicator", "unit", "per", "polarity", "frequency", "kind", "result"])
    frame["per"] = frame["per"].astype(float)
    frame["periods_per_year"] = frame["frequency"].map(PERIODS_PER_YEAR).astype(float)
    return frame[INDICATOR_COLUMNS]


def observation_frame(*, session: Session, codes: list[str] | None = None,
                      owner: str = "indicator") -> pd.DataFrame:
    """Final observations of published indicators or of measures (default: all) with series
    ids, ordinals and status (rba.store.figures.observation_frame's columns)."""
    of = OWNERS[owner]
    o, m = of.observations.c, of.table.c
    frame = rows_frame(session.connection().execute(
        sa.select(m.code, m.frequency, o.dimensions, o.period, o.value, o.numerator,
                  o.denominator, o.status)
        .join_from(of.observations, of.table, of.observation_owner == m.id)
        .where(_wanted(of, codes))), OBSERVATION_FIELDS)
    return observations_frame(frame)


def target_frame(*, session: Session, codes: list[str] | None = None,
                 owner: str = "indicator") -> pd.DataFrame:
    """Targets of published indicators or of measures: TARGET_COLUMNS + indicator,
    dimensions."""
    of = OWNERS[owner]
    t, m = of.targets.c, of.table.c
    frame = rows_frame(session.execute(
        sa.select(m.code, m.frequency, t.dimensions, t.period, t.value)
        .join_from(of.targets, of.table, of.target_owner == m.id).where(_wanted(of, codes))),
        ["indicator", "frequency", "dimensions", "period", "value"])
    frame = with_ordinals(frame)
    frame["value"] = frame["value"].astype(float)
    return frame.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)


def frozen_baselines(*, session: Session, codes: list[str] | None = None) -> pd.DataFrame:
    """Points of the latest agreed baseline of each series of published indicators."""
    b, p, i = baselines.c, baseline_points.c, indicators.c
    return frozen_frame(rows_frame(session.execute(
        sa.select(i.code, i.frequency, b.dimensions, b.id, b.agreed_at, p.period,
                  p.forecast, p.lower, p.upper, p.lower_80, p.upper_80, b.method, b.level,
                  b.history_through, b.baseline_value)
        .join_from(baselines, indicators, b.indicator_id == i.id)
        .join(baseline_points, p.baseline_id == b.id)
        .where(_wanted(OWNERS["indicator"], codes))), FROZEN_FIELDS))


def curve_inputs(*, session: Session, codes: list[str] | None = None,
                 owner: str = "indicator") -> CurveInputs:
    """Final observations, indicators (or measures), targets and frozen baselines for calc,
    as one unit: targets and baselines only of series that have final observations (so no
    baseline outlives the figures it was agreed on)."""
    meta = owner_frame(session=session, codes=codes, owner=owner)
    obs = observation_frame(session=session, codes=codes, owner=owner)
    shown = obs["series"].unique()
    goals = target_frame(session=session, codes=codes, owner=owner)
    goals = goals[goals["series"].isin(shown).to_numpy()].reset_index(drop=True)
    frozen = (frozen_baselines(session=session, codes=codes) if owner == "indicator"
              else empty_frozen())
    frozen = frozen[frozen["series"].isin(shown).to_numpy()].reset_index(drop=True)
    series = (obs[SERIES_COLUMNS].drop_duplicates("series").sort_values("series")
              .reset_index(drop=True))
    return CurveInputs(obs[OBSERVATION_COLUMNS], meta, goals[TARGET_COLUMNS], frozen, series)


def figure_status(*, session: Session, codes: list[str] | None = None,
                  owner: str = "indicator") -> pd.DataFrame:
    """Each final observation's status and when it was entered (rba.store.figures.
    figure_status's columns: indicator, dimensions, period, status, entered_at in UTC)."""
    of = OWNERS[owner]
    o, m = of.observations.c, of.table.c
    frame = rows_frame(session.connection().execute(
        sa.select(m.code, o.dimensions, o.period, o.status, o.entered_at)
        .join_from(of.observations, of.table, of.observation_owner == m.id)
        .where(_wanted(of, codes))),
        ["indicator", "dimensions", "period", "status", "entered_at"])
    frame["entered_at"] = pd.to_datetime(frame["entered_at"], utc=True)
    return frame


def figures_entered_at(*, session: Session, code: str, final_only: bool = True
                       ) -> dt.datetime | None:
    """When the newest final figure of published indicator ``code`` was entered (None: it
    has none, or is not published): how current its public figures are. ``final_only`` is
    ignored: the view holds nothing else."""
    found = session.scalar(
        sa.select(sa.func.max(observations.c.entered_at))
        .join_from(observations, indicators, observations.c.indicator_id == indicators.c.id)
        .where(indicators.c.code == code))
    if isinstance(found, str):  # SQLite hands back text where the column type is lost
        found = dt.datetime.fromisoformat(found)
    return found
