"""Alignment: which programs and partners work on which results and indicators, where the
gaps and possible duplications are, and the funding per result (rba.report.alignment)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from rba.report.alignment import OVERALL, Alignment, alignment_tables, funding_note
from rba.store import catalogue, programs
from rba.store.published import reads

__all__ = ["OVERALL", "Alignment", "alignment", "funding_note", "programs_frame"]


def alignment(*, session: Session) -> Alignment:
    """The alignment tables of everything in the store (published indicators only)."""
    found, listed = reads(session, catalogue), reads(session, programs)
    return alignment_tables(
        found.result_table(session=session), found.indicator_table(session=session),
        listed.programs_frame(session=session),
        listed.program_results_frame(session=session),
        listed.program_indicators_frame(session=session),
        listed.program_partners_frame(session=session))


def programs_frame(*, session: Session) -> pd.DataFrame:
    """Every program: code, names, descriptions, lead partner, population, funding."""
    return reads(session, programs).programs_frame(session=session)
