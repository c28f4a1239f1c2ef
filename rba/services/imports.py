"""Imports: check a file (or rows typed into a form) against the store, list what it would
change, write it as one audited batch, and undo a batch.

The CLI (`rba import`, `rba import undo`, `rba demo`), the upload page, the entry grids and
accepted target proposals all come through here, so every way in applies the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from rba.ingest import plan_import, plan_sheets
from rba.messages import Message
from rba.plan import ImportPlan
from rba.problems import InputRejected, Problem
from rba.report import changes as report_changes
from rba.report.changes import Change, plan_changes, plan_deletions
from rba.sheets import SHEETS
from rba.store import imports
from rba.store.imports import ChangedMeanwhile, StillInUse, UndoError, plan_undo
from rba.store.locks import LockError
from rba.workbook.read import (
    MAX_FILE_BYTES,
    RawSheet,
    read_bytes,
    read_csv,
    sheet_from_records,
)

__all__ = ["MAX_FILE_BYTES", "Change", "ChangedMeanwhile", "ImportPlan", "InputRejected",
           "LockError", "Problem", "StillInUse", "UndoError", "apply", "changes",
           "count_changes", "plan_cells",
           "plan_file", "plan_folder", "plan_records", "plan_upload", "undo", "UndoPreview",
           "undo_preview"]


def plan_file(*, session: Session, path: Path, sheet: str | None = None,
              encoding: str | None = None, decimal_comma: bool = False,
              progress: Callable[[str], None] | None = None) -> ImportPlan:
    """What importing the file at ``path`` would do, with every problem found.

    Raises InputRejected when the file cannot be read at all.
    """
    return plan_import(session, path, sheet=sheet, encoding=encoding,
                       decimal_comma=decimal_comma, progress=progress)


def plan_upload(*, session: Session, data: bytes, name: str) -> ImportPlan:
    """What importing an uploaded file (its bytes and name) would do."""
    return plan_sheets(session, read_bytes(data, name), file=name)


def plan_records(*, session: Session, file: str | Message, sheet: str,
                 records: list[dict[str, object]], rows: list[int] | None = None
                 ) -> ImportPlan:
    """What importing rows typed into a form (an entry grid, a proposal) would do, checked
    as if they were one sheet of a file named ``file``."""
    return plan_sheets(session, [sheet_from_records(file, sheet, records, rows)],
                       file=str(file))


def plan_cells(*, session: Session, file: str | Message, sheet: str, cells: pd.DataFrame,
               rows: pd.Series) -> ImportPlan:
    """What importing a grid's cells (text, one column per header) would do, each row
    numbered as the grid shows it (``rows``), checked as one sheet of a file ``file``."""
    return plan_sheets(session, [RawSheet(file, sheet, cells, rows)], file=str(file))


def plan_folder(*, session: Session, folder: Path) -> ImportPlan:
    """What importing every sheet's CSV found in ``folder`` (<sheet>.csv) would do."""
    sheets = [read_csv((folder / f"{spec.name}.csv").read_bytes(), f"{spec.name}.csv",
                       spec.name)
              for spec in SHEETS if (folder / f"{spec.name}.csv").exists()]
    if not sheets:
        raise FileNotFoundError(f"no sample CSVs in {folder}")
    return plan_sheets(session, sheets, file=str(folder))


def changes(plan: ImportPlan, limit: int | None = None) -> list[Change]:
    """Every addition and change the plan would write (the first ``limit``; see
    rba.report.changes)."""
    return plan_changes(plan, limit)


def count_changes(plan: ImportPlan) -> int:
    """How many records the plan would add or change."""
    return report_changes.count_changes(plan)


def apply(*, session: Session, plan: ImportPlan, actor: str, source: str = "import",
          description: str | None = None) -> str:
    """Write a plan without problems as one audited batch; return the batch's id.

    Raises ChangedMeanwhile (the session rolled back) when another import wrote the same
    records after this plan was made.
    """
    if plan.problems:
        raise InputRejected(plan.problems)
    return imports.apply_plan(session=session, plan=plan, actor=actor, source=source,
                              description=description)


@dataclass(frozen=True)
class UndoPreview:
    """What undoing a batch would do, before anything is written: every value it would put
    back, re-add, withdraw or delete (``changes``: old is the value now, new the one
    restored), and what stops it: values changed since (``later``: sheet, owner, period,
    dimensions, field, left, now) and locked periods (``locked``: sheet, owner, period,
    locked_by). Blocked: the undo would be refused and nothing written."""

    batch: str
    changes: list[Change]
    later: pd.DataFrame
    locked: pd.DataFrame

    @property
    def blocked(self) -> bool:
        return bool(len(self.later) or len(self.locked))

    @property
    def owners(self) -> list[str]:
        """Every indicator or measure code the preview names (to name them in words)."""
        codes = [c.owner for c in self.changes if c.owner]
        return sorted({*codes, *self.later["owner"], *self.locked["owner"]})


def undo_preview(*, session: Session, batch_id: str) -> UndoPreview:
    """What `undo` would restore and what stops it; writes nothing. Raises UndoError when
    the batch is unknown or cannot be undone at all. The CLI and the batch page show this
    before asking to confirm."""
    undo = plan_undo(session=session, batch_id=batch_id)
    return UndoPreview(batch_id, plan_changes(undo.plan) + plan_deletions(undo.plan),
                       undo.later, undo.locked)


def undo(*, session: Session, batch_id: str, actor: str, source: str = "cli") -> str:
    """Restore every value batch ``batch_id`` changed, as one new audited batch; return its
    id. Raises UndoError, StillInUse or LockError (nothing written) when it cannot."""
    return imports.undo_batch(session=session, batch_id=batch_id, actor=actor, source=source)
