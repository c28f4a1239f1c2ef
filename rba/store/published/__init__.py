"""The published view: the only way the public site and open data read the store.

Every public read goes through this package, which reads only the SQL views of migrations
0010-0014 (``published_*``, rba.store.published_views): indicators marked published; of
them only **final** observations (with when they were entered), their targets, frozen
baselines and published turn-the-curve records; results, result teams (names only),
dimension labels, programs, partners, and programs' performance measures with their final
observations and targets. No view holds a user, an e-mail, a note or who entered, agreed or
saved anything, so nothing read here can show one. On PostgreSQL the role
`rba db public-role NAME` makes may read these views and nothing else.

The functions have the names, arguments and frames of their staff counterparts in
rba.store.catalogue, figures, programs, stories and audit, and live in modules of the same
names here; this package holds them all, so a service reads either the same way
(`reads`). Small-group suppression is not done here: it is applied on top, by
rba.report.suppression, as for every published figure.

A session of the public site carries ``info["published"] = True`` (`PUBLISHED_INFO`, given
to rba.store.db.connect by the public server): services seeing it read from here.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from sqlalchemy.orm import Session

from rba.store.published.audit import data_changed_at, data_version
from rba.store.published.catalogue import (
    declared_dimensions,
    dimension_labels,
    indicator_definitions,
    indicator_fields,
    indicator_record,
    indicator_table,
    indicators_with_groups,
    result_descriptions,
    result_table,
    result_teams_frame,
    results_overview,
)
from rba.store.published.figures import (
    curve_inputs,
    figure_status,
    figures_entered_at,
    frozen_baselines,
    observation_frame,
    owner_frame,
    target_frame,
)
from rba.store.published.programs import (
    measures_frame,
    program_indicators_frame,
    program_partners_frame,
    program_results_frame,
    programs_frame,
)
from rba.store.published.stories import (
    indicator_team,
    latest_stories,
    latest_story,
    story_versions,
)
from rba.store.published_views import VIEW_NAMES  # what public-role grants

__all__ = [
    "PUBLISHED_INFO", "VIEW_NAMES", "curve_inputs", "data_changed_at", "data_version",
    "declared_dimensions", "dimension_labels", "figure_status", "figures_entered_at",
    "frozen_baselines", "indicator_definitions", "indicator_fields", "indicator_record",
    "indicator_table", "indicator_team", "indicators_with_groups", "is_published",
    "latest_stories", "latest_story", "measures_frame", "observation_frame", "owner_frame",
    "program_indicators_frame", "program_partners_frame", "program_results_frame",
    "programs_frame", "reads", "result_descriptions", "result_table", "result_teams_frame",
    "results_overview", "story_versions", "target_frame",
]

#: What a session of the public site carries in its ``info``.
PUBLISHED_INFO = {"published": True}


def is_published(session: Session) -> bool:
    """Whether this session belongs to the public site (reads only the published view)."""
    return bool(session.info.get("published"))


def reads(session: Session, staff: ModuleType, published_view: bool = False) -> Any:
    """Where a service reads: this package for a session of the public site (or, with
    ``published_view``, for public output on any site), else ``staff`` (the store module
    a staff read uses; this package has the same functions)."""
    public = published_view or is_published(session)
    return sys.modules[__name__] if public else staff
