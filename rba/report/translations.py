"""Which published words lack their Spanish version (`rba check translations`)."""

from __future__ import annotations

import pandas as pd


def blank(texts: pd.Series) -> pd.Series:
    """Whether each text is missing or only spaces."""
    return texts.isna() | texts.astype(str).str.strip().eq("")


def missing_translations(fields: pd.DataFrame) -> pd.DataFrame:
    """The fields written in English with no Spanish version: kind, code, field, english
    (from rba.store.translations.bilingual_fields, in its order)."""
    missing = ~blank(fields["english"]) & blank(fields["spanish"])
    return fields.loc[missing.to_numpy(), ["kind", "code", "field", "english"]].reset_index(
        drop=True)
