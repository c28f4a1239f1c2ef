"""The words the public reads, each with its Spanish version: results, result teams,
published indicators (names, definitions, sources), dimension labels, the latest
turn-the-curve record of each published indicator, programs and performance measures.

Reads only; returns one long frame, so one check (rba.report.translations) covers them all.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.models import (
    Dimension,
    DimensionValue,
    Indicator,
    PerformanceMeasure,
    Program,
    Result,
    ResultTeam,
    TurnTheCurveRecord,
)
from rba.store.stories import STORY_FIELDS

FIELD_COLUMNS = ["kind", "code", "field", "english", "spanish"]


def _pairs(session: Session, kind: str, code: Any, fields: dict[str, tuple[Any, Any]],
           query: sa.Select[Any] | None = None) -> pd.DataFrame:
    """One row per (record, field) of ``fields`` (name -> (English, Spanish) columns)."""
    columns = [code, *[c for pair in fields.values() for c in pair]]
    rows = session.execute(query if query is not None else sa.select(*columns)).all()
    frames = []
    for i, name in enumerate(fields):
        frames.append(pd.DataFrame({
            "kind": kind, "code": [str(r[0]) for r in rows], "field": name,
            "english": [r[1 + 2 * i] for r in rows],
            "spanish": [r[2 + 2 * i] for r in rows]}, columns=FIELD_COLUMNS))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=FIELD_COLUMNS)


def bilingual_fields(*, session: Session) -> pd.DataFrame:
    """Every published text field in English and Spanish: kind (result, team, indicator,
    dimension, story, program, measure), code, field, english, spanish (None: blank)."""
    published = Indicator.published.is_(True)
    parts = [
        _pairs(session, "result", Result.code, {
            "name": (Result.name, Result.name_es),
            "description": (Result.description, Result.description_es)}),
        _pairs(session, "team", ResultTeam.slug, {"name": (ResultTeam.name, ResultTeam.name_es)}),
        _pairs(session, "indicator", Indicator.code, {
            "name": (Indicator.name, Indicator.name_es),
            "definition": (Indicator.lay_definition, Indicator.lay_definition_es),
            "technical_definition": (Indicator.technical_definition,
                                     Indicator.technical_definition_es),
            "source": (Indicator.source, Indicator.source_es)},
               sa.select(Indicator.code, Indicator.name, Indicator.name_es,
                         Indicator.lay_definition, Indicator.lay_definition_es,
                         Indicator.technical_definition, Indicator.technical_definition_es,
                         Indicator.source, Indicator.source_es).where(published)),
        _pairs(session, "dimension", Dimension.name, {"label": (Dimension.label,
                                                                Dimension.label_es)}),
        _pairs(session, "dimension", Dimension.name, {"label": (DimensionValue.label,
                                                                DimensionValue.label_es)},
               sa.select(Dimension.name + "=" + DimensionValue.value, DimensionValue.label,
                         DimensionValue.label_es).join(Dimension)),
        _stories(session),
        _pairs(session, "program", Program.code, {
            "name": (Program.name, Program.name_es),
            "description": (Program.description, Program.description_es)}),
        _pairs(session, "measure", PerformanceMeasure.code, {
            "name": (PerformanceMeasure.name, PerformanceMeasure.name_es)}),
    ]
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["kind", "code", "field"], kind="stable").reset_index(drop=True)


def _stories(session: Session) -> pd.DataFrame:
    """The fields of the latest turn-the-curve record of each published indicator."""
    latest = (sa.select(TurnTheCurveRecord.indicator_id,
                        sa.func.max(TurnTheCurveRecord.version).label("version"))
              .group_by(TurnTheCurveRecord.indicator_id).subquery())
    columns = [c for f in STORY_FIELDS for c in (getattr(TurnTheCurveRecord, f),
                                                 getattr(TurnTheCurveRecord, f"{f}_es"))]
    query = (sa.select(Indicator.code, *columns)
             .join(TurnTheCurveRecord, TurnTheCurveRecord.indicator_id == Indicator.id)
             .join(latest, (latest.c.indicator_id == TurnTheCurveRecord.indicator_id)
                   & (latest.c.version == TurnTheCurveRecord.version))
             .where(Indicator.published.is_(True)))
    fields = {f: (getattr(TurnTheCurveRecord, f), getattr(TurnTheCurveRecord, f"{f}_es"))
              for f in STORY_FIELDS}
    return _pairs(session, "story", Indicator.code, fields, query)
