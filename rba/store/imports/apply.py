"""Apply an import plan: every record written, revised and audited in one transaction."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rba.dimensions import split_dimension_names
from rba.messages import N_, Message
from rba.models import (
    Dimension,
    DimensionValue,
    Indicator,
    Partner,
    PerformanceMeasure,
    Program,
    Result,
    ResultTeam,
    TurnTheCurveRecord,
)
from rba.models.base import utcnow
from rba.plan import ImportPlan, Record, SheetPlan
from rba.refusals import Refusal
from rba.store.audit import new_batch, record_events
from rba.store.baselines import add_baseline
from rba.store.imports.deletes import delete_records
from rba.store.imports.figures import apply_figures


class ChangedMeanwhile(Refusal):
    """Another import wrote the same records while this one ran; nothing was written."""


CHANGED_MEANWHILE = Message(N_(
    "changed by another import while this one ran; nothing was written; run it again"))


def apply_plan(*, session: Session, plan: ImportPlan, actor: str, source: str = "import",
               description: str | None = None) -> str:
    """Write the plan's additions and changes with audit events; return the batch id.

    Raises ChangedMeanwhile (the session rolled back) when another import wrote the same
    records after this plan was made.
    """
    try:
        return _apply_plan(session=session, plan=plan, actor=actor, source=source,
                           description=description)
    except IntegrityError as exc:
        session.rollback()
        raise ChangedMeanwhile(CHANGED_MEANWHILE) from exc


MODELS: dict[str, Any] = {
    "teams": (ResultTeam, "slug"), "results": (Result, "code"),
    "indicators": (Indicator, "code"), "partners": (Partner, "name"),
    "programs": (Program, "code"), "measures": (PerformanceMeasure, "code"),
}
RENAMES = {"order": "display_order", "definition": "lay_definition",
           "definition_es": "lay_definition_es"}
ENTITY = {"teams": "team", "results": "result", "dimensions": "dimension",
          "indicators": "indicator", "partners": "partner", "programs": "program",
          "measures": "measure", "stories": "story", "observations": "observation",
          "targets": "target", "baselines": "baseline",
          "measure_observations": "measure_observation",
          "measure_targets": "measure_target"}


def _apply_plan(
    *, session: Session, plan: ImportPlan, actor: str, source: str = "import",
    description: str | None = None,
) -> str:
    """Write the plan's additions and changes with audit events; return the batch id."""
    batch = new_batch(session=session, actor=actor, source=source, description=description)
    batch.summary = json.dumps(plan.summary())
    for name, sheet_plan in plan.sheets.items():
        if sheet_plan.added_frame is not None or sheet_plan.deleted_frame is not None:
            apply_figures(session=session, plan=sheet_plan, batch=batch, entity=ENTITY[name])
        elif name == "dimensions":
            _apply_dimensions(session, sheet_plan, batch)
        elif name == "stories":
            _apply_stories(session, sheet_plan, batch, actor)
        elif name == "baselines":
            record_events(session=session, batch=batch, entity="baseline", changes=[add_baseline(
                session=session, batch=batch, code=r["owner"], dimensions=r["dimensions"], fields=r,
                points=r["points"]) for r in sheet_plan.added])
        else:
            _apply_records(session, sheet_plan, batch)
    _ensure_dimensions(session, batch)
    # Deletions (only an undo plans them) go last, dependants before what they depend on.
    for name in reversed(list(plan.sheets)):
        sheet_plan = plan.sheets[name]
        if sheet_plan.deleted:
            delete_records(session=session, plan=sheet_plan, batch=batch, entity=ENTITY[name])
    session.flush()
    return batch.id


def _apply_records(session: Session, plan: SheetPlan, batch: Any) -> None:
    model, key = MODELS[plan.sheet]
    events = []
    for old, new in [(None, r) for r in plan.added] + plan.changed:
        obj = None if old is None else session.scalar(
            sa.select(model).where(getattr(model, key) == new[key]))
        if obj is None:
            obj = model()
            session.add(obj)
        _assign(session, obj, plan.sheet, new)
        events.append(("create" if old is None else "update", str(new[key]), old, new))
    session.flush()
    record_events(session=session, batch=batch, entity=ENTITY[plan.sheet], changes=events)


def _assign(session: Session, obj: Any, sheet: str, record: Record) -> None:
    with session.no_autoflush:
        _assign_fields(session, obj, sheet, record)
    session.flush()


