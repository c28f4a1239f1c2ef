"""The published view: the only way the public site and open data read the store.

Every public read goes through this module, which reads only the SQL views of migration
0010 (``published_*``): indicators marked published; of them only **final** observations,
their targets, frozen baselines and turn-the-curve records; results, result teams (names
only), dimension labels, programs and partners. No view holds a user, an e-mail, a note or
who entered, agreed or saved anything, so nothing read here can show one. On PostgreSQL the
role `rba db public-role NAME` makes may read these views and nothing else.

The functions have the names, arguments and frames of their staff counterparts in
rba.store.catalogue, figures, programs, stories and audit, so a service reads either the
same way (see `is_published`). Small-group suppression is not done here: it is applied on
top, by rba.report.suppression, as for every published figure.

A session of the public site carries ``info["published"] = True`` (`PUBLISHED_INFO`, given
to rba.store.db.connect by the public server): services seeing it read from here.
"""

from __future__ import annotations

import datetime as dt
import sys
from types import ModuleType
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.calc import CurveInputs
from rba.dimensions import TOTAL_KEY, split_dimension_names
from rba.periods import PERIODS_PER_YEAR
from rba.store.catalogue import INDICATOR_FIELDS, INDICATOR_TABLE_COLUMNS, labels_frame
from rba.store.figures import (
    FROZEN_FIELDS,
    INDICATOR_COLUMNS,
    OBSERVATION_COLUMNS,
    OBSERVATION_FIELDS,
    SERIES_COLUMNS,
    TARGET_COLUMNS,
    frozen_frame,
    latest_totals,
    observations_frame,
)
from rba.store.frames import rows_frame, with_ordinals
from rba.store.programs import PROGRAM_COLUMNS
from rba.store.published_views import VIEW_NAMES as VIEW_NAMES  # what public-role grants
from rba.store.published_views import (
    baseline_points,
    baselines,
    data_versions,
    dimension_values,
    dimensions,
    indicators,
    observations,
    partners,
    program_indicators,
    program_partners,
    program_results,
    programs,
    result_teams,
    results,
    stories,
    targets,
)
from rba.store.stories import TEXT_FIELDS

#: What a session of the public site carries in its ``info``.
PUBLISHED_INFO = {"published": True}

def is_published(session: Session) -> bool:
    """Whether this session belongs to the public site (reads only the published view)."""
    return bool(session.info.get("published"))


def _wanted(codes: list[str] | None) -> sa.ColumnElement[bool]:
    return indicators.c.code.in_(codes) if codes is not None else sa.true()

# --- The catalogue ------------------------------------------------------------------------

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


# --- Figures ------------------------------------------------------------------------------

def owner_frame(*, session: Session, codes: list[str] | None = None) -> pd.DataFrame:
    """One row per published indicator in calc's terms: INDICATOR_COLUMNS."""
    i = indicators.c
    frame = rows_frame(session.execute(
        sa.select(i.code, i.unit, i.per, i.polarity, i.frequency, i.kind, results.c.code)
        .join_from(indicators, results, i.result_id == results.c.id)
        .where(_wanted(codes)).order_by(i.code)),
        ["indicator", "unit", "per", "polarity", "frequency", "kind", "result"])
    frame["per"] = frame["per"].astype(float)
    frame["periods_per_year"] = frame["frequency"].map(PERIODS_PER_YEAR).astype(float)
    return frame[INDICATOR_COLUMNS]


def observation_frame(*, session: Session, codes: list[str] | None = None) -> pd.DataFrame:
    """Final observations of published indicators (default: all) with series ids, ordinals
    and status (rba.store.figures.observation_frame's columns)."""
    o, i = observations.c, indicators.c
    frame = rows_frame(session.connection().execute(
        sa.select(i.code, i.frequency, o.dimensions, o.period, o.value, o.numerator,
                  o.denominator, o.status)
        .join_from(observations, indicators, o.indicator_id == i.id).where(_wanted(codes))),
        OBSERVATION_FIELDS)
    return observations_frame(frame)


