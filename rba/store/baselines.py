"""Frozen baselines: the forecast partners agreed, stored so later actuals are judged by it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.models import Baseline, BaselinePoint, Indicator
from rba.store.audit import new_batch, record_events
from rba.store.bulk import bulk_insert

#: A baseline point's figures: the forecast, its band at the level, and the inner 80% band.
POINT_FIGURES = ["forecast", "lower", "upper", "lower_80", "upper_80"]
BASELINE_FIELDS = ["history_through", "method", "level", "baseline_value", "agreed_by",
                   "agreed_at", "note"]


def baseline_record(code: str, dimensions: str, baseline: Baseline, points: int) -> dict:
    """What the audit trail records of a frozen baseline."""
    return {"indicator": code, "dimensions": dimensions, "history_through":
            baseline.history_through, "method": baseline.method, "level": baseline.level,
            "baseline_value": baseline.baseline_value, "points": points}


def agreed_text(moment: datetime) -> str:
    """When a baseline was agreed, as UTC text to the second (how export writes it)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _floats(points: pd.DataFrame, column: str) -> list[float | None]:
    """A point column as floats, None where blank or absent (a file without the inner band)."""
    if column not in points:
        return [None] * len(points)
    values = pd.to_numeric(points[column], errors="coerce").astype(float)
    return [None if v != v else v for v in values.tolist()]


def add_baseline(*, session: Session, batch: Any, code: str, dimensions: str,
                 fields: dict[str, Any], points: pd.DataFrame) -> tuple:
    """Store one baseline and its points (period, forecast, lower, upper, and the inner
    band's lower_80 and upper_80 where given); its audit tuple."""
    indicator_id = session.scalar(sa.select(Indicator.id).where(Indicator.code == code))
    agreed_at = fields.get("agreed_at") or batch.started_at
    if isinstance(agreed_at, str):
        agreed_at = datetime.fromisoformat(agreed_at).replace(tzinfo=UTC)
    baseline = Baseline(indicator_id=indicator_id, dimensions=dimensions,
                        history_through=str(fields["history_through"]),
                        method=str(fields["method"]), level=float(fields.get("level") or 0.95),
                        baseline_value=fields.get("baseline_value"), note=fields.get("note"),
                        agreed_by=fields.get("agreed_by") or batch.actor, agreed_at=agreed_at)
    session.add(baseline)
    session.flush()
    bulk_insert(session=session, table=BaselinePoint.__table__, columns={
        "baseline_id": baseline.id, "period": points["period"].astype(str).tolist(),
        **{c: _floats(points, c) for c in POINT_FIGURES}}, n=len(points))
    return ("create", f"{code}|{dimensions}#{baseline.id}",
            None, baseline_record(code, dimensions, baseline, len(points)))


def freeze(*, session: Session, code: str, points: pd.DataFrame, summary: pd.DataFrame,
           actor: str, source: str = "cli", note: str | None = None) -> list[str]:
    """Store one frozen baseline per series in ``summary`` from its forecast ``points``.

    ``points``: series, period, forecast, lower, upper, lower_80, upper_80
    (rba.calc.frozen_baseline's shape);
    ``summary``: series, dimensions, history_through (label), method, level.
    Returns the audit ids of the new baselines; one audited batch.
    """
    batch = new_batch(session=session, actor=actor, source=source, description=f"freeze {code}")
    events = []
    for row in summary.itertuples(index=False):
        mine = points[points["series"] == row.series]
        if mine.empty:
            continue
        events.append(add_baseline(session=session, batch=batch, code=code,
                                   dimensions=str(row.dimensions),
                                   fields={"history_through": row.history_through,
                                           "method": row.method, "level": row.level,
                                           "note": note}, points=mine))
    record_events(session=session, batch=batch, entity="baseline", changes=events)
    return [e[1] for e in events]


def baseline_points(*, session: Session) -> pd.DataFrame:
    """Every stored baseline point with its baseline's fields, in workbook terms."""
    rows = session.execute(sa.select(
        Baseline.id, Indicator.code, Baseline.dimensions, BaselinePoint.period,
        BaselinePoint.forecast, BaselinePoint.lower, BaselinePoint.upper,
        BaselinePoint.lower_80, BaselinePoint.upper_80, Baseline.history_through,
        Baseline.method, Baseline.level, Baseline.baseline_value, Baseline.agreed_by,
        Baseline.agreed_at, Baseline.note)
        .join(Indicator, Baseline.indicator_id == Indicator.id)
        .join(BaselinePoint, BaselinePoint.baseline_id == Baseline.id)
        .order_by(Indicator.code, Baseline.dimensions, Baseline.agreed_at, Baseline.id,
                  BaselinePoint.period))
    frame = pd.DataFrame(rows.all(), columns=[
        "baseline", "owner", "dimensions", "period", *POINT_FIGURES, *BASELINE_FIELDS])
    frame["agreed_at"] = frame["agreed_at"].map(agreed_text)
    return frame


def baseline_records(*, session: Session) -> dict[str, dict[str, Any]]:
    """Every stored baseline as the audit trail records it, by its audit entity id."""
    counts = dict(session.execute(sa.select(BaselinePoint.baseline_id, sa.func.count())
                                  .group_by(BaselinePoint.baseline_id)).all())
    rows = session.execute(sa.select(Baseline, Indicator.code).join(
        Indicator, Baseline.indicator_id == Indicator.id))
    return {f"{code}|{b.dimensions}#{b.id}": baseline_record(code, b.dimensions, b,
                                                            counts.get(b.id, 0))
            for b, code in rows}


def any_baseline(*, session: Session) -> bool:
    """Whether any baseline has been agreed (frozen) yet."""
    return session.scalar(sa.select(Baseline.id).limit(1)) is not None
