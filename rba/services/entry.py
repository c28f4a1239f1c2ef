"""What a coordinator enters for a period, in the entry grid: a result team's indicators by
group, or a program's performance measures, with last period's values, the current values
and their revisions (two people editing at once: a cell saved by someone else since it was
loaded is refused). Saving goes through the import (rba.services.imports)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from rba.store import entry as store
from rba.store import figures, programs
from rba.store.entry import TemplateError

__all__ = ["TemplateError", "changed_since", "current_values", "entered_periods",
           "program_grid", "programs_with_measures", "team_grid"]


def team_grid(*, session: Session, period: str | None = None, team: str | None = None
              ) -> tuple[pd.DataFrame, list[str]]:
    """The grid's rows for a period (default: each indicator's next) and a result team (or
    every team), and the names of its dimension columns; TemplateError when none."""
    return store.entry_grid(session=session, period=period, team=team)


def program_grid(*, session: Session, program: str, period: str | None = None
                 ) -> pd.DataFrame:
    """The grid's rows for a program's performance measures in a period; TemplateError
    when none."""
    return store.program_grid(session=session, program=program, period=period)


def current_values(*, session: Session, codes: Iterable[str], periods: Iterable[str],
                   owner: str = "indicator") -> pd.DataFrame:
    """Current figures of these indicators (or measures) in these periods, with revision
    and author."""
    return store.current_values(session=session, codes=codes, periods=periods, owner=owner)


def changed_since(*, session: Session, loaded: list[Mapping[str, Any]],
                  owner: str = "indicator") -> list[dict[str, Any]]:
    """The cells whose stored revision differs from the one they were loaded at."""
    return store.changed_since(session=session, loaded=loaded, owner=owner)


def programs_with_measures(*, session: Session) -> pd.DataFrame:
    """Programs that have performance measures to enter: program, name, name_es."""
    return programs.programs_with_measures(session=session)


def entered_periods(*, session: Session) -> list[str]:
    """The periods that have figures, latest first (suggestions for the period box)."""
    return figures.entered_periods(session=session)
