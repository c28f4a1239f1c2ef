"""Read queries for performance accountability and the reports built on it.

Programs, partners and how they align with results and indicators; performance measures
and their figures in the frames rba.calc takes (a measure plays the part of an indicator,
keyed by its code); result teams; revisions since a date; indicator and dimension labels
in both languages. Every function takes the session as a keyword-only argument, returns a
DataFrame (or the CurveInputs of rba.store.queries) and writes nothing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from rba.models import (
    Indicator,
    Observation,
    ObservationRevision,
    Partner,
    PerformanceMeasure,
    Program,
    Result,
    ResultTeam,
    Target,
    program_indicators,
    program_partners,
    program_results,
)
from rba.periods import PERIODS_PER_YEAR
from rba.store.queries import (
    FROZEN_COLUMNS,
    INDICATOR_COLUMNS,
    OBSERVATION_COLUMNS,
    SERIES_COLUMNS,
    TARGET_COLUMNS,
    CurveInputs,
    _frame,
    _with_ordinals,
)

PROGRAM_COLUMNS = ["program", "name", "name_es", "description", "description_es",
                   "lead_partner", "population", "annual_funding"]
MEASURE_COLUMNS = ["measure", "program", "name", "name_es", "kind", "unit", "per", "polarity",
                   "frequency", "periods_per_year", "display_order"]
INDICATOR_TABLE_COLUMNS = ["indicator", "result", "name", "name_es", "kind", "unit", "per",
                           "polarity", "frequency", "dimensions", "min_n", "published",
                           "result_order", "display_order"]
REVISION_COLUMNS = ["owner", "code", "period", "dimensions", "revision", "previous_value",
                    "value", "note", "entered_by", "entered_at"]


def programs_frame(*, session: Session) -> pd.DataFrame:
    """One row per program: code, names, descriptions, lead partner, population, funding."""
    lead = aliased(Partner)
    frame = _frame(session.execute(
        sa.select(Program.code, Program.name, Program.name_es, Program.description,
                  Program.description_es, lead.name, Program.population,
                  Program.annual_funding)
        .outerjoin(lead, Program.lead_partner_id == lead.id).order_by(Program.code)),
        PROGRAM_COLUMNS)
    frame["annual_funding"] = frame["annual_funding"].astype(float)
    return frame


def partners_frame(*, session: Session) -> pd.DataFrame:
    """One row per partner: partner (its name), type, website."""
    return _frame(session.execute(
        sa.select(Partner.name, Partner.type, Partner.website).order_by(Partner.name)),
        ["partner", "type", "website"]).assign(
        type=lambda f: f["type"].map(lambda t: getattr(t, "value", t)).astype(object))


def program_partners_frame(*, session: Session) -> pd.DataFrame:
    """Who works on each program: program, partner, lead (True for its lead partner)."""
    listed = _frame(session.execute(
        sa.select(Program.code, Partner.name)
        .join(program_partners, program_partners.c.program_id == Program.id)
        .join(Partner, program_partners.c.partner_id == Partner.id)), ["program", "partner"])
    leads = _frame(session.execute(
        sa.select(Program.code, Partner.name).join(Partner, Program.lead_partner_id
                                                   == Partner.id)), ["program", "partner"])
    frame = pd.concat([leads.assign(lead=True), listed.assign(lead=False)], ignore_index=True)
    frame = frame.drop_duplicates(["program", "partner"], keep="first")
    return frame.sort_values(["program", "lead", "partner"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)


def program_results_frame(*, session: Session) -> pd.DataFrame:
    """The results each program says it contributes to: program, result."""
    return _frame(session.execute(
        sa.select(Program.code, Result.code)
        .join(program_results, program_results.c.program_id == Program.id)
        .join(Result, program_results.c.result_id == Result.id)
        .order_by(Program.code, Result.code)), ["program", "result"])


def program_indicators_frame(*, session: Session) -> pd.DataFrame:
    """The indicators each program works on, with their result: program, indicator, result."""
    return _frame(session.execute(
        sa.select(Program.code, Indicator.code, Result.code)
        .join(program_indicators, program_indicators.c.program_id == Program.id)
        .join(Indicator, program_indicators.c.indicator_id == Indicator.id)
        .join(Result, Indicator.result_id == Result.id)
        .order_by(Program.code, Indicator.code)), ["program", "indicator", "result"])


def indicator_table(*, session: Session, published_only: bool = True) -> pd.DataFrame:
    """Every indicator with its names in both languages, result, kind, unit and min_n."""
    query = (sa.select(Indicator.code, Result.code, Indicator.name, Indicator.name_es,
                       Indicator.kind, Indicator.unit, Indicator.per, Indicator.polarity,
                       Indicator.frequency, Indicator.dimensions, Indicator.min_n,
                       Indicator.published, Result.display_order, Indicator.display_order)
             .join(Result).order_by(Result.display_order, Result.code,
                                    Indicator.display_order, Indicator.code))
    if published_only:
        query = query.where(Indicator.published.is_(True))
    frame = _frame(session.execute(query), INDICATOR_TABLE_COLUMNS)
    frame["per"] = frame["per"].astype(float)
    frame["min_n"] = frame["min_n"].astype("Int64")
    return frame


def result_table(*, session: Session) -> pd.DataFrame:
    """Every result in display order: result, name, name_es, team (slug), display_order."""
    return _frame(session.execute(
        sa.select(Result.code, Result.name, Result.name_es, ResultTeam.slug,
                  Result.display_order)
        .outerjoin(ResultTeam, Result.team_id == ResultTeam.id)
        .order_by(Result.display_order, Result.code)),
        ["result", "name", "name_es", "team", "display_order"])


def result_teams_frame(*, session: Session) -> pd.DataFrame:
    """One row per result team: team (slug), name, name_es, facilitator, members."""
    return _frame(session.execute(
        sa.select(ResultTeam.slug, ResultTeam.name, ResultTeam.name_es, ResultTeam.facilitator,
                  ResultTeam.members).order_by(ResultTeam.slug)),
        ["team", "name", "name_es", "facilitator", "members"])


def measures_frame(*, session: Session, programs: list[str] | None = None) -> pd.DataFrame:
    """Performance measures (default: all) in display order, with calc's periods_per_year."""
    query = (sa.select(PerformanceMeasure.code, Program.code, PerformanceMeasure.name,
                       PerformanceMeasure.name_es, PerformanceMeasure.kind,
                       PerformanceMeasure.unit, PerformanceMeasure.per,
                       PerformanceMeasure.polarity, PerformanceMeasure.frequency,
                       PerformanceMeasure.display_order).join(Program)
             .order_by(Program.code, PerformanceMeasure.display_order,
                       PerformanceMeasure.code))
    if programs is not None:
        query = query.where(Program.code.in_(programs))
    frame = _frame(session.execute(query), [c for c in MEASURE_COLUMNS
                                            if c != "periods_per_year"])
    frame["per"] = frame["per"].astype(float)
    frame["periods_per_year"] = frame["frequency"].map(PERIODS_PER_YEAR).astype(float)
    return frame[MEASURE_COLUMNS]


