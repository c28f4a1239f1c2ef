"""Load the bundled sample data (data/sample/*.csv) through the ordinary import path."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from rba.ingest import ImportPlan, InputRejected, plan_sheets
from rba.store.writes import apply_plan
from rba.workbook.read import read_csv
from rba.workbook.spec import SHEETS


def plan_sample(session: Session, sample_dir: Path) -> ImportPlan:
    """The plan for loading every sheet's CSV found in ``sample_dir``."""
    sheets = [
        read_csv((sample_dir / f"{spec.name}.csv").read_bytes(), f"{spec.name}.csv", spec.name)
        for spec in SHEETS
        if (sample_dir / f"{spec.name}.csv").exists()
    ]
    if not sheets:
        raise FileNotFoundError(f"no sample CSVs in {sample_dir}")
    return plan_sheets(session, sheets, file=str(sample_dir))


def load_sample(session: Session, sample_dir: Path, *, actor: str) -> tuple[ImportPlan, str | None]:
    """Load the sample; a second load changes nothing and writes no batch."""
    plan = plan_sample(session, sample_dir)
    if plan.problems:
        raise InputRejected(plan.problems)
    if not plan.has_changes:
        return plan, None
    return plan, apply_plan(session, plan, actor=actor, source="cli",
                            description="rba demo: bundled sample data")
