"""The data-entry grid's reads: the cells to fill in with their current values and revisions.

Two grids: a result team's indicators by group (`entry_grid`) and a program's performance
measures (`program_grid`). Both save through the ordinary import path (rba.ingest +
rba.store.writes); what they need beyond that is optimistic concurrency: each cell
remembers the revision it was loaded at, and `changed_since` says which cells someone else
has saved since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.dimensions import TOTAL_KEY, dimension_key
from rba.models import Indicator, Observation, PerformanceMeasure, Program
from rba.store.locks import locked
from rba.workbook.template import ENTRY_COLUMNS, REFERENCE, entry_rows, measure_rows

KEY = ["indicator", "period", "dimensions"]
CURRENT = ["value", "numerator", "denominator", "status", "note", "revision", "entered_by",
           "entered_at"]
GRID_COLUMNS = [*KEY, "name", "unit", "per", "previous_period", "previous_value", *CURRENT,
                "locked_by", "locked_at"]
MEASURE_KEY = ["measure", "period", "dimensions"]
PROGRAM_GRID_COLUMNS = [*MEASURE_KEY, "name", "name_es", "kind", "unit", "per",
                        "previous_period", "previous_value", *CURRENT, "locked_by",
                        "locked_at"]
#: RBA's order of the kinds of performance measure: effort first, effect last.
KIND_ORDER = {"how_much": 0, "how_well": 1, "better_off": 2}
#: Which owner a grid's rows name: an indicator, or a program's performance measure.
OWNERS: dict[str, tuple[Any, str]] = {"indicator": (Indicator, "indicator_id"),
                                      "measure": (PerformanceMeasure, "measure_id")}


def current_values(*, session: Session, codes: Iterable[str], periods: Iterable[str],
                   owner: str = "indicator") -> pd.DataFrame:
    """Current observations of these indicators (or measures) in these periods, with
    revision and author; the code is in a column named ``owner``."""
    model, foreign_key = OWNERS[owner]
    query = sa.select(
        model.code, Observation.period, Observation.dimensions, Observation.value,
        Observation.numerator, Observation.denominator, Observation.status, Observation.note,
        Observation.revision, Observation.entered_by, Observation.entered_at,
    ).join(model, getattr(Observation, foreign_key) == model.id).where(
        model.code.in_(list(codes)), Observation.period.in_(list(periods)))
    frame = pd.DataFrame([tuple(r) for r in session.execute(query)],
                         columns=[owner, "period", "dimensions", *CURRENT])
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


def changed_since(*, session: Session, loaded: list[Mapping[str, Any]],
                  owner: str = "indicator") -> list[dict[str, Any]]:
    """The cells whose stored revision differs from the one they were loaded at.

    Each item of ``loaded`` names the indicator (or, with ``owner="measure"``, the
    measure), period, dimensions and the revision seen then (None: there was no value).
    Each conflict returned carries those fields plus the current revision, value,
    entered_by and entered_at.
    """
    if not loaded:
        return []
    key = [owner, "period", "dimensions"]
    seen = pd.DataFrame([{k: item.get(k) for k in [*key, "revision"]} for item in loaded])
    current = current_values(session=session, codes=seen[owner].unique(),
                             periods=seen["period"].unique(), owner=owner)
    both = seen.merge(current, on=key, how="inner", suffixes=("_loaded", ""))
    loaded_rev = pd.to_numeric(both["revision_loaded"], errors="coerce")
    stale = both[loaded_rev.isna() | (loaded_rev != both["revision"].astype(float))]
    return stale.astype(object).where(stale.notna(), None).to_dict("records")


def programs_with_measures(*, session: Session) -> pd.DataFrame:
    """Programs that have performance measures to enter: code, name and Spanish name."""
    query = sa.select(Program.code, Program.name, Program.name_es).where(
        sa.exists().where(PerformanceMeasure.program_id == Program.id)).order_by(Program.name)
    return pd.DataFrame(session.execute(query).all(), columns=["program", "name", "name_es"])


def program_grid(*, session: Session, program: str, period: str | None = None
                 ) -> pd.DataFrame:
    """The grid's rows for a program's performance measures in a period.

    One row per measure due in the period (without ``period``, each measure's next), in
    RBA's order of kinds (how much, how well, better off), with the previous period's
    value, the current value, its revision and who entered it, and the period's lock if
    it is locked. Raises rba.workbook.template.TemplateError when nothing is to be entered.
    """
    rows = measure_rows(session=session, program=program, period=period)
    rows = rows.rename(columns={f"name {REFERENCE}": "name", f"kind {REFERENCE}": "kind",
                                f"unit {REFERENCE}": "unit",
                                f"previous period {REFERENCE}": "previous_period",
                                f"previous value {REFERENCE}": "previous_value"})
    rows["dimensions"] = TOTAL_KEY
    rows = rows.drop(columns=[c for c in CURRENT if c in rows])
    codes = list(rows["measure"].unique())
    about = pd.DataFrame(session.execute(sa.select(
        PerformanceMeasure.code, PerformanceMeasure.per, PerformanceMeasure.name_es).where(
        PerformanceMeasure.code.in_(codes))).all(), columns=["measure", "per", "name_es"])
    rows = rows.merge(about, on="measure", how="left")
    rows = rows.sort_values("kind", key=lambda k: k.map(KIND_ORDER).fillna(len(KIND_ORDER)),
                            kind="stable")
    current = current_values(session=session, codes=codes, periods=rows["period"].unique(),
                             owner="measure")
    grid = rows.merge(current, on=MEASURE_KEY, how="left")
    locks = locked(session=session, owners=codes, kind="measure").rename(
        columns={"owner": "measure"})
    grid = grid.merge(locks, on=["measure", "period"], how="left")
    return grid[PROGRAM_GRID_COLUMNS].astype(object).reset_index(drop=True)