def measure_curve_inputs(*, session: Session, measures: list[str] | None = None
                         ) -> CurveInputs:
    """The frames rba.calc.compute_curves takes, for performance measures (default: all).

    A measure stands where calc expects an indicator: its code is the ``indicator`` column,
    its kind (how_much, how_well, better_off) the ``kind``, and its program the ``result``.
    Measures have no frozen baselines, so ``frozen`` is empty.
    """
    wanted = PerformanceMeasure.code.in_(measures) if measures is not None else sa.true()
    meta = _frame(session.execute(
        sa.select(PerformanceMeasure.code, PerformanceMeasure.unit, PerformanceMeasure.per,
                  PerformanceMeasure.polarity, PerformanceMeasure.frequency,
                  PerformanceMeasure.kind, Program.code).join(Program).where(wanted)
        .order_by(PerformanceMeasure.code)),
        ["indicator", "unit", "per", "polarity", "frequency", "kind", "result"])
    meta["per"] = meta["per"].astype(float)
    meta["periods_per_year"] = meta["frequency"].map(PERIODS_PER_YEAR).astype(float)
    obs = _frame(session.execute(
        sa.select(PerformanceMeasure.code, PerformanceMeasure.frequency, Observation.dimensions,
                  Observation.period, Observation.value, Observation.numerator,
                  Observation.denominator)
        .join(PerformanceMeasure, Observation.measure_id == PerformanceMeasure.id)
        .where(wanted)),
        ["indicator", "frequency", "dimensions", "period", "value", "numerator", "denominator"])
    obs = _with_ordinals(obs)
    for column in ("value", "numerator", "denominator"):
        obs[column] = obs[column].astype(float)
    obs = obs.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)
    targets = _frame(session.execute(
        sa.select(PerformanceMeasure.code, PerformanceMeasure.frequency, Target.dimensions,
                  Target.period, Target.value)
        .join(PerformanceMeasure, Target.measure_id == PerformanceMeasure.id).where(wanted)),
        ["indicator", "frequency", "dimensions", "period", "value"])
    targets = _with_ordinals(targets)
    targets["value"] = targets["value"].astype(float)
    targets = targets.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)
    series = (pd.concat([obs[SERIES_COLUMNS], targets[SERIES_COLUMNS]])
              .drop_duplicates("series").sort_values("series").reset_index(drop=True))
    return CurveInputs(obs[OBSERVATION_COLUMNS], meta[INDICATOR_COLUMNS],
                       targets[TARGET_COLUMNS], pd.DataFrame(columns=FROZEN_COLUMNS), series)


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
        frame = _frame(session.execute(query), ["code", "period", "dimensions", "revision",
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

