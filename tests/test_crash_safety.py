"""An import killed with SIGKILL part-way leaves the store exactly as before or as after."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from factories import basic_workbook

from rba.ingest import plan_import
from rba.models import AuditEvent, Observation, ObservationRevision
from rba.store import connect, session_scope
from rba.store.imports import apply_plan

ROWS = 21_000  # 700 schools x 30 school years


def counts(url: str) -> tuple[int, int, int]:
    with connect(url)() as session:
        return tuple(session.scalar(sa.select(sa.func.count()).select_from(m)) or 0
                     for m in (Observation, ObservationRevision, AuditEvent))  # type: ignore[return-value]


def big_csv(path: Path) -> Path:
    years = [str(y) for y in range(1991, 2021)]
    frame = pd.DataFrame({
        "indicator": "grad_rate_by_school",
        "period": [f"{y}-{(int(y) + 1) % 100:02d}" for y in years] * (ROWS // len(years)),
    })
    frame["school"] = [f"School {i // len(years):04d}" for i in range(len(frame))]
    frame["value"] = 50 + (frame.index % 40)
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.9])
def test_sigkill_during_import_is_all_or_nothing(db_url: str, tmp_path: Path,
                                                 delay: float) -> None:
    factory = connect(db_url)
    with session_scope(factory) as session:
        plan = plan_import(session, basic_workbook(tmp_path / "b.xlsx"))
        apply_plan(session=session, plan=plan, actor="t")
    indicator = tmp_path / "indicators.csv"
    pd.DataFrame([{"code": "grad_rate_by_school", "result": "R2", "name": "Grad rate",
                   "unit": "percent", "polarity": "up", "frequency": "school_year",
                   "dimensions": "school"}]).to_csv(indicator, index=False)
    with session_scope(factory) as session:
        apply_plan(session=session, plan=plan_import(session, indicator), actor="t")
    factory.kw["bind"].dispose()
    before = counts(db_url)
    csv = big_csv(tmp_path / "observations.csv")
    env = {**os.environ, "RBA_DATABASE_URL": db_url, "RBA_ACTOR": "cli:crash",
           "RBA_PROGRESS": "1"}
    process = subprocess.Popen([sys.executable, "-m", "rba", "import", str(csv)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Kill inside the write phase: after the import says it is writing, wait `delay` seconds.
    for line in process.stderr:  # type: ignore[union-attr]
        if "writing" in line:
            break
    time.sleep(delay)
    finished = process.poll() is not None
    if delay == 0.0:
        assert not finished, "the import ended before it could be killed mid-write"
    if not finished:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    after = counts(db_url)
    added = (ROWS, ROWS, ROWS)
    assert after in (before, tuple(b + a for b, a in zip(before, added, strict=True))) or (
        # dimension values registered by the same batch add their own audit events
        after[:2] == tuple(b + a for b, a in zip(before[:2], added[:2], strict=True))
        and after[2] > before[2] + ROWS), (delay, finished, before, after)
    if after[0] == before[0]:
        # Nothing half-written: a fresh import now succeeds completely.
        result = subprocess.run([sys.executable, "-m", "rba", "import", str(csv)], env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        assert counts(db_url)[0] == before[0] + ROWS
