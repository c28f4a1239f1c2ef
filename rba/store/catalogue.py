"""The catalogue: results, result teams, indicators and the labels of their groups.

Reads only; every function takes the session as a keyword-only argument and returns a
DataFrame (or a dict), with enum members as their plain values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.dimensions import TOTAL_KEY, split_dimension_names
from rba.models import (
    Dimension,
    DimensionValue,
    Indicator,
    IndicatorKind,
    Observation,
    Result,
    ResultTeam,
)
from rba.store.figures import latest_totals, observation_frame
from rba.store.frames import plain, rows_frame

INDICATOR_TABLE_COLUMNS = ["indicator", "result", "name", "name_es", "kind", "unit", "per",
                           "polarity", "frequency", "dimensions", "min_n", "published",
                           "result_order", "display_order"]


def measured_indicators(*columns: Any, team: str | None = None) -> sa.Select[Any]:
    """A select of ``columns`` over the indicators figures are entered and targets set for
    (all but the data development agenda), of one result team (by slug) or of all, in
    display order."""
    query = sa.select(*columns).select_from(Indicator).join(
        Result, Indicator.result_id == Result.id).outerjoin(
        ResultTeam, Result.team_id == ResultTeam.id).where(
        Indicator.kind != IndicatorKind.development).order_by(
        Result.display_order, Indicator.display_order, Indicator.code)
    return query if team is None else query.where(ResultTeam.slug == team)


def indicator_table(*, session: Session, published_only: bool = True) -> pd.DataFrame:
    """Every indicator with its names in both languages, result, kind, unit and min_n."""
    query = (sa.select(Indicator.code, Result.code, Indicator.name, Indicator.name_es,
                       Indicator.kind, Indicator.unit, Indicator.per, Indicator.polarity,
                       Indicator.frequency, Indicator.dimensions, Indicator.min_n,
                       Indicator.published, Result.display_order, Indicator.display_order)
             .join(Result).order_by(Result.display_order, Result.code,
                                    Indicator.display_order, Indicator.code))
    if published_only:
        query = query.where(Indicator.published.is_(True))
    frame = rows_frame(session.execute(query), INDICATOR_TABLE_COLUMNS)
    frame["per"] = frame["per"].astype(float)
    frame["min_n"] = frame["min_n"].astype("Int64")
    return frame


def result_table(*, session: Session) -> pd.DataFrame:
    """Every result in display order: result, name, name_es, team (slug), display_order."""
    return rows_frame(session.execute(
        sa.select(Result.code, Result.name, Result.name_es, ResultTeam.slug,
                  Result.display_order)
        .outerjoin(ResultTeam, Result.team_id == ResultTeam.id)
        .order_by(Result.display_order, Result.code)),
        ["result", "name", "name_es", "team", "display_order"])


def result_teams_frame(*, session: Session) -> pd.DataFrame:
    """One row per result team: team (slug), name, name_es, facilitator, members."""
    return rows_frame(session.execute(
        sa.select(ResultTeam.slug, ResultTeam.name, ResultTeam.name_es, ResultTeam.facilitator,
                  ResultTeam.members).order_by(ResultTeam.slug)),
        ["team", "name", "name_es", "facilitator", "members"])


def results_overview(*, session: Session, published_only: bool = True,
                     latest: bool = True) -> pd.DataFrame:
    """The results in display order, one row per indicator, with each one's latest total.

    A result without indicators has one row with blank indicator columns. Columns: result,
    result_name, result_order, team, indicator, name, kind, unit, per, polarity, frequency,
    latest_period, latest_value, latest_status (the last three only with ``latest``: they
    read the indicators' observations, which a caller wanting the order alone can skip).
    """
    teams = result_teams_frame(session=session).set_index("team")["name"]
    results = result_table(session=session).rename(columns={
        "name": "result_name", "display_order": "result_order"})
    results["team"] = results["team"].map(teams)
    indicators = indicator_table(session=session, published_only=published_only).rename(
        columns={"display_order": "indicator_order"})
    # Each result's indicators in their order (indicator_table's), or one blank row.
    frame = results[["result", "result_name", "result_order", "team"]].merge(
        indicators[["result", "indicator", "name", "kind", "unit", "per", "polarity",
                    "frequency", "indicator_order"]], on="result", how="left")
    if not latest:
        return frame
    codes = [c for c in frame["indicator"].dropna().unique()]
    totals = latest_totals(observation_frame(session=session, codes=codes))
    return frame.merge(totals, on="indicator", how="left")


def indicators_with_groups(*, session: Session) -> list[str]:
    """Codes of the indicators with at least one observation of a group (not only totals)."""
    grouped = sa.exists().where(Observation.indicator_id == Indicator.id,
                                Observation.dimensions != TOTAL_KEY)
    return list(session.scalars(sa.select(Indicator.code).where(grouped)
                                .order_by(Indicator.code)))


def dimension_labels(*, session: Session) -> pd.DataFrame:
    """Labels of every dimension (value None) and dimension value, in display order.

    Columns dimension, value, label, label_es, order.
    """
    names = session.execute(sa.select(Dimension.name, Dimension.label, Dimension.label_es))
    values = session.execute(
        sa.select(Dimension.name, DimensionValue.value, DimensionValue.label,
                  DimensionValue.label_es, DimensionValue.display_order).join(Dimension))
    return labels_frame(names, values)


def labels_frame(names: Iterable[Any], values: Iterable[Any]) -> pd.DataFrame:
    """`dimension_labels`' frame from rows (name, label, label_es) of dimensions and rows
    (name, value, label, label_es, display_order) of their values."""
    rows: list[tuple[Any, ...]] = [(name, None, text, text_es, -1)
                                   for name, text, text_es in names]
    rows += [tuple(row) for row in values]
    # In dimension, then display order; a dimension's own row (value None) after its values
    # of the same order, as pandas sorts missing values last.
    rows.sort(key=lambda r: (r[0], r[4], r[1] is None, r[1] or ""))
    columns = ["dimension", "value", "label", "label_es", "order"]
    frame = pd.DataFrame({c: pd.Series([r[i] for r in rows], dtype=object)
                          for i, c in enumerate(columns)})
    frame["dimension"] = frame["dimension"].astype("str")
    frame["order"] = frame["order"].astype("int64")
    frame["label"] = frame["label"].astype("str")
    return frame


INDICATOR_FIELDS = ["code", "name", "name_es", "lay_definition", "lay_definition_es",
                    "technical_definition", "technical_definition_es", "unit", "per",
                    "polarity", "frequency", "kind", "source", "source_es", "min_n"]


def indicator_record(*, session: Session, code: str, published_only: bool = True
                     ) -> dict[str, Any] | None:
    """The indicator with this code as a dict (INDICATOR_FIELDS, its declared dimensions
    as a list, and its result's code and names), or None if unknown."""
    query = sa.select(Indicator, Result).join(Result).where(Indicator.code == code)
    if published_only:
        query = query.where(Indicator.published.is_(True))
    row = session.execute(query).first()
    if row is None:
        return None
    indicator, result = row
    record = {f: plain(getattr(indicator, f)) for f in INDICATOR_FIELDS}
    record.update(dimensions=split_dimension_names(indicator.dimensions), result=result.code,
                  result_name=result.name, result_name_es=result.name_es)
    return record


def declared_dimensions(*, session: Session, code: str) -> list[str] | None:
    """The dimension names an indicator declares, in its order (None: no such indicator)."""
    found = session.execute(sa.select(Indicator.dimensions).where(Indicator.code == code)
                            ).first()
    return None if found is None else split_dimension_names(found[0])


def indicator_definitions(*, session: Session) -> pd.DataFrame:
    """Every indicator's Spanish name and lay definitions: indicator, name_es,
    lay_definition, lay_definition_es."""
    return pd.DataFrame(session.execute(sa.select(
        Indicator.code, Indicator.name_es, Indicator.lay_definition,
        Indicator.lay_definition_es)).all(),
        columns=["indicator", "name_es", "lay_definition", "lay_definition_es"])


def result_descriptions(*, session: Session) -> pd.DataFrame:
    """Every result in display order with its names, descriptions and team: result, name,
    name_es, description, description_es, team_slug, team_name, team_name_es."""
    return pd.DataFrame(session.execute(
        sa.select(Result.code, Result.name, Result.name_es, Result.description,
                  Result.description_es, ResultTeam.slug, ResultTeam.name,
                  ResultTeam.name_es)
        .outerjoin(ResultTeam, Result.team_id == ResultTeam.id)
        .order_by(Result.display_order, Result.code)).all(),
        columns=["result", "name", "name_es", "description", "description_es",
                 "team_slug", "team_name", "team_name_es"])
