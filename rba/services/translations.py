"""The published words that lack a Spanish version, as `rba check translations` lists them."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from rba.report.translations import missing_translations
from rba.store.translations import bilingual_fields

__all__ = ["untranslated_fields"]


def untranslated_fields(*, session: Session) -> pd.DataFrame:
    """Every published field written in English without its Spanish version: kind (result,
    team, indicator, dimension, story, program, measure), code, field, english."""
    return missing_translations(bilingual_fields(session=session))
