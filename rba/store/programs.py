"""Performance accountability: programs, partners, performance measures, and how programs
align with results and indicators.

Reads only; every function takes the session as a keyword-only argument and returns a
DataFrame. A measure's figures are read through rba.store.figures (``owner="measure"``).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from rba.models import (
    Indicator,
    Partner,
    PerformanceMeasure,
    Program,
    Result,
    program_indicators,
    program_partners,
    program_results,
)
from rba.periods import PERIODS_PER_YEAR
from rba.store.frames import rows_frame

PROGRAM_COLUMNS = ["program", "name", "name_es", "description", "description_es",
                   "lead_partner", "population", "annual_funding"]
MEASURE_COLUMNS = ["measure", "program", "name", "name_es", "kind", "unit", "per", "polarity",
                   "frequency", "periods_per_year", "display_order"]


def programs_frame(*, session: Session) -> pd.DataFrame:
    """One row per program: code, names, descriptions, lead partner, population, funding."""
    lead = aliased(Partner)
    frame = rows_frame(session.execute(
        sa.select(Program.code, Program.name, Program.name_es, Program.description,
                  Program.description_es, lead.name, Program.population,
                  Program.annual_funding)
        .outerjoin(lead, Program.lead_partner_id == lead.id).order_by(Program.code)),
        PROGRAM_COLUMNS)
    frame["annual_funding"] = frame["annual_funding"].astype(float)
    return frame


def partners_frame(*, session: Session) -> pd.DataFrame:
    """One row per partner: partner (its name), type, website."""
    return rows_frame(session.execute(
        sa.select(Partner.name, Partner.type, Partner.website).order_by(Partner.name)),
        ["partner", "type", "website"]).assign(
        type=lambda f: f["type"].map(lambda t: getattr(t, "value", t)).astype(object))


def program_partners_frame(*, session: Session) -> pd.DataFrame:
    """Who works on each program: program, partner, lead (True for its lead partner)."""
    listed = rows_frame(session.execute(
        sa.select(Program.code, Partner.name)
        .join(program_partners, program_partners.c.program_id == Program.id)
        .join(Partner, program_partners.c.partner_id == Partner.id)), ["program", "partner"])
    leads = rows_frame(session.execute(
        sa.select(Program.code, Partner.name).join(Partner, Program.lead_partner_id
                                                   == Partner.id)), ["program", "partner"])
    frame = pd.concat([leads.assign(lead=True), listed.assign(lead=False)], ignore_index=True)
    frame = frame.drop_duplicates(["program", "partner"], keep="first")
    return frame.sort_values(["program", "lead", "partner"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)


def program_results_frame(*, session: Session) -> pd.DataFrame:
    """The results each program says it contributes to: program, result."""
    return rows_frame(session.execute(
        sa.select(Program.code, Result.code)
        .join(program_results, program_results.c.program_id == Program.id)
        .join(Result, program_results.c.result_id == Result.id)
        .order_by(Program.code, Result.code)), ["program", "result"])


def program_indicators_frame(*, session: Session) -> pd.DataFrame:
    """The indicators each program works on, with their result: program, indicator, result."""
    return rows_frame(session.execute(
        sa.select(Program.code, Indicator.code, Result.code)
        .join(program_indicators, program_indicators.c.program_id == Program.id)
        .join(Indicator, program_indicators.c.indicator_id == Indicator.id)
        .join(Result, Indicator.result_id == Result.id)
        .order_by(Program.code, Indicator.code)), ["program", "indicator", "result"])


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
    frame = rows_frame(session.execute(query), [c for c in MEASURE_COLUMNS
                                            if c != "periods_per_year"])
    frame["per"] = frame["per"].astype(float)
    frame["periods_per_year"] = frame["frequency"].map(PERIODS_PER_YEAR).astype(float)
    return frame[MEASURE_COLUMNS]


def programs_with_measures(*, session: Session) -> pd.DataFrame:
    """Programs that have performance measures to enter: code, name and Spanish name."""
    query = sa.select(Program.code, Program.name, Program.name_es).where(
        sa.exists().where(PerformanceMeasure.program_id == Program.id)).order_by(Program.name)
    return pd.DataFrame(session.execute(query).all(), columns=["program", "name", "name_es"])
