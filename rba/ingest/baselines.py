"""Plan the baselines sheet: frozen forecasts travel with the rest of the content.

Rows are grouped into one baseline per indicator, group, agreement time, history-through
period, method and level. A baseline already stored with the same points is unchanged; a
stored baseline is never altered (a new agreement is a new baseline).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from rba.ingest.figures import UNKNOWN_CODE, dimension_keys, owner_meta, periods, same_values
from rba.ingest.metadata import Catalog
from rba.ingest.records import ProblemList
from rba.messages import N_, Message
from rba.plan import SheetPlan
from rba.sheets import Sheet
from rba.store.baselines import BASELINE_FIELDS, POINT_FIGURES, baseline_points

GROUP = ["owner", "dimensions", "agreed_at", "history_through", "method", "level"]


def plan_baselines(session: Session, spec: Sheet, typed: pd.DataFrame, catalog: Catalog,
                   problems: ProblemList, plan_dimensions: SheetPlan) -> SheetPlan:
    """Check the rows and group them into baselines to add."""
    frame = typed.copy()
    frame["owner"] = frame["indicator"]
    meta = owner_meta(spec, catalog)
    known = frame["owner"].isin(meta.index)
    problems.cell(frame["owner"].notna() & ~known, "indicator",
                  Message(UNKNOWN_CODE["indicator"][0]))
    frame = frame.join(meta, on="owner")
    frame["period"] = periods(frame, problems.raw.cells, problems, known)
    through = frame.rename(columns={"period": "_p", "history_through": "period"})
    frame["history_through"] = periods(through, problems.raw.cells.rename(
        columns={"history_through": "period"}), _Renamed(problems, "history_through"), known)
    dims = [c for c in frame.columns if c not in spec.column_names and c not in (
        "owner", "unit", "per", "frequency", "declared")]
    frame["dimensions"] = dimension_keys(frame, dims, catalog, problems, known,
                                         plan_dimensions)
    level = frame.get("level", pd.Series(np.nan, index=frame.index)).astype(float)
    problems.cell((level <= 0) | (level >= 1), "level",
                  Message(N_("a level lies between 0 and 1, e.g. 0.95")))
    frame["level"] = level.fillna(0.95)
    for column in [*BASELINE_FIELDS, *POINT_FIGURES]:  # a file may leave out the inner band
        if column not in frame:
            frame[column] = None
    bad_rows = {p.row for p in problems}
    bad = frame.index[problems.raw.rows.isin(bad_rows)]
    plan = SheetPlan(spec.name, rejected=len(bad))
    frame = frame.drop(index=bad)
    frame["agreed_at"] = frame["agreed_at"].fillna("")
    stored = _stored(session)
    for key, points in frame.groupby(GROUP, sort=False, dropna=False):
        record = dict(zip(GROUP, key, strict=True))
        signature = _signature(points)
        if _same(stored.get(_key(record)), signature):
            plan.unchanged += 1
            continue
        if _key(record) in stored and record["agreed_at"]:
            # Same agreement, other figures: a stored baseline is never altered.
            mask = pd.Series(problems.raw.cells.index.isin(points.index),
                             index=problems.raw.cells.index)
            problems.cell(mask, "forecast", Message(N_(
                "a baseline agreed at {agreed_at} with this method and history is stored "
                "with other figures; a stored baseline is never altered (freeze a new one)"),
                agreed_at=record["agreed_at"]))
            plan.rejected += len(points)
            continue
        fields = {f: _first(points[f]) for f in BASELINE_FIELDS}
        plan.added.append({**record, **fields, "points": points[
            ["period", *POINT_FIGURES]].reset_index(drop=True)})
    return plan


def _first(values: pd.Series) -> object:
    present = values.dropna()
    value = present.iloc[0] if len(present) else None
    return None if value == "" else value


def _key(record: dict) -> tuple:
    return (record["owner"], record["dimensions"], record["agreed_at"] or "",
            record["history_through"], record["method"], float(record["level"]))


def _signature(points: pd.DataFrame) -> pd.DataFrame:
    """A baseline's points by period: forecast, its bands' bounds as floats."""
    frame = pd.DataFrame({"period": points["period"].astype(str).to_numpy(),
                          **{c: pd.to_numeric(points[c], errors="coerce").astype(float)
                             .to_numpy() for c in POINT_FIGURES}})
    return frame.sort_values("period", kind="stable").reset_index(drop=True)


def _same(stored: pd.DataFrame | None, given: pd.DataFrame) -> bool:
    """Whether two baselines' points are the same: the same periods, and numbers equal to
    the precision a spreadsheet keeps (rba.ingest.figures.SPREADSHEET_RTOL): openpyxl writes
    16 significant digits, so a double that needs 17 comes back one rounding away."""
    if stored is None or len(stored) != len(given) or not (
            stored["period"].to_numpy() == given["period"].to_numpy()).all():
        return False
    return all(same_values(stored[c], given[c]).all() for c in POINT_FIGURES)


def _stored(session: Session) -> dict[tuple, pd.DataFrame]:
    frame = baseline_points(session=session)
    return {_key(dict(zip(GROUP, key, strict=True))): _signature(points)
            for key, points in frame.groupby(GROUP, sort=False, dropna=False)}


class _Renamed(ProblemList):
    """A problem list that reports a renamed column under its sheet name."""

    def __init__(self, problems: ProblemList, column: str):
        super().__init__(problems.raw)
        self.target, self.column = problems, column

    def cell(self, mask: pd.Series, column: str, messages: pd.Series | Message) -> None:
        self.target.cell(mask, self.column, messages)
