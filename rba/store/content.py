"""The store's content in workbook terms: one list of records per sheet of rba.sheets.

Export writes these records; import compares a file's records with them to say what would
be added, changed or left unchanged. References are natural keys (codes, slugs, names), so
a record means the same thing in any database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from rba.dimensions import parse_dimension_key
from rba.models import (
    Baseline,
    BaselinePoint,
    Dimension,
    Indicator,
    Observation,
    Partner,
    PerformanceMeasure,
    Program,
    Result,
    ResultTeam,
    Target,
    TurnTheCurveRecord,
)
from rba.sheets import SHEETS_BY_NAME
from rba.store.baselines import baseline_points

Record = dict[str, Any]


def teams(*, session: Session) -> list[Record]:
    rows = session.scalars(sa.select(ResultTeam).order_by(ResultTeam.slug))
    return [
        {"slug": t.slug, "name": t.name, "name_es": t.name_es,
         "facilitator": t.facilitator, "members": t.members}
        for t in rows
    ]


def results(*, session: Session) -> list[Record]:
    query = sa.select(Result, ResultTeam.slug).outerjoin(ResultTeam).order_by(
        Result.display_order, Result.code)
    return [
        {"code": r.code, "name": r.name, "name_es": r.name_es, "description": r.description,
         "description_es": r.description_es, "team": slug, "order": r.display_order}
        for r, slug in session.execute(query)
    ]


def dimensions(*, session: Session) -> list[Record]:
    records: list[Record] = []
    for d in session.scalars(sa.select(Dimension).order_by(Dimension.name)):
        records.append({"dimension": d.name, "value": None, "label": d.label,
                        "label_es": d.label_es, "order": None})
        records += [
            {"dimension": d.name, "value": v.value, "label": v.label, "label_es": v.label_es,
             "order": v.display_order}
            for v in d.values
        ]
    return records


def indicators(*, session: Session) -> list[Record]:
    query = sa.select(Indicator, Result.code).join(Result).order_by(
        Result.display_order, Indicator.display_order, Indicator.code)
    return [
        {"code": i.code, "result": code, "name": i.name, "name_es": i.name_es,
         "unit": i.unit.value, "per": i.per, "polarity": i.polarity.value,
         "frequency": i.frequency.value, "kind": i.kind.value, "dimensions": i.dimensions or None,
         "source": i.source, "source_es": i.source_es, "definition": i.lay_definition,
         "definition_es": i.lay_definition_es, "technical_definition": i.technical_definition,
         "technical_definition_es": i.technical_definition_es, "published": i.published,
         "min_n": i.min_n, "order": i.display_order}
        for i, code in session.execute(query)
    ]


def partners(*, session: Session) -> list[Record]:
    return [
        {"name": p.name, "type": p.type.value, "website": p.website}
        for p in session.scalars(sa.select(Partner).order_by(Partner.name))
    ]


def programs(*, session: Session) -> list[Record]:
    return [
        {"code": p.code, "name": p.name, "name_es": p.name_es, "description": p.description,
         "description_es": p.description_es,
         "lead_partner": p.lead_partner.name if p.lead_partner else None,
         "partners": join_list((x.name for x in p.partners), "; "),
         "results": join_list(x.code for x in p.results),
         "indicators": join_list(x.code for x in p.indicators),
         "population": p.population, "annual_funding": p.annual_funding}
        for p in session.scalars(sa.select(Program).order_by(Program.code))
    ]


def measures(*, session: Session) -> list[Record]:
    query = sa.select(PerformanceMeasure, Program.code).join(Program).order_by(
        Program.code, PerformanceMeasure.display_order, PerformanceMeasure.code)
    return [
        {"code": m.code, "program": code, "name": m.name, "name_es": m.name_es,
         "kind": m.kind.value, "unit": m.unit.value, "per": m.per,
         "polarity": m.polarity.value, "frequency": m.frequency.value,
         "order": m.display_order}
        for m, code in session.execute(query)
    ]


def stories(*, session: Session) -> list[Record]:
    query = sa.select(TurnTheCurveRecord, Indicator.code).join(Indicator).order_by(
        Indicator.code, TurnTheCurveRecord.version)
    fields = ["story_behind_the_curve", "partners", "what_works", "action_plan"]
    return [
        {"indicator": code,
         **{f: getattr(r, f) for name in fields for f in (name, name + "_es")},
         "saved_by": r.saved_by, "saved_at": r.saved_at.date().isoformat(),
         "version": r.version}
        for r, code in session.execute(query)
    ]


def join_list(items: Iterable[str], separator: str = ", ") -> str | None:
    """A list cell: unique items sorted and joined; None when empty."""
    values = sorted({i for i in items if i})
    return separator.join(values) if values else None


def figures(
    *, session: Session, sheet: str, owners: Iterable[str] | None = None
) -> pd.DataFrame:
    """Observations or targets of indicators or measures, one row each, as a DataFrame.

    Columns: owner (the code), period, dimensions (canonical key), the figure's fields and
    ``id``. ``owners`` limits the rows to those codes.
    """
    model = Target if sheet.endswith("targets") else Observation
    is_measure = sheet.startswith("measure")
    owner_model: Any = aliased(PerformanceMeasure if is_measure else Indicator)
    owner_fk = model.measure_id if is_measure else model.indicator_id
    fields = ["value", "rationale"] if model is Target else [
        "value", "numerator", "denominator", "status", "note", "revision", "entered_by"]
    query = sa.select(
        model.id, owner_model.code.label("owner"), model.period, model.dimensions,
        *[getattr(model, f) for f in fields],
    ).join(owner_model, owner_fk == owner_model.id)
    if owners is not None:
        query = query.where(owner_model.code.in_(list(owners)))
    frame = pd.DataFrame(session.execute(query).all(), columns=[
        "id", "owner", "period", "dimensions", *fields])
    if "status" in frame:
        frame["status"] = frame["status"].map(lambda s: getattr(s, "value", s))
    return frame


def figures_as_sheet(frame: pd.DataFrame, sheet: str, owner_column: str) -> pd.DataFrame:
    """A figures frame laid out as its workbook sheet: dimension keys spread into columns."""
    out = frame.drop(columns=["id", "revision", "entered_by"], errors="ignore").rename(
        columns={"owner": owner_column})
    keys = out.pop("dimensions")
    unique = {k: parse_dimension_key(k) for k in keys.unique()}
    names = sorted({name for values in unique.values() for name in values})
    for name in names:
        out[name] = keys.map(lambda k, n=name: unique[k].get(n))
    return out.sort_values([owner_column, "period", *names], na_position="first",
                           kind="stable").reset_index(drop=True)


READERS = {
    "teams": teams, "results": results, "dimensions": dimensions, "indicators": indicators,
    "partners": partners, "programs": programs, "measures": measures, "stories": stories,
}


def sheet_frame(*, session: Session, sheet: str) -> pd.DataFrame:
    """One sheet of the store's content as a DataFrame with the sheet's columns."""
    spec = SHEETS_BY_NAME[sheet]
    if sheet in READERS:
        frame = pd.DataFrame(READERS[sheet](session=session), columns=spec.column_names)
        if "published" in frame:
            frame["published"] = frame["published"].map({True: "yes", False: "no"})
        return frame
    owner = spec.key[0]
    if sheet == "baselines":
        points = baseline_points(session=session).drop(columns="baseline")
        laid_out = figures_as_sheet(points.assign(id=0), sheet, owner)
        names = [c for c in laid_out.columns if c not in spec.column_names]
        laid_out = laid_out.sort_values([owner, *names, "agreed_at", "period"],
                                        na_position="first", kind="stable")
        return laid_out[spec.column_names + names].reset_index(drop=True)
    found = figures(session=session, sheet=sheet)
    laid_out = figures_as_sheet(found, sheet, owner)
    fixed = [c for c in spec.column_names if c in laid_out.columns]
    return laid_out[fixed + [c for c in laid_out.columns if c not in fixed]]


def figure_usage(*, session: Session, sheet: str) -> dict[str, tuple[int, dict[str, int]]]:
    """For each indicator (``sheet`` "indicators") or measure ("measures") with stored figures:
    how many figures depend on its metadata (observations, targets and frozen baselines'
    points), and how many of them use each dimension name."""
    is_measure = sheet == "measures"
    owner: Any = PerformanceMeasure if is_measure else Indicator
    counts: dict[str, int] = {}
    names: dict[str, dict[str, int]] = {}
    queries = [
        sa.select(owner.code, model.dimensions, sa.func.count()).join(
            owner, (model.measure_id if is_measure else model.indicator_id) == owner.id
        ).group_by(owner.code, model.dimensions)
        for model in (Observation, Target)
    ]
    if not is_measure:
        queries.append(sa.select(Indicator.code, Baseline.dimensions, sa.func.count()).join(
            Indicator, Baseline.indicator_id == Indicator.id).join(
            BaselinePoint, BaselinePoint.baseline_id == Baseline.id).group_by(
            Indicator.code, Baseline.dimensions))
    for query in queries:
        for code, key, count in session.execute(query).all():
            counts[code] = counts.get(code, 0) + int(count)
            used = names.setdefault(code, {})
            for name in parse_dimension_key(key):
                used[name] = used.get(name, 0) + int(count)
    return {code: (count, names[code]) for code, count in counts.items()}
