"""Programs, partners and programs' performance measures through the published view (all
programs are public; their links to indicators only to published ones).

rba.store.programs' functions of the same names, arguments and frames.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.periods import PERIODS_PER_YEAR
from rba.store.frames import rows_frame
from rba.store.programs import MEASURE_COLUMNS, PROGRAM_COLUMNS
from rba.store.published_views import (
    indicators,
    measures,
    partners,
    program_indicators,
    program_partners,
    program_results,
    results,
)
from rba.store.published_views import programs as programs_view


def programs_frame(*, session: Session) -> pd.DataFrame:
    """One row per program: PROGRAM_COLUMNS (rba.store.programs.programs_frame's)."""
    p = programs_view.c
    frame = rows_frame(session.execute(
        sa.select(p.code, p.name, p.name_es, p.description, p.description_es,
                  partners.c.name, p.population, p.annual_funding)
        .outerjoin_from(programs_view, partners, p.lead_partner_id == partners.c.id)
        .order_by(p.code)), PROGRAM_COLUMNS)
    frame["annual_funding"] = frame["annual_funding"].astype(float)
    return frame


def program_partners_frame(*, session: Session) -> pd.DataFrame:
    """Who works on each program: program, partner, lead (True for its lead partner)."""
    p, pp, pa = programs_view.c, program_partners.c, partners.c
    listed = rows_frame(session.execute(
        sa.select(p.code, pa.name).join_from(programs_view, program_partners, pp.program_id == p.id)
        .join(partners, pp.partner_id == pa.id)), ["program", "partner"])
    leads = rows_frame(session.execute(
        sa.select(p.code, pa.name).join_from(programs_view, partners, p.lead_partner_id == pa.id)),
        ["program", "partner"])
    frame = pd.concat([leads.assign(lead=True), listed.assign(lead=False)], ignore_index=True)
    frame = frame.drop_duplicates(["program", "partner"], keep="first")
    return frame.sort_values(["program", "lead", "partner"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)


def program_results_frame(*, session: Session) -> pd.DataFrame:
    """The results each program says it contributes to: program, result."""
    p, pr = programs_view.c, program_results.c
    return rows_frame(session.execute(
        sa.select(p.code, results.c.code)
        .join_from(programs_view, program_results, pr.program_id == p.id)
        .join(results, pr.result_id == results.c.id)
        .order_by(p.code, results.c.code)), ["program", "result"])


def program_indicators_frame(*, session: Session) -> pd.DataFrame:
    """The published indicators each program works on: program, indicator, result."""
    p, pi, i = programs_view.c, program_indicators.c, indicators.c
    return rows_frame(session.execute(
        sa.select(p.code, i.code, results.c.code)
        .join_from(programs_view, program_indicators, pi.program_id == p.id)
        .join(indicators, pi.indicator_id == i.id)
        .join(results, i.result_id == results.c.id)
        .order_by(p.code, i.code)), ["program", "indicator", "result"])


def measures_frame(*, session: Session, programs: list[str] | None = None) -> pd.DataFrame:
    """Performance measures (default: all; else of these programs) in display order, with
    calc's periods_per_year: MEASURE_COLUMNS."""
    m, p = measures.c, programs_view.c
    query = (sa.select(m.code, p.code, m.name, m.name_es, m.kind, m.unit, m.per, m.polarity,
                       m.frequency, m.display_order)
             .join_from(measures, programs_view, m.program_id == p.id)
             .order_by(p.code, m.display_order, m.code))
    if programs is not None:
        query = query.where(p.code.in_(programs))
    frame = rows_frame(session.execute(query), [c for c in MEASURE_COLUMNS
                                                if c != "periods_per_year"])
    frame["per"] = frame["per"].astype(float)
    frame["periods_per_year"] = frame["frequency"].map(PERIODS_PER_YEAR).astype(float)
    return frame[MEASURE_COLUMNS]
