"""An import killed with SIGKILL part-way leaves the store exactly as before or as after.

`rba import` runs in a child process through LAUNCHER, which wraps one store function so
that the import stops at a chosen point of its write: the child prints MARKER and waits,
and the test, having read the marker, kills it there. Where the kill lands is set by the
code's own order of writes, not by how fast the machine is.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from factories import basic_workbook

from rba.cli import main
from rba.ingest import plan_import
from rba.models import AuditEvent, Observation, ObservationRevision
from rba.store import connect, session_scope
from rba.store.imports import apply_plan

YEARS = 30
SCHOOLS = 700
ROWS = SCHOOLS * YEARS  # 21,000
MARKER = "rba-test: stopped at the crash point"
#: Where the import is killed, in the order an import writes: (module, function, when);
#: "before" or "after" the function's first call, or "commit": once the transaction the
#: function wrote in has committed.
POINTS = {
    # The batch is the import's first write.
    "before-any-write": ("rba.store.audit", "new_batch", "before"),
    # The new schools' audit events are written first, before any figure.
    "after-the-groups-audit-events": ("rba.store.audit", "record_events", "after"),
    # Every figure, revision and audit event written (flushed), none committed.
    "after-every-write-before-commit": ("rba.store.imports.apply", "apply_plan", "after"),
    "after-commit": ("rba.store.imports.apply", "apply_plan", "commit"),
}
LAUNCHER = f'''"""`rba`, stopped at one point of its work: prints the marker, waits to be killed.

Usage: python launcher.py MODULE FUNCTION WHEN ARGUMENTS...; WHEN is "before" or "after"
the function's first call, or "commit" (after the commit of that call's transaction).
"""
import importlib
import sys
import time

from sqlalchemy import event

from rba.cli import main

module, name, when = sys.argv[1:4]
original = getattr(importlib.import_module(module), name)
calls = 0


def stop(*_):
    print({MARKER!r}, flush=True)
    time.sleep(60)  # the test kills the process long before this ends
    sys.exit("not killed")


def stopping(*args, **kwargs):
    global calls
    calls += 1
    if calls == 1 and when == "before":
        stop()
    result = original(*args, **kwargs)
    if calls == 1 and when == "after":
        stop()
    if calls == 1 and when == "commit":
        event.listen(kwargs["session"], "after_commit", stop, once=True)
    return result


# Every rba module that imported the function by name calls it through its own binding.
for loaded_name, loaded in list(sys.modules.items()):
    if loaded_name.split(".")[0] == "rba" and getattr(loaded, name, None) is original:
        setattr(loaded, name, stopping)
main(prog_name="rba", args=sys.argv[4:])
'''


def counts(url: str) -> tuple[int, int, int]:
    with connect(url)() as session:
        return tuple(session.scalar(sa.select(sa.func.count()).select_from(m)) or 0
                     for m in (Observation, ObservationRevision, AuditEvent))  # type: ignore[return-value]


def big_csv(path: Path) -> Path:
    years = [str(y) for y in range(1991, 1991 + YEARS)]
    frame = pd.DataFrame({
        "indicator": "grad_rate_by_school",
        "period": [f"{y}-{(int(y) + 1) % 100:02d}" for y in years] * (ROWS // len(years)),
    })
    frame["school"] = [f"School {i // len(years):04d}" for i in range(len(frame))]
    frame["value"] = 50 + (frame.index % 40)
    frame.to_csv(path, index=False)
    return path


def kill_at(point: tuple[str, str, str], args: list[str], env: dict[str, str],
            folder: Path) -> bool:
    """Run `rba ARGS` until it stops at ``point``, then SIGKILL it; whether it had ended
    before it could be killed (it never should)."""
    launcher = folder / "launcher.py"
    launcher.write_text(LAUNCHER, encoding="utf-8")
    errors = folder / "launcher-stderr.txt"
    with errors.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, str(launcher), *point, *args], env=env,
                                   stdout=subprocess.PIPE, stderr=stderr, text=True)
        try:
            assert process.stdout is not None
            reached = any(line.rstrip("\n") == MARKER for line in process.stdout)
            finished = process.poll() is not None
            if not finished:
                os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
            process.stdout.close()  # type: ignore[union-attr]
    assert reached, f"the import never reached {point}: {errors.read_text(encoding='utf-8')}"
    return finished


@pytest.mark.parametrize("point", list(POINTS))
def test_sigkill_during_import_is_all_or_nothing(db_url: str, tmp_path: Path,
                                                 point: str) -> None:
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
    env = {**os.environ, "RBA_DATABASE_URL": db_url, "RBA_ACTOR": "cli:crash"}
    finished = kill_at(POINTS[point], ["import", str(csv)], env, tmp_path)
    assert not finished, "the import ended before it could be killed mid-write"
    after = counts(db_url)
    added = (ROWS, ROWS, ROWS)
    assert after in (before, tuple(b + a for b, a in zip(before, added, strict=True))) or (
        # dimension values registered by the same batch add their own audit events
        after[:2] == tuple(b + a for b, a in zip(before[:2], added[:2], strict=True))
        and after[2] > before[2] + ROWS), (point, finished, before, after)
    # Killed before its commit, the import left nothing; after it, everything: each figure,
    # its first revision and its audit event, and one audit event per new school.
    committed = POINTS[point][2] == "commit"
    assert after == ((before[0] + ROWS, before[1] + ROWS, before[2] + ROWS + SCHOOLS)
                     if committed else before), (point, before, after)
    if after[0] == before[0]:
        # Nothing half-written: a fresh import now succeeds completely.
        result = CliRunner().invoke(main, ["import", str(csv)], env=env)
        assert result.exit_code == 0, result.output
        assert counts(db_url)[0] == before[0] + ROWS
