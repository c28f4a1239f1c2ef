"""Names of the indicators and performance measures a list of changes mentions."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.models import Indicator, PerformanceMeasure

OWNER_COLUMNS = ["owner", "kind", "name", "name_es", "frequency", "dimensions"]


def owner_names(*, session: Session, codes: Iterable[str]) -> pd.DataFrame:
    """The indicators and measures with these codes: owner (code), kind (indicator or
    measure), name, name_es, frequency, dimensions (declared, comma-separated)."""
    wanted = sorted(set(codes))
    rows = [(*r, "indicator") for r in session.execute(sa.select(
        Indicator.code, Indicator.name, Indicator.name_es, Indicator.frequency,
        Indicator.dimensions).where(Indicator.code.in_(wanted)))]
    rows += [(*r, "", "measure") for r in session.execute(sa.select(
        PerformanceMeasure.code, PerformanceMeasure.name, PerformanceMeasure.name_es,
        PerformanceMeasure.frequency).where(PerformanceMeasure.code.in_(wanted)))]
    frame = pd.DataFrame(rows, columns=["owner", "name", "name_es", "frequency",
                                        "dimensions", "kind"])
    frame["frequency"] = frame["frequency"].map(lambda f: getattr(f, "value", f))
    return frame[OWNER_COLUMNS]
