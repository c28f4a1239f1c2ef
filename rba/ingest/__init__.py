"""Import: read a file, check every cell, plan what changes, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from rba.ingest.baselines import plan_baselines
from rba.ingest.figures import plan_figures, validate_figures
from rba.ingest.locks import reject_locked
from rba.ingest.metadata import Catalog, plan_sheet
from rba.ingest.outliers import flag_outliers
from rba.ingest.records import ProblemList, typed_columns
from rba.plan import ImportPlan
from rba.problems import InputRejected, Problem
from rba.sheets import SHEETS, record_key
from rba.store import content
from rba.workbook.read import RawSheet, read_file

FIGURE_SHEETS = ("observations", "targets", "measure_observations", "measure_targets")

__all__ = ["ImportPlan", "InputRejected", "Problem", "plan_import", "plan_sheets"]


def load_catalog(session: Session) -> Catalog:
    """The store's descriptive records by sheet and natural key (stories: the latest)."""
    catalog: Catalog = {
        name: {record_key(name, r): r for r in reader(session=session)}
        for name, reader in content.READERS.items() if name != "stories"
    }
    versions: dict[str, list] = {}
    for record in content.stories(session=session):
        versions.setdefault(record["indicator"], []).append(record)
    catalog["stories"] = versions
    return catalog


def plan_import(
    session: Session, path: Path, *, sheet: str | None = None, encoding: str | None = None,
    decimal_comma: bool = False, progress: Callable[[str], None] | None = None,
) -> ImportPlan:
    """Read ``path`` and compare it with the store; raise InputRejected if it cannot be read."""
    if progress is not None:
        progress(f"reading {path.name}")
    return plan_sheets(session, read_file(path, sheet=sheet, encoding=encoding),
                       file=path.name, decimal_comma=decimal_comma, progress=progress)


def plan_sheets(
    session: Session, sheets: list[RawSheet], *, file: str, decimal_comma: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportPlan:
    """The plan for already-read sheets, in dependency order, with every problem found.

    ``progress`` is called with each sheet's name as its check begins.
    """
    plan = ImportPlan(file)
    catalog = load_catalog(session)
    by_name = {s.name: s for s in sheets}
    for spec in SHEETS:
        raw = by_name.get(spec.name)
        if raw is None or raw.cells.empty:
            continue
        if progress is not None:
            progress(f"checking {spec.name} ({len(raw.cells):,} rows)")
        problems = ProblemList(raw)
        typed = typed_columns(raw, spec, problems, decimal_comma=decimal_comma)
        if spec.name in FIGURE_SHEETS:
            if not any(p.row is None for p in problems):
                checked = validate_figures(spec, typed, catalog, problems,
                                           plan.sheet("dimensions"))
                existing = content.figures(session=session, sheet=spec.name,
                                           owners=checked.loc[~checked["_bad"], "owner"].unique())
                plan.sheets[spec.name] = plan_figures(spec, checked, existing)
                reject_locked(session, plan.sheets[spec.name], problems)
                if spec.name.endswith("observations"):
                    flag_outliers(plan.sheets[spec.name], existing, problems,
                                  checked.drop_duplicates("owner").set_index("owner")
                                  ["frequency"])
        elif spec.name == "baselines":
            if not any(p.row is None for p in problems):
                plan.sheets[spec.name] = plan_baselines(session, spec, typed, catalog, problems,
                                                        plan.sheet("dimensions"))
        elif not any(p.row is None for p in problems):
            usage = content.figure_usage(session=session, sheet=spec.name) if spec.name in (
                "indicators", "measures") else None
            sheet_plan = plan_sheet(spec, typed, catalog, problems, usage)
            if spec.name == "dimensions":
                sheet_plan.added = plan.sheet("dimensions").added + sheet_plan.added
            plan.sheets[spec.name] = sheet_plan
        plan.problems += problems
    if "dimensions" in plan.sheets and not plan.sheets["dimensions"].added and not (
            plan.sheets["dimensions"].changed or plan.sheets["dimensions"].unchanged):
        del plan.sheets["dimensions"]
    return plan
