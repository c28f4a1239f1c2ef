"""The catalogue through the published view: published indicators, results, result teams
(names only) and the labels of groups.

rba.store.catalogue's functions of the same names, arguments and frames; ``published_only``
is accepted and ignored (nothing else is in the view).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.dimensions import TOTAL_KEY, split_dimension_names
from rba.store.catalogue import INDICATOR_FIELDS, INDICATOR_TABLE_COLUMNS, labels_frame
from rba.store.figures import latest_totals
from rba.store.frames import rows_frame
from rba.store.published.figures import observation_frame
from rba.store.published_views import (
    dimension_values,
    dimensions,
    indicators,
    observations,
    result_teams,
    results,
)


def indicator_table(*, session: Session, published_only: bool = True) -> pd.DataFrame:
    """Every published indicator with its names in both languages, result, kind, unit and
    min_n (rba.store.catalogue.indicator_table's columns; ``published_only`` is ignored:
    nothing else is in the view)."""
    i, r = indicators.c, results.c
    frame = rows_frame(session.execute(
        sa.select(i.code, r.code, i.name, i.name_es, i.kind, i.unit, i.per, i.polarity,
                  i.frequency, i.dimensions, i.min_n, sa.true(), r.display_order,
                  i.display_order)
        .join_from(indicators, results, i.result_id == r.id)
        .order_by(r.display_order, r.code, i.display_order, i.code)),
        INDICATOR_TABLE_COLUMNS)
    frame["published"] = True
    frame["per"] = frame["per"].astype(float)
    frame["min_n"] = frame["min_n"].astype("Int64")
    return frame


def indicator_record(*, session: Session, code: str, published_only: bool = True
                     ) -> dict[str, Any] | None:
    """The published indicator with this code as a dict (INDICATOR_FIELDS, its dimensions
    as a list, its result's code and names), or None if unknown or unpublished."""
    row = session.execute(sa.select(indicators, results.c.code.label("result_code"),
                                    results.c.name.label("result_name"),
                                    results.c.name_es.label("result_name_es"))
                          .join_from(indicators, results, indicators.c.result_id
                                     == results.c.id)
                          .where(indicators.c.code == code)).mappings().first()
    if row is None:
        return None
    record = {f: row[f] for f in INDICATOR_FIELDS}
    record.update(dimensions=split_dimension_names(row["dimensions"]),
                  result=row["result_code"], result_name=row["result_name"],
                  result_name_es=row["result_name_es"])
    return record


def declared_dimensions(*, session: Session, code: str) -> list[str] | None:
    """The dimension names a published indicator declares (None: unknown or unpublished)."""
    found = session.execute(sa.select(indicators.c.dimensions)
                            .where(indicators.c.code == code)).first()
    return None if found is None else split_dimension_names(found[0])


def result_table(*, session: Session) -> pd.DataFrame:
    """Every result in display order: result, name, name_es, team (slug), display_order."""
    r, t = results.c, result_teams.c
    return rows_frame(session.execute(
        sa.select(r.code, r.name, r.name_es, t.slug, r.display_order)
        .outerjoin_from(results, result_teams, r.team_id == t.id)
        .order_by(r.display_order, r.code)),
        ["result", "name", "name_es", "team", "display_order"])


def result_teams_frame(*, session: Session) -> pd.DataFrame:
    """One row per result team: team (slug), name, name_es; facilitator and members blank
    (people's names are not published)."""
    frame = rows_frame(session.execute(
        sa.select(result_teams.c.slug, result_teams.c.name, result_teams.c.name_es)
        .order_by(result_teams.c.slug)), ["team", "name", "name_es"])
    return frame.assign(facilitator=None, members=None)


def results_overview(*, session: Session, published_only: bool = True,
                     latest: bool = True) -> pd.DataFrame:
    """rba.store.catalogue.results_overview over the published view (latest: final)."""
    teams = result_teams_frame(session=session).set_index("team")["name"]
    frame = result_table(session=session).rename(columns={
        "name": "result_name", "display_order": "result_order"})
    frame["team"] = frame["team"].map(teams)
    table = indicator_table(session=session).rename(columns={
        "display_order": "indicator_order"})
    frame = frame[["result", "result_name", "result_order", "team"]].merge(
        table[["result", "indicator", "name", "kind", "unit", "per", "polarity",
               "frequency", "indicator_order"]], on="result", how="left")
    if not latest:
        return frame
    return frame.merge(latest_totals(observation_frame(session=session)), on="indicator",
                       how="left")


def indicator_definitions(*, session: Session) -> pd.DataFrame:
    """Every published indicator's Spanish name and lay definitions: indicator, name_es,
    lay_definition, lay_definition_es."""
    i = indicators.c
    return pd.DataFrame(session.execute(sa.select(
        i.code, i.name_es, i.lay_definition, i.lay_definition_es)).all(),
        columns=["indicator", "name_es", "lay_definition", "lay_definition_es"])


def result_descriptions(*, session: Session) -> pd.DataFrame:
    """rba.store.catalogue.result_descriptions over the published view."""
    r, t = results.c, result_teams.c
    return pd.DataFrame(session.execute(
        sa.select(r.code, r.name, r.name_es, r.description, r.description_es, t.slug,
                  t.name, t.name_es)
        .outerjoin_from(results, result_teams, r.team_id == t.id)
        .order_by(r.display_order, r.code)).all(),
        columns=["result", "name", "name_es", "description", "description_es",
                 "team_slug", "team_name", "team_name_es"])


def dimension_labels(*, session: Session) -> pd.DataFrame:
    """rba.store.catalogue.dimension_labels over the published view."""
    d, v = dimensions.c, dimension_values.c
    return labels_frame(session.execute(sa.select(d.name, d.label, d.label_es)),
                        session.execute(sa.select(d.name, v.value, v.label, v.label_es,
                                                  v.display_order)
                                        .join_from(dimension_values, dimensions,
                                                   v.dimension_id == d.id)))


def indicators_with_groups(*, session: Session) -> list[str]:
    """Codes of the published indicators with a final observation of a group."""
    grouped = sa.exists().where(observations.c.indicator_id == indicators.c.id,
                                observations.c.dimensions != TOTAL_KEY)
    return list(session.scalars(sa.select(indicators.c.code).where(grouped)
                                .order_by(indicators.c.code)))


def indicator_fields(*, session: Session) -> pd.DataFrame:
    """Published indicators' INDICATOR_FIELDS, result and dimensions, in display order."""
    i, r = indicators.c, results.c
    return rows_frame(session.execute(sa.select(
        *[i[f] for f in INDICATOR_FIELDS], r.code, i.dimensions).join_from(
        indicators, results, i.result_id == r.id).order_by(
        r.display_order, r.code, i.display_order, i.code)), [*INDICATOR_FIELDS, "result",
                                                             "dimensions"])
