"""Period locks: once a period is final for an indicator, nothing may change its values."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.models import Indicator, Observation, ObservationStatus, PeriodLock, Role, User
from rba.periods import PeriodError, parse_period
from rba.store.audit import new_batch, record_events


class LockError(ValueError):
    """A lock or unlock was refused; the message says why."""


def locked(*, session: Session, owners: Iterable[str] | None = None) -> pd.DataFrame:
    """Locked (owner code, period) pairs of indicators, with who locked them and when."""
    query = sa.select(Indicator.code.label("owner"), PeriodLock.period, PeriodLock.locked_by,
                      PeriodLock.locked_at).join(Indicator, PeriodLock.indicator_id ==
                                                 Indicator.id)
    if owners is not None:
        query = query.where(Indicator.code.in_(list(owners)))
    return pd.DataFrame(session.execute(query).all(),
                        columns=["owner", "period", "locked_by", "locked_at"])


def lock(*, session: Session, period: str, actor: str, codes: list[str] | None = None,
         source: str = "cli") -> list[str]:
    """Lock ``period`` for the given indicators (None: every indicator of that frequency).

    Marks their observations of that period final. Returns the codes locked now.
    """
    indicators = _indicators(session, codes)
    canonical = _matching(indicators, period, explicit=codes is not None)
    done = set(session.scalars(sa.select(Indicator.code).join(
        PeriodLock, PeriodLock.indicator_id == Indicator.id).where(
        PeriodLock.period.in_(set(canonical.values())))))
    todo = [i for i in indicators if i.code in canonical and i.code not in done]
    if not todo:
        return []
    batch = new_batch(session, actor=actor, source=source, description=f"lock {period}")
    events: list[tuple] = []
    finals: list[tuple] = []
    for indicator in todo:
        label = canonical[indicator.code]
        session.add(PeriodLock(indicator_id=indicator.id, period=label, locked_by=actor,
                               locked_at=batch.started_at))
        events.append(("create", f"{indicator.code}|{label}", None,
                       {"indicator": indicator.code, "period": label, "locked_by": actor}))
        finals += _mark_final(session, indicator, label)
    session.flush()
    record_events(session, batch, "period_lock", events)
    record_events(session, batch, "observation", finals)
    return [i.code for i in todo]


def _mark_final(session: Session, indicator: Indicator, period: str) -> list[tuple]:
    """Set the period's provisional observations final; their audit events."""
    fields = ["value", "numerator", "denominator", "status", "note"]
    rows = session.execute(sa.select(
        Observation.id, Observation.dimensions, *[getattr(Observation, f) for f in fields]
    ).where(Observation.indicator_id == indicator.id, Observation.period == period,
            Observation.status != ObservationStatus.final)).all()
    if not rows:
        return []
    session.execute(sa.update(Observation).where(Observation.id.in_([r.id for r in rows]))
                    .values(status=ObservationStatus.final))
    events = []
    for row in rows:
        old = {f: getattr(row, f) for f in fields}
        old["status"] = getattr(old["status"], "value", old["status"])
        events.append(("update", f"{indicator.code}|{period}|{row.dimensions}", old,
                       {**old, "status": "final"}))
    return events


def unlock(*, session: Session, code: str, period: str, actor: str, reason: str,
           source: str = "cli") -> None:
    """Remove a lock; ``actor`` must be an active admin's email; the reason is audited."""
    if not reason.strip():
        raise LockError("give the reason for unlocking with --reason")
    user = session.scalar(sa.select(User).where(User.email == actor))
    if user is None or not user.active or user.role != Role.admin:
        raise LockError(f"{actor} is not an admin: only an admin may unlock a period")
    indicator = _indicators(session, [code])[0]
    label = _matching([indicator], period, explicit=True)[code]
    row = session.scalar(sa.select(PeriodLock).where(
        PeriodLock.indicator_id == indicator.id, PeriodLock.period == label))
    if row is None:
        raise LockError(f"{code} {label} is not locked")
    old = {"indicator": code, "period": label, "locked_by": row.locked_by}
    session.delete(row)
    batch = new_batch(session, actor=actor, source=source, description=f"unlock {code} {label}")
    record_events(session, batch, "period_lock", [
        ("delete", f"{code}|{label}", old, {"reason": reason})])


def _indicators(session: Session, codes: list[str] | None) -> list[Indicator]:
    query = sa.select(Indicator)
    if codes is not None:
        query = query.where(Indicator.code.in_(codes))
    found = list(session.scalars(query.order_by(Indicator.code)))
    missing = sorted(set(codes or []) - {i.code for i in found})
    if missing:
        raise LockError(f"unknown indicator code(s): {', '.join(missing)}")
    return found


def _matching(indicators: list[Indicator], period: str, *, explicit: bool) -> dict[str, str]:
    """Canonical labels of ``period`` for each indicator whose frequency it fits."""
    labels = {}
    for indicator in indicators:
        try:
            labels[indicator.code] = parse_period(period, indicator.frequency.value).label
        except PeriodError as exc:
            if explicit:
                raise LockError(f"{indicator.code}: {exc}") from exc
    if not labels:
        raise LockError(f"no indicator has periods like {period!r}")
    return labels
