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

from rba.models import PerformanceMeasure
from rba.store.published_views import (
    dimension_values,
    dimensions,
    indicators,
    programs,
    result_teams,
    results,
    stories,
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
    dimension, story, program, measure), code, field, english, spanish (None: blank).

    Read through the published view (rba.store.published_views), so what is checked is
    exactly what may be published; performance measures, which it leaves out, from the
    store."""
    r, t, i, d, v, p = (results.c, result_teams.c, indicators.c, dimensions.c,
                        dimension_values.c, programs.c)
    measure = PerformanceMeasure
    parts = [
        _pairs(session, "result", r.code, {"name": (r.name, r.name_es),
                                           "description": (r.description, r.description_es)}),
        _pairs(session, "team", t.slug, {"name": (t.name, t.name_es)}),
        _pairs(session, "indicator", i.code, {
            "name": (i.name, i.name_es),
            "definition": (i.lay_definition, i.lay_definition_es),
            "technical_definition": (i.technical_definition, i.technical_definition_es),
            "source": (i.source, i.source_es)}),
        _pairs(session, "dimension", d.name, {"label": (d.label, d.label_es)}),
        _pairs(session, "dimension", d.name, {"label": (v.label, v.label_es)},
               sa.select(d.name + "=" + v.value, v.label, v.label_es)
               .join_from(dimension_values, dimensions, v.dimension_id == d.id)),
        _stories(session),
        _pairs(session, "program", p.code, {"name": (p.name, p.name_es),
                                            "description": (p.description,
                                                            p.description_es)}),
        _pairs(session, "measure", measure.code, {"name": (measure.name, measure.name_es)}),
    ]
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["kind", "code", "field"], kind="stable").reset_index(drop=True)


def _stories(session: Session) -> pd.DataFrame:
    """The fields of the latest turn-the-curve record of each published indicator."""
    s, i = stories.c, indicators.c
    latest = (sa.select(s.indicator_id, sa.func.max(s.version).label("version"))
              .group_by(s.indicator_id).subquery())
    fields = {f: (s[f], s[f"{f}_es"]) for f in STORY_FIELDS}
    query = (sa.select(i.code, *[c for pair in fields.values() for c in pair])
             .join_from(stories, indicators, s.indicator_id == i.id)
             .join(latest, (latest.c.indicator_id == s.indicator_id)
                   & (latest.c.version == s.version)))
    return _pairs(session, "story", i.code, fields, query)
