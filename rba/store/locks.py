"""Period locks: once a period is final for an indicator or a program's performance measure,
nothing may change its values (grid, import, CLI, undo) until an admin unlocks it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.messages import N_, Message
from rba.models import (
    Indicator,
    Observation,
    ObservationStatus,
    PerformanceMeasure,
    PeriodLock,
    Role,
    User,
)
from rba.periods import PeriodError, check_period, parse_period
from rba.refusals import Refusal
from rba.store.audit import new_batch, record_events
from rba.store.catalogue import measured_indicators

INDICATOR, MEASURE = "indicator", "measure"
#: Per kind of owner: its model, the lock's and the observation's foreign key, and the
#: audit entities of its locks and of its observations.
KINDS: dict[str, tuple[Any, str, str, str]] = {
    INDICATOR: (Indicator, "indicator_id", "period_lock", "observation"),
    MEASURE: (PerformanceMeasure, "measure_id", "measure_period_lock", "measure_observation"),
}


class LockError(Refusal):
    """A lock or unlock was refused; the message says why."""


def locked(*, session: Session, owners: Iterable[str] | None = None,
           kind: str = INDICATOR) -> pd.DataFrame:
    """Locked (owner code, period) pairs of indicators (or of measures), with who locked
    them and when."""
    model, fk, _entity, _figures = KINDS[kind]
    query = sa.select(model.code.label("owner"), PeriodLock.period, PeriodLock.locked_by,
                      PeriodLock.locked_at).join(model, getattr(PeriodLock, fk) == model.id)
    if owners is not None:
        query = query.where(model.code.in_(list(owners)))
    return pd.DataFrame(session.execute(query).all(),
                        columns=["owner", "period", "locked_by", "locked_at"])


def lock(*, session: Session, period: str, actor: str, codes: list[str] | None = None,
         source: str = "cli", every_code: bool = True) -> tuple[list[str], list[str]]:
    """Lock ``period`` for the given indicators or measures (None: every indicator and
    measure of that frequency). With ``every_code`` False (a team's indicators), those of
    another frequency are left out rather than refused.

    Marks their observations of that period final. Returns the codes locked now and those
    that were locked already.
    """
    owners = _owners(session, codes)
    canonical = _matching(owners, period, explicit=codes is not None and every_code)
    matching = [(kind, owner) for kind, owner in owners if owner.code in canonical]
    already = [owner.code for kind, owner in matching
               if _is_locked(session, kind, owner, canonical[owner.code])]
    todo = [(kind, owner) for kind, owner in matching if owner.code not in already]
    if not todo:
        return [], already
    batch = new_batch(session=session, actor=actor, source=source, description=f"lock {period}")
    events: dict[str, list[tuple]] = {}
    for kind, owner in todo:
        _model, fk, entity, figures = KINDS[kind]
        label = canonical[owner.code]
        session.add(PeriodLock(**{fk: owner.id}, period=label, locked_by=actor,
                               locked_at=batch.started_at))
        events.setdefault(entity, []).append((
            "create", f"{owner.code}|{label}", None,
            {kind: owner.code, "period": label, "locked_by": actor}))
        events.setdefault(figures, []).extend(_mark_final(session, kind, owner, label))
    session.flush()
    for entity, recorded in events.items():
        record_events(session=session, batch=batch, entity=entity, changes=recorded)
    return [owner.code for _kind, owner in todo], already


def team_codes(*, session: Session, team: str) -> list[str]:
    """The codes of a result team's indicators (by its slug); LockError when it has none."""
    codes = list(session.scalars(measured_indicators(Indicator.code, team=team)))
    if not codes:
        raise LockError(Message(N_("no indicators for team {team!r}"), team=team))
    return codes


def _is_locked(session: Session, kind: str, owner: Any, period: str) -> bool:
    fk = KINDS[kind][1]
    found = session.scalar(sa.select(PeriodLock.id).where(
        getattr(PeriodLock, fk) == owner.id, PeriodLock.period == period))
    return found is not None


def _mark_final(session: Session, kind: str, owner: Any, period: str) -> list[tuple]:
    """Set the period's provisional observations final; their audit events."""
    fk = KINDS[kind][1]
    fields = ["value", "numerator", "denominator", "status", "note"]
    rows = session.execute(sa.select(
        Observation.id, Observation.dimensions, *[getattr(Observation, f) for f in fields]
    ).where(getattr(Observation, fk) == owner.id, Observation.period == period,
            Observation.status != ObservationStatus.final)).all()
    if not rows:
        return []
    session.execute(sa.update(Observation).where(Observation.id.in_([r.id for r in rows]))
                    .values(status=ObservationStatus.final))
    events = []
    for row in rows:
        old = {f: getattr(row, f) for f in fields}
        old["status"] = getattr(old["status"], "value", old["status"])
        events.append(("update", f"{owner.code}|{period}|{row.dimensions}", old,
                       {**old, "status": "final"}))
    return events


def unlock(*, session: Session, code: str, period: str, actor: str, reason: str,
           source: str = "cli") -> None:
    """Remove a lock; ``actor`` must be an active admin's email; the reason is audited."""
    if not reason.strip():
        raise LockError(Message(N_("give the reason for unlocking (it is kept in the history)")))
    user = session.scalar(sa.select(User).where(User.email == actor))
    if user is None or not user.active or user.role != Role.admin:
        raise LockError(Message(N_("{actor} is not an admin: only an admin may unlock a "
                                   "period"), actor=actor))
    ((kind, owner),) = _owners(session, [code])
    _model, fk, entity, _figures = KINDS[kind]
    label = _matching([(kind, owner)], period, explicit=True)[code]
    row = session.scalar(sa.select(PeriodLock).where(
        getattr(PeriodLock, fk) == owner.id, PeriodLock.period == label))
    if row is None:
        raise LockError(Message(N_("{code} {period} is not locked"), code=code, period=label))
    old = {kind: code, "period": label, "locked_by": row.locked_by}
    session.delete(row)
    batch = new_batch(session=session, actor=actor, source=source,
                      description=f"unlock {code} {label}")
    record_events(session=session, batch=batch, entity=entity, changes=[
        ("delete", f"{code}|{label}", old, {"reason": reason})])


def _owners(session: Session, codes: list[str] | None) -> list[tuple[str, Any]]:
    """The indicators and measures with these codes (None: all), as (kind, record)."""
    found: list[tuple[str, Any]] = []
    for kind, (model, *_rest) in KINDS.items():
        query = sa.select(model)
        if codes is not None:
            query = query.where(model.code.in_(codes))
        found += [(kind, r) for r in session.scalars(query.order_by(model.code))]
    names = [owner.code for _kind, owner in found]
    both = sorted({c for c in names if names.count(c) > 1})
    if both and codes is not None:
        raise LockError(Message(N_("{codes}: both an indicator and a performance measure "
                                   "have this code; rename one to lock it"),
                                codes=", ".join(both)))
    missing = sorted(set(codes or []) - set(names))
    if missing:
        raise LockError(Message(N_("unknown indicator or measure code(s): {codes}"),
                                codes=", ".join(missing)))
    return found


def _matching(owners: list[tuple[str, Any]], period: str, *, explicit: bool
              ) -> dict[str, str]:
    """Canonical labels of ``period`` for each owner whose frequency it fits."""
    try:
        check_period(period)
    except PeriodError as exc:
        raise LockError(exc.detail) from exc
    labels = {}
    for _kind, owner in owners:
        try:
            labels[owner.code] = parse_period(period, owner.frequency.value).label
        except PeriodError as exc:
            if explicit:
                raise LockError(Message(N_("{code}: {reason}"), code=owner.code,
                                        reason=exc.detail)) from exc
    if not labels:
        raise LockError(Message(N_("no indicator or measure has periods like {period!r}"),
                                period=period))
    return labels
