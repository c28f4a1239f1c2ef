"""Turn-the-curve records through the published view: published versions of published
indicators' records, credited to their result team, never to who saved them.

rba.store.stories' functions of the same names, arguments and frames.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from rba.store.published_views import indicators, result_teams, results, stories
from rba.store.stories import TEXT_FIELDS


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


def latest_stories(*, session: Session) -> pd.DataFrame:
    """The latest published record of every published indicator that has one: indicator,
    TEXT_FIELDS, version, saved_at (rba.store.stories.latest_stories' frame)."""
    s, i = stories.c, indicators.c
    latest = (sa.select(s.indicator_id, sa.func.max(s.version).label("version"))
              .group_by(s.indicator_id).subquery())
    query = (sa.select(i.code, *(s[f] for f in TEXT_FIELDS), s.version, s.saved_at)
             .join_from(stories, indicators, s.indicator_id == i.id)
             .join(latest, (latest.c.indicator_id == s.indicator_id)
                   & (latest.c.version == s.version))
             .order_by(i.code))
    return pd.DataFrame(session.execute(query).all(),
                        columns=["indicator", *TEXT_FIELDS, "version", "saved_at"])
