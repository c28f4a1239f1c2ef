"""The data-entry grid's reads: the cells to fill in with their current values and revisions.

The grid saves through the ordinary import path (rba.ingest + rba.store.writes); what it
needs beyond that is optimistic concurrency: each cell remembers the revision it was
loaded at, and `changed_since` says which cells someone else has saved since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.dimensions import dimension_key
from rba.models import Indicator, Observation
from rba.store.locks import locked
from rba.workbook.template import ENTRY_COLUMNS, REFERENCE, entry_rows

KEY = ["indicator", "period", "dimensions"]
CURRENT = ["value", "numerator", "denominator", "status", "note", "revision", "entered_by",
           "entered_at"]
GRID_COLUMNS = [*KEY, "name", "unit", "per", "previous_period", "previous_value", *CURRENT,
                "locked_by", "locked_at"]


def current_values(*, session: Session, codes: Iterable[str], periods: Iterable[str]
                   ) -> pd.DataFrame:
    """Current observations of these indicators in these periods, with revision and author."""
    query = sa.select(
        Indicator.code, Observation.period, Observation.dimensions, Observation.value,
        Observation.numerator, Observation.denominator, Observation.status, Observation.note,
        Observation.revision, Observation.entered_by, Observation.entered_at,
    ).join(Indicator, Observation.indicator_id == Indicator.id).where(
        Indicator.code.in_(list(codes)), Observation.period.in_(list(periods)))
    frame = pd.DataFrame([tuple(r) for r in session.execute(query)], columns=[*KEY, *CURRENT])
    frame["status"] = frame["status"].map(lambda s: getattr(s, "value", s)).astype(object)
    return frame


def entry_grid(*, session: Session, period: str | None = None, team: str | None = None
               ) -> tuple[pd.DataFrame, list[str]]:
    """The grid's rows for a period and team, and the names of its dimension columns.

    One row per indicator and group to enter (as the entry template has them), with the
    previous period's value, the current value, its revision and who entered it, and the
    lock of the period if it is locked. Raises rba.workbook.template.TemplateError when
    nothing is to be entered.
    """
    rows = entry_rows(session=session, period=period, team=team)
    dims = [c for c in rows.columns if c not in ENTRY_COLUMNS and REFERENCE not in c]
    rows = rows.rename(columns={f"name {REFERENCE}": "name", f"unit {REFERENCE}": "unit",
                                f"previous period {REFERENCE}": "previous_period",
                                f"previous value {REFERENCE}": "previous_value"})
    rows["dimensions"] = [dimension_key(r) for r in rows[dims].to_dict("records")]
    rows = rows.drop(columns=[c for c in CURRENT if c in rows])
    codes = list(rows["indicator"].unique())
    current = current_values(session=session, codes=codes, periods=rows["period"].unique())
    pers = dict(session.execute(sa.select(Indicator.code, Indicator.per).where(
        Indicator.code.in_(codes))).all())
    rows["per"] = rows["indicator"].map(pers)
    grid = rows.merge(current, on=KEY, how="left")
    locks = locked(session=session, owners=codes).rename(columns={"owner": "indicator"})
    grid = grid.merge(locks, on=["indicator", "period"], how="left")
    return grid[[*GRID_COLUMNS, *dims]].astype(object), dims


def changed_since(*, session: Session, loaded: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The cells whose stored revision differs from the one they were loaded at.

    Each item of ``loaded`` names indicator, period, dimensions and the revision seen then
    (None: there was no value). Each conflict returned carries those fields plus the current
    revision, value, entered_by and entered_at.
    """
    if not loaded:
        return []
    seen = pd.DataFrame([{k: item.get(k) for k in [*KEY, "revision"]} for item in loaded])
    current = current_values(session=session, codes=seen["indicator"].unique(),
                             periods=seen["period"].unique())
    both = seen.merge(current, on=KEY, how="inner", suffixes=("_loaded", ""))
    loaded_rev = pd.to_numeric(both["revision_loaded"], errors="coerce")
    stale = both[loaded_rev.isna() | (loaded_rev != both["revision"].astype(float))]
    return stale.astype(object).where(stale.notna(), None).to_dict("records")
