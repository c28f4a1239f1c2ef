"""What a coordinator enters for a period: the rows to fill in, and the entry grid's reads.

`entry_rows` and `measure_rows` are the rows of an entry template (a result team's
indicators by group, or a program's performance measures), each with the previous period's
value alongside in columns headed "... (for reference)". The entry grid shows the same rows
with their current values and revisions (`entry_grid`, `program_grid`); both grids save
through the ordinary import path, and what they need beyond that is optimistic concurrency:
each cell remembers the revision it was loaded at, and `changed_since` says which cells
someone else has saved since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.dimensions import TOTAL_KEY, dimension_key, parse_dimension_key, split_dimension_names
from rba.messages import N_, Message
from rba.models import (
    Dimension,
    DimensionValue,
    Indicator,
    Observation,
    PerformanceMeasure,
    Program,
)
from rba.periods import PeriodError, check_period, next_period, parse_period
from rba.refusals import Refusal
from rba.sheets import ENTRY_COLUMNS, REFERENCE
from rba.store.catalogue import measured_indicators
from rba.store.locks import locked

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


class TemplateError(Refusal):
    """No template can be made for what was asked; the message says why."""


def entry_rows(*, session: Session, period: str | None = None,
               team: str | None = None) -> pd.DataFrame:
    """The observation rows to enter: each indicator's groups for the period, with last values.

    Without ``period``, each indicator's next period after its latest value.
    """
    _valid(period)
    indicators = list(session.scalars(measured_indicators(Indicator, team=team)))
    if not indicators:
        raise TemplateError(Message(N_("no indicators for team {team!r}"), team=team)
                            if team else Message(N_("no indicators yet")))
    observed = pd.DataFrame(session.execute(sa.select(
        Observation.indicator_id, Observation.period, Observation.dimensions, Observation.value
    ).where(Observation.indicator_id.in_([i.id for i in indicators]))).all(),
        columns=["indicator_id", "period", "dimensions", "value"])
    groups = registered_groups(session=session)
    rows = []
    for indicator in indicators:
        target = _period_for(indicator, period, observed)
        if target is None:
            continue
        previous = next_period(target, -1).label
        mine = observed[observed["indicator_id"] == indicator.id]
        last = mine[mine["period"] == previous].set_index("dimensions")["value"]
        keys = list(dict.fromkeys([TOTAL_KEY, *last.index])) if len(last) else [
            TOTAL_KEY, *[dimension_key({d: v}) for d in split_dimension_names(
                indicator.dimensions) for v in groups.get(d, [])]]
        for key in keys:
            rows.append({"indicator": indicator.code, "period": target.label,
                         **parse_dimension_key(key),
                         f"name {REFERENCE}": indicator.name,
                         f"unit {REFERENCE}": indicator.unit.value,
                         f"previous period {REFERENCE}": previous,
                         f"previous value {REFERENCE}": last.get(key)})
    if not rows:
        raise TemplateError(Message(N_("no indicator has periods like {period!r}"),
                                    period=period))
    frame = pd.DataFrame(rows)
    dims = [c for c in frame.columns if c not in ENTRY_COLUMNS and REFERENCE not in c]
    for column in ENTRY_COLUMNS:
        if column not in frame:
            frame[column] = None
    references = [c for c in frame.columns if REFERENCE in c]
    return frame[ENTRY_COLUMNS + dims + references]


def measure_rows(*, session: Session, program: str, period: str | None = None
                 ) -> pd.DataFrame:
    """The performance measure rows to enter for one program, with last period's values."""
    _valid(period)
    measures = list(session.scalars(sa.select(PerformanceMeasure).join(Program).where(
        Program.code == program).order_by(PerformanceMeasure.display_order,
                                         PerformanceMeasure.code)))
    if not measures:
        raise TemplateError(Message(N_("no performance measures for program {program!r}"),
                                    program=program))
    observed = pd.DataFrame(session.execute(sa.select(
        Observation.measure_id, Observation.period, Observation.value
    ).where(Observation.measure_id.in_([m.id for m in measures]))).all(),
        columns=["indicator_id", "period", "value"])
    rows = []
    for measure in measures:
        target = _period_for(measure, period, observed)
        if target is None:
            continue
        previous = next_period(target, -1).label
        last = observed[(observed["indicator_id"] == measure.id)
                        & (observed["period"] == previous)]["value"]
        rows.append({"measure": measure.code, "period": target.label,
                     f"name {REFERENCE}": measure.name,
                     f"kind {REFERENCE}": measure.kind.value,
                     f"unit {REFERENCE}": measure.unit.value,
                     f"previous period {REFERENCE}": previous,
                     f"previous value {REFERENCE}": last.iloc[0] if len(last) else None})
    if not rows:
        raise TemplateError(Message(N_("no measure of {program} has periods like {period!r}"),
                                    program=program, period=period))
    frame = pd.DataFrame(rows)
    columns = ["measure", *ENTRY_COLUMNS[1:]]
    for column in columns:
        if column not in frame:
            frame[column] = None
    return frame[columns + [c for c in frame.columns if REFERENCE in c]]


def _valid(period: str | None) -> None:
    """TemplateError saying so when ``period`` is no period at all (2026-Q5)."""
    if period is None:
        return
    try:
        check_period(period)
    except PeriodError as exc:
        raise TemplateError(exc.detail) from exc


def _period_for(indicator: Indicator | PerformanceMeasure, period: str | None,  # type: ignore[no-untyped-def]
                observed: pd.DataFrame):
    frequency = indicator.frequency.value
    if period is not None:
        try:
            return parse_period(period, frequency)
        except PeriodError:
            return None  # another frequency: this indicator is not due in that period
    mine = observed.loc[observed["indicator_id"] == indicator.id, "period"]
    if mine.empty:
        return None
    return next_period(max(parse_period(p, frequency) for p in mine.unique()))


def registered_groups(*, session: Session) -> dict[str, list[str]]:
    rows = session.execute(sa.select(Dimension.name, DimensionValue.value).join(
        DimensionValue).order_by(Dimension.name, DimensionValue.display_order,
                                 DimensionValue.value))
    groups: dict[str, list[str]] = {}
    for name, value in rows:
        groups.setdefault(name, []).append(value)
    return groups


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
    lock of the period if it is locked. Raises TemplateError when
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


def program_grid(*, session: Session, program: str, period: str | None = None
                 ) -> pd.DataFrame:
    """The grid's rows for a program's performance measures in a period.

    One row per measure due in the period (without ``period``, each measure's next), in
    RBA's order of kinds (how much, how well, better off), with the previous period's
    value, the current value, its revision and who entered it, and the period's lock if
    it is locked. Raises TemplateError when nothing is to be entered.
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
