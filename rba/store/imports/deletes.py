"""Deleting descriptive records, which only an undo does, and never while anything uses them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.messages import N_, Message
from rba.models import (
    Baseline,
    Dimension,
    DimensionValue,
    Indicator,
    Observation,
    Partner,
    PerformanceMeasure,
    Program,
    Result,
    ResultTeam,
    Target,
    TurnTheCurveRecord,
    program_indicators,
    program_partners,
    program_results,
)
from rba.plan import SheetPlan
from rba.refusals import Refusal
from rba.store.audit import record_events

MODELS: dict[str, tuple[Any, str]] = {
    "teams": (ResultTeam, "slug"), "results": (Result, "code"),
    "indicators": (Indicator, "code"), "partners": (Partner, "name"),
    "programs": (Program, "code"), "measures": (PerformanceMeasure, "code"),
}
#: What must be gone before a record may be deleted: (table or model, its foreign key column).
DEPENDANTS: dict[str, list[tuple[Any, str]]] = {
    "teams": [(Result, "team_id")],
    "results": [(Indicator, "result_id"), (program_results, "result_id")],
    "indicators": [(Observation, "indicator_id"), (Target, "indicator_id"),
                   (Baseline, "indicator_id"), (TurnTheCurveRecord, "indicator_id"),
                   (program_indicators, "indicator_id")],
    "partners": [(Program, "lead_partner_id"), (program_partners, "partner_id")],
    "programs": [(PerformanceMeasure, "program_id")],
    "measures": [(Observation, "measure_id"), (Target, "measure_id")],
}


class StillInUse(Refusal):
    """A record cannot be deleted while other records refer to it."""


def delete_records(*, session: Session, plan: SheetPlan, batch: Any, entity: str) -> None:
    """Delete the plan's records, audited; refuse any that something still refers to."""
    events = []
    for record in plan.deleted:
        if plan.sheet == "stories":
            events.append(_delete_story(session, record))
            continue
        if plan.sheet == "dimensions":
            events.append(_delete_dimension(session, record))
            continue
        model, key = MODELS[plan.sheet]
        obj = session.scalar(sa.select(model).where(getattr(model, key) == record[key]))
        if obj is None:
            continue
        for table, column in DEPENDANTS.get(plan.sheet, []):
            target = table.__table__ if hasattr(table, "__table__") else table
            used = session.scalar(sa.select(sa.func.count()).select_from(target).where(
                target.c[column] == obj.id))
            if used:
                raise StillInUse(Message(
                    N_("{entity} {record} is still used by {n} {table}: undo the later "
                       "batches first"), entity=entity, record=record[key], n=used,
                    table=target.name.replace("_", " ")))
        session.delete(obj)
        events.append(("delete", str(record[key]), record, None))
    session.flush()
    record_events(session=session, batch=batch, entity=entity, changes=events)


def _delete_story(session: Session, record: dict) -> tuple:
    code, version = record["indicator"], int(record["version"])
    session.execute(sa.delete(TurnTheCurveRecord).where(
        TurnTheCurveRecord.version == version,
        TurnTheCurveRecord.indicator_id == sa.select(Indicator.id).where(
            Indicator.code == code).scalar_subquery()))
    return ("delete", f"{code}#{version}", record, None)


def _delete_dimension(session: Session, record: dict) -> tuple:
    name, value = record["dimension"], record.get("value")
    dimension = session.scalar(sa.select(Dimension).where(Dimension.name == name))
    if dimension is not None and value:
        session.execute(sa.delete(DimensionValue).where(
            DimensionValue.dimension_id == dimension.id, DimensionValue.value == value))
    elif dimension is not None:
        declared = session.scalar(sa.select(sa.func.count()).select_from(Indicator).where(
            Indicator.dimensions.contains(name)))
        if declared:
            raise StillInUse(Message(N_("dimension {name} is still declared by {n} "
                                        "indicator(s)"), name=name, n=declared))
        session.delete(dimension)
    return ("delete", f"{name}={value or ''}", record, None)
