"""Tiny builders for the calc input frames (observations, indicators, targets)."""

from __future__ import annotations

import numpy as np
import pandas as pd

PER_YEAR = {"year": 1, "school_year": 1, "fiscal_year": 1, "quarter": 4, "month": 12}


def indicator(code: str = "IND", unit: str = "number", polarity: str = "up",
              frequency: str = "year", kind: str = "headline", result: str = "R1",
              per: float = np.nan) -> dict:
    """One indicators row."""
    return dict(indicator=code, unit=unit, per=per, polarity=polarity, frequency=frequency,
                periods_per_year=PER_YEAR[frequency], kind=kind, result=result)


def indicators(*rows: dict) -> pd.DataFrame:
    """An indicators frame (one default indicator if none given)."""
    return pd.DataFrame(list(rows) or [indicator()])


def series(values, series_id=1, code: str = "IND", dimensions: str = "{}", start: int = 2010,
           ordinals=None, numerators=None, denominators=None) -> pd.DataFrame:
    """Observation rows of one series; values may contain None/NaN (missing)."""
    values = np.asarray([np.nan if v is None else v for v in values], dtype=float)
    ords = np.arange(start, start + len(values)) if ordinals is None else np.asarray(ordinals)
    n = len(values)
    return pd.DataFrame({
        "series": [series_id] * n, "indicator": code, "dimensions": dimensions,
        "period": [str(o) for o in ords], "ordinal": ords.astype("int64"), "value": values,
        "numerator": np.full(n, np.nan) if numerators is None else np.asarray(numerators, float),
        "denominator": (np.full(n, np.nan) if denominators is None
                        else np.asarray(denominators, float)),
    })


def observations(*frames: pd.DataFrame) -> pd.DataFrame:
    """Concatenate series frames into one observations frame."""
    return pd.concat(frames, ignore_index=True)


def targets(rows) -> pd.DataFrame:
    """Targets frame from (series, ordinal, value) tuples."""
    frame = pd.DataFrame(list(rows), columns=["series", "ordinal", "value"])
    frame["period"] = frame["ordinal"].astype(str)
    return frame


def random_series(rng: np.random.Generator, n_series: int, first_ordinal: int = 8000,
                  max_len: int = 25, min_len: int = 3, gaps: bool = True,
                  positive: bool = False) -> pd.DataFrame:
    """Many random linear-ish series with random lengths and (optionally) gaps."""
    parts = []
    for s in range(n_series):
        n = int(rng.integers(min_len, max_len + 1))
        span = n + (int(rng.integers(0, 6)) if gaps else 0)
        ords = np.sort(rng.choice(np.arange(span), n, replace=False)) + first_ordinal
        slope, level = rng.normal(0, 2), rng.normal(60, 15)
        values = level + slope * (ords - first_ordinal) + rng.normal(0, 3, n)
        if positive:
            values = np.exp(values / 40)
        parts.append(series(values, series_id=s, ordinals=ords))
    return observations(*parts)