def _assign_fields(session: Session, obj: Any, sheet: str, record: Record) -> None:
    for field, value in record.items():
        if field == "team":
            obj.team_id = _id(session, ResultTeam, "slug", value)
        elif field == "result":
            obj.result_id = _id(session, Result, "code", value)
        elif field == "program":
            obj.program_id = _id(session, Program, "code", value)
        elif field == "lead_partner":
            obj.lead_partner_id = _id(session, Partner, "name", value)
        elif sheet == "programs" and field in ("partners", "results", "indicators"):
            model, column = {"partners": (Partner, "name"), "results": (Result, "code"),
                             "indicators": (Indicator, "code")}[field]
            separator = ";" if field == "partners" else ","
            names = [n.strip() for n in (value or "").split(separator) if n.strip()]
            setattr(obj, field, list(session.scalars(
                sa.select(model).where(getattr(model, column).in_(names)))))
        elif field == "dimensions":
            obj.dimensions = value or ""
        else:
            setattr(obj, RENAMES.get(field, field), value)


def _id(session: Session, model: Any, column: str, value: Any) -> int | None:
    if value is None:
        return None
    return session.scalar(sa.select(model.id).where(getattr(model, column) == value))


def _apply_dimensions(session: Session, plan: SheetPlan, batch: Any) -> None:
    """Create or relabel dimensions and their groups, loading what exists once."""
    events: list[tuple[str, str, Record | None, Record | None]] = []
    dimensions = {d.name: d for d in session.scalars(sa.select(Dimension))}
    values = {(v.dimension_id, v.value): v for v in session.scalars(sa.select(DimensionValue))}
    for old, new in [(None, r) for r in plan.added] + plan.changed:
        name = new["dimension"]
        if name not in dimensions:
            dimensions[name] = Dimension(name=name)
            session.add(dimensions[name])
            session.flush()
            if new.get("value") is not None:  # created here for its first group: audit it
                events.append(("create", f"{name}=", None, {"dimension": name, "value": None}))
        dimension = dimensions[name]
        if new.get("value") is None:
            dimension.label, dimension.label_es = new.get("label"), new.get("label_es")
        else:
            value = values.get((dimension.id, new["value"]))
            if value is None:
                value = DimensionValue(dimension_id=dimension.id, value=new["value"])
                values[(dimension.id, new["value"])] = value
                session.add(value)
            value.label, value.label_es = new.get("label"), new.get("label_es")
            value.display_order = new.get("order") or 0
            new = {**new, "order": value.display_order}  # audit what is stored
        entity_id = f"{name}={new.get('value') or ''}"
        events.append(("create" if old is None else "update", entity_id, old, new))
    session.flush()
    record_events(session=session, batch=batch, entity="dimension", changes=events)


def _ensure_dimensions(session: Session, batch: Any) -> None:
    """Every dimension an indicator declares has a row (labels can be added later)."""
    declared = {n for d in session.scalars(sa.select(Indicator.dimensions))
                for n in split_dimension_names(d)}
    have = set(session.scalars(sa.select(Dimension.name)))
    missing = sorted(declared - have)
    for name in missing:
        session.add(Dimension(name=name))
    session.flush()
    record_events(session=session, batch=batch, entity="dimension", changes=[
        ("create", f"{n}=", None, {"dimension": n, "value": None}) for n in missing])


def _apply_stories(session: Session, plan: SheetPlan, batch: Any, actor: str) -> None:
    events = []
    for record in plan.added:
        indicator_id = _id(session, Indicator, "code", record["indicator"])
        latest = session.scalar(sa.select(sa.func.max(TurnTheCurveRecord.version)).where(
            TurnTheCurveRecord.indicator_id == indicator_id)) or 0
        saved_at = _parse_date(record.get("saved_at")) or batch.started_at
        fields = {k: v for k, v in record.items()
                  if k not in ("indicator", "saved_by", "saved_at")}
        saved_by = record.get("saved_by") or actor
        session.add(TurnTheCurveRecord(
            indicator_id=indicator_id, version=latest + 1, saved_by=saved_by,
            saved_at=saved_at, **fields))
        session.flush()
        saved = {**record, "saved_by": saved_by, "saved_at": saved_at.date().isoformat()}
        events.append(("create", f"{record['indicator']}#{latest + 1}", None, saved))
    record_events(session=session, batch=batch, entity="story", changes=events)


def _parse_date(text: Any) -> datetime | None:
    """An ISO date or date-time (checked at its cell by the import) as a UTC datetime."""
    if not text:
        return None
    parsed = datetime.fromisoformat(str(text))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=utcnow().tzinfo)