def target_frame(*, session: Session, codes: list[str] | None = None) -> pd.DataFrame:
    """Targets of published indicators: TARGET_COLUMNS + indicator, dimensions."""
    t, i = targets.c, indicators.c
    frame = rows_frame(session.execute(
        sa.select(i.code, i.frequency, t.dimensions, t.period, t.value)
        .join_from(targets, indicators, t.indicator_id == i.id).where(_wanted(codes))),
        ["indicator", "frequency", "dimensions", "period", "value"])
    frame = with_ordinals(frame)
    frame["value"] = frame["value"].astype(float)
    return frame.sort_values(["series", "ordinal"], kind="stable").reset_index(drop=True)


def frozen_baselines(*, session: Session, codes: list[str] | None = None) -> pd.DataFrame:
    """Points of the latest agreed baseline of each series of published indicators."""
    b, p, i = baselines.c, baseline_points.c, indicators.c
    return frozen_frame(rows_frame(session.execute(
        sa.select(i.code, i.frequency, b.dimensions, b.id, b.agreed_at, p.period,
                  p.forecast, p.lower, p.upper, p.lower_80, p.upper_80, b.method, b.level,
                  b.history_through, b.baseline_value)
        .join_from(baselines, indicators, b.indicator_id == i.id)
        .join(baseline_points, p.baseline_id == b.id).where(_wanted(codes))),
        FROZEN_FIELDS))


def curve_inputs(*, session: Session, codes: list[str] | None = None) -> CurveInputs:
    """Final observations, indicators, targets and frozen baselines of published indicators
    (default: all) for calc, as one unit: targets and baselines only of series that have
    final observations (so no baseline outlives the figures it was agreed on)."""
    meta = owner_frame(session=session, codes=codes)
    obs = observation_frame(session=session, codes=codes)
    shown = obs["series"].unique()
    goals = target_frame(session=session, codes=codes)
    goals = goals[goals["series"].isin(shown).to_numpy()].reset_index(drop=True)
    frozen = frozen_baselines(session=session, codes=codes)
    frozen = frozen[frozen["series"].isin(shown).to_numpy()].reset_index(drop=True)
    series = (obs[SERIES_COLUMNS].drop_duplicates("series").sort_values("series")
              .reset_index(drop=True))
    return CurveInputs(obs[OBSERVATION_COLUMNS], meta, goals[TARGET_COLUMNS], frozen, series)


# --- Stories, programs and the data version -----------------------------------------------

def story_versions(*, session: Session, code: str) -> list[dict[str, Any]]:
    """Every turn-the-curve record of a published indicator, newest first: its fields,
    version, saved_at and the result team that owns it (team, team_es: its names), never
    who saved it."""
    s, i, r, t = stories.c, indicators.c, results.c, result_teams.c
    rows = session.execute(
        sa.select(stories, t.name.label("team"), t.name_es.label("team_es"))
        .join_from(stories, indicators, s.indicator_id == i.id)
        .join(results, i.result_id == r.id).outerjoin(result_teams, r.team_id == t.id)
        .where(i.code == code).order_by(s.version.desc())).mappings()
    return [{"indicator": code, **{f: row[f] for f in TEXT_FIELDS}, "version": row["version"],
             "saved_at": row["saved_at"], "team": row["team"], "team_es": row["team_es"]}
            for row in rows]


def latest_story(*, session: Session, code: str) -> dict[str, Any] | None:
    """The latest record of `story_versions` (None: none written, or not published)."""
    versions = story_versions(session=session, code=code)
    return versions[0] if versions else None


def indicator_team(*, session: Session, code: str) -> str | None:
    """The slug of the result team owning a published indicator's result (None if none)."""
    return session.scalar(
        sa.select(result_teams.c.slug).select_from(indicators)
        .join(results, indicators.c.result_id == results.c.id)
        .join(result_teams, results.c.team_id == result_teams.c.id)
        .where(indicators.c.code == code))


