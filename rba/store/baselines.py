"""Frozen baselines: the forecast partners agreed, stored so later actuals are judged by it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.models import Baseline, BaselinePoint, Indicator
from rba.store.audit import new_batch, record_events
from rba.store.bulk import bulk_insert


def baseline_record(code: str, dimensions: str, baseline: Baseline, points: int) -> dict:
    """What the audit trail records of a frozen baseline."""
    return {"indicator": code, "dimensions": dimensions, "history_through":
            baseline.history_through, "method": baseline.method, "level": baseline.level,
            "baseline_value": baseline.baseline_value, "points": points}


def freeze(*, session: Session, code: str, points: pd.DataFrame, summary: pd.DataFrame,
           actor: str, source: str = "cli", note: str | None = None) -> list[int]:
    """Store one frozen baseline per series in ``summary`` from its forecast ``points``.

    ``points``: series, period, forecast, lower, upper (rba.calc.frozen_baseline's shape);
    ``summary``: series, dimensions, history_through (label), method, level.
    Returns the new baselines' ids; one audited batch.
    """
    indicator_id = session.scalar(sa.select(Indicator.id).where(Indicator.code == code))
    batch = new_batch(session, actor=actor, source=source, description=f"freeze {code}")
    ids, events = [], []
    for row in summary.itertuples(index=False):
        mine = points[points["series"] == row.series]
        if mine.empty:
            continue
        baseline = Baseline(indicator_id=indicator_id, dimensions=str(row.dimensions),
                            history_through=str(row.history_through), method=str(row.method),
                            level=float(row.level), note=note, agreed_by=actor,
                            agreed_at=batch.started_at)
        session.add(baseline)
        session.flush()
        bulk_insert(session, BaselinePoint.__table__, {
            "baseline_id": baseline.id, "period": mine["period"].astype(str).tolist(),
            "forecast": mine["forecast"].tolist(), "lower": mine["lower"].tolist(),
            "upper": mine["upper"].tolist()}, len(mine))
        ids.append(baseline.id)
        events.append(("create", f"{code}|{row.dimensions}#{baseline.id}", None,
                       baseline_record(code, str(row.dimensions), baseline, len(mine))))
    record_events(session, batch, "baseline", events)
    return ids


def baseline_records(session: Session) -> dict[str, dict[str, Any]]:
    """Every stored baseline as the audit trail records it, by its audit entity id."""
    counts = dict(session.execute(sa.select(BaselinePoint.baseline_id, sa.func.count())
                                  .group_by(BaselinePoint.baseline_id)).all())
    rows = session.execute(sa.select(Baseline, Indicator.code).join(
        Indicator, Baseline.indicator_id == Indicator.id))
    return {f"{code}|{b.dimensions}#{b.id}": baseline_record(code, b.dimensions, b,
                                                            counts.get(b.id, 0))
            for b, code in rows}
