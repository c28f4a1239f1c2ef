"""What an import would do: for each sheet, the records added, changed and left unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from rba.problems import Problem

Record = dict[str, Any]


@dataclass
class SheetPlan:
    """The effect of one sheet: records added, changed (old, new) and the unchanged count.

    Figure sheets (observations, targets) carry DataFrames instead of record lists, so a
    100,000-row import is compared and written column-wise.
    """

    sheet: str
    added: list[Record] = field(default_factory=list)
    changed: list[tuple[Record, Record]] = field(default_factory=list)
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    added_frame: pd.DataFrame | None = None
    changed_frame: pd.DataFrame | None = None
    #: Figures to withdraw (only an undo does this; an import never deletes).
    deleted_frame: pd.DataFrame | None = None
    #: Descriptive records to delete (only an undo does this).
    deleted: list[Record] = field(default_factory=list)

    @property
    def n_added(self) -> int:
        return len(self.added) if self.added_frame is None else len(self.added_frame)

    @property
    def n_changed(self) -> int:
        return len(self.changed) if self.changed_frame is None else len(self.changed_frame)


@dataclass
class ImportPlan:
    """Every sheet's plan and every problem found; nothing is written while problems exist."""

    file: str
    sheets: dict[str, SheetPlan] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def sheet(self, name: str) -> SheetPlan:
        return self.sheets.setdefault(name, SheetPlan(name))

    @property
    def has_changes(self) -> bool:
        return any(p.n_added or p.n_changed for p in self.sheets.values())

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts per sheet: added, changed, unchanged, rejected, skipped."""
        return {
            name: {"added": p.n_added, "changed": p.n_changed, "unchanged": p.unchanged,
                   "rejected": p.rejected, "skipped": p.skipped}
            for name, p in self.sheets.items()
        }