def reads(session: Session, staff: ModuleType, published_view: bool = False) -> Any:
    """Where a service reads: this module for a session of the public site (or, with
    ``published_view``, for public output on any site), else ``staff`` (the store module
    a staff read uses; this module has the same functions)."""
    public = published_view or is_published(session)
    return sys.modules[__name__] if public else staff


def programs_frame(*, session: Session) -> pd.DataFrame:
    """One row per program: PROGRAM_COLUMNS (rba.store.programs.programs_frame's)."""
    p = programs.c
    frame = rows_frame(session.execute(
        sa.select(p.code, p.name, p.name_es, p.description, p.description_es,
                  partners.c.name, p.population, p.annual_funding)
        .outerjoin_from(programs, partners, p.lead_partner_id == partners.c.id)
        .order_by(p.code)), PROGRAM_COLUMNS)
    frame["annual_funding"] = frame["annual_funding"].astype(float)
    return frame


def program_partners_frame(*, session: Session) -> pd.DataFrame:
    """Who works on each program: program, partner, lead (True for its lead partner)."""
    p, pp, pa = programs.c, program_partners.c, partners.c
    listed = rows_frame(session.execute(
        sa.select(p.code, pa.name).join_from(programs, program_partners, pp.program_id == p.id)
        .join(partners, pp.partner_id == pa.id)), ["program", "partner"])
    leads = rows_frame(session.execute(
        sa.select(p.code, pa.name).join_from(programs, partners, p.lead_partner_id == pa.id)),
        ["program", "partner"])
    frame = pd.concat([leads.assign(lead=True), listed.assign(lead=False)], ignore_index=True)
    frame = frame.drop_duplicates(["program", "partner"], keep="first")
    return frame.sort_values(["program", "lead", "partner"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)


def program_results_frame(*, session: Session) -> pd.DataFrame:
    """The results each program says it contributes to: program, result."""
    p, pr = programs.c, program_results.c
    return rows_frame(session.execute(
        sa.select(p.code, results.c.code)
        .join_from(programs, program_results, pr.program_id == p.id)
        .join(results, pr.result_id == results.c.id)
        .order_by(p.code, results.c.code)), ["program", "result"])


def program_indicators_frame(*, session: Session) -> pd.DataFrame:
    """The published indicators each program works on: program, indicator, result."""
    p, pi, i = programs.c, program_indicators.c, indicators.c
    return rows_frame(session.execute(
        sa.select(p.code, i.code, results.c.code)
        .join_from(programs, program_indicators, pi.program_id == p.id)
        .join(indicators, pi.indicator_id == i.id)
        .join(results, i.result_id == results.c.id)
        .order_by(p.code, i.code)), ["program", "indicator", "result"])


def data_version(*, session: Session) -> int:
    """The store's data version (rba.store.audit.data_version), read through the view."""
    return int(session.scalar(sa.select(data_versions.c.version)) or 0)


def data_changed_at(*, session: Session) -> dt.datetime | None:
    """When the store's data last changed (the data version's time, in UTC; None: never)."""
    at = session.scalar(sa.select(data_versions.c.changed_at))
    at = dt.datetime.fromisoformat(at) if isinstance(at, str) else at  # SQLite: text
    return None if at is None else (at.replace(tzinfo=dt.UTC) if at.tzinfo is None
                                    else at.astimezone(dt.UTC))


def indicator_fields(*, session: Session) -> pd.DataFrame:
    """Published indicators' INDICATOR_FIELDS, result and dimensions, in display order."""
    i, r = indicators.c, results.c
    return rows_frame(session.execute(sa.select(
        *[i[f] for f in INDICATOR_FIELDS], r.code, i.dimensions).join_from(
        indicators, results, i.result_id == r.id).order_by(
        r.display_order, r.code, i.display_order, i.code)), [*INDICATOR_FIELDS, "result",
                                                             "dimensions"])
