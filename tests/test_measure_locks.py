"""Locks on programs' performance measures: `rba lock MEASURE PERIOD` (and --all) makes a
measure's figures final, and no path (import, grid's write path, undo) may change them until
an admin unlocks; every lock and unlock is audited and the audit replay still holds."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from factories import seed_program, write_csv

from rba.cli import main
from rba.models import Observation, PerformanceMeasure, Role
from rba.store import connect, session_scope
from rba.store.locks import LockError, lock, locked, unlock
from rba.store.people import add_user
from rba.store.replay import current_state, replayed

PASSWORD = "correct horse battery"


def run(*args: str, env: dict | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def programs(cli_env: str) -> str:
    with session_scope(connect(cli_env)) as session:
        seed_program(session)
        add_user(session=session, email="boss@city.example", role=Role.admin.value,
                 password=PASSWORD, actor="test")
    return cli_env


def measure_status(url: str, code: str, period: str) -> str:
    with connect(url)() as session:
        return session.scalar(sa.select(Observation.status).join(
            PerformanceMeasure, Observation.measure_id == PerformanceMeasure.id).where(
            PerformanceMeasure.code == code, Observation.period == period)).value


def test_locking_a_measure_makes_its_figures_final_and_refuses_changes(
        programs: str, tmp_path: Path) -> None:
    code, out = run("lock", "bridge_served", "2024-Q4")
    assert code == 0 and "locked 2024-Q4 for 1 measure(s): bridge_served" in out
    assert measure_status(programs, "bridge_served", "2024-Q4") == "final"
    same = write_csv(tmp_path / "measure_observations.csv",
                     [{"measure": "bridge_served", "period": "2024-Q4", "value": "120"}])
    code, out = run("import", str(same))
    assert code == 0, out  # an unchanged row of a locked period is fine
    changed = write_csv(tmp_path / "measure_observations.csv",
                        [{"measure": "bridge_served", "period": "2024-Q4", "value": "125"}])
    code, out = run("import", str(changed))
    assert code == 1
    assert ("measure_observations.csv, sheet measure_observations, row 2, column period: "
            "value '2024-Q4': bridge_served 2024-Q4 is locked") in out
    assert "an admin must unlock it before it can change" in out
    with connect(programs)() as session:
        value = session.scalar(sa.select(Observation.value).join(
            PerformanceMeasure, Observation.measure_id == PerformanceMeasure.id).where(
            PerformanceMeasure.code == "bridge_served"))
    assert value == 120.0  # nothing written


def test_a_new_figure_in_a_locked_measure_period_is_refused(programs: str,
                                                             tmp_path: Path) -> None:
    assert run("lock", "bridge_served", "2025-Q1")[0] == 0  # no figures yet: still final
    added = write_csv(tmp_path / "measure_observations.csv",
                      [{"measure": "bridge_served", "period": "2025-Q1", "value": "130"}])
    code, out = run("import", str(added))
    assert code == 1 and "bridge_served 2025-Q1 is locked" in out


def test_lock_all_covers_measures_of_that_frequency(programs: str) -> None:
    code, out = run("lock", "--all", "2024-Q4")
    assert code == 0 and "3 measure(s)" in out
    with connect(programs)() as session:
        assert set(locked(session=session, kind="measure")["owner"]) == {
            "bridge_better", "bridge_served", "bridge_on_time"}
        assert locked(session=session).empty  # no quarterly indicators here
    again = run("lock", "--all", "2024-Q4")[1]
    assert "2024-Q4 is already locked for bridge_better" in again and "0 indicator" not in again


def test_the_last_guard_refuses_a_write_around_the_import(programs: str) -> None:
    import pandas as pd

    from rba.plan import ImportPlan
    from rba.store.imports import apply_plan

    run("lock", "bridge_served", "2024-Q4")
    plan = ImportPlan("crafted.xlsx")
    sheet = plan.sheet("measure_observations")
    sheet.added_frame = pd.DataFrame()
    sheet.changed_frame = pd.DataFrame([{
        "owner": "bridge_served", "period": "2024-Q4", "dimensions": "{}", "value": 1.0,
        "numerator": None, "denominator": None, "status": "final", "note": None,
        "id": 1, "revision": 1, "value_old": 120.0, "numerator_old": None,
        "denominator_old": None, "status_old": "final", "note_old": None, "_row": 2}])
    with pytest.raises(LockError, match="bridge_served 2024-Q4 is locked"), \
            session_scope(connect(programs)) as session:
        apply_plan(session=session, plan=plan, actor="crafted", source="form")
    assert measure_status(programs, "bridge_served", "2024-Q4") == "final"


def test_unlock_a_measure_needs_an_admin_and_is_replayed(programs: str,
                                                          tmp_path: Path) -> None:
    factory = connect(programs)
    with session_scope(factory) as session:
        assert lock(session=session, period="2024-Q4", actor="coord@city.example",
                    codes=["bridge_better"]) == (["bridge_better"], [])
    with session_scope(factory) as session, pytest.raises(LockError, match="not an admin"):
        unlock(session=session, code="bridge_better", period="2024-Q4",
               actor="coord@city.example", reason="typo")
    with session_scope(factory) as session:  # the seed itself wrote no audit events
        assert current_state(session=session)["measure_period_lock"] == replayed(session=session)[
            "measure_period_lock"] == {"bridge_better|2024-Q4": {
                "measure": "bridge_better", "period": "2024-Q4",
                "locked_by": "coord@city.example"}}
        unlock(session=session, code="bridge_better", period="2024-Q4",
               actor="boss@city.example", reason="program re-counted")
    with session_scope(factory) as session:
        assert locked(session=session, kind="measure").empty
        assert "measure_period_lock" not in current_state(session=session)
        assert "measure_period_lock" not in replayed(session=session)
    changed = write_csv(tmp_path / "measure_observations.csv",
                        [{"measure": "bridge_better", "period": "2024-Q4", "value": "62",
                          "numerator": "62", "denominator": "100"}])
    assert run("import", str(changed))[0] == 0


def test_unknown_codes_name_both_kinds(programs: str) -> None:
    code, out = run("lock", "no_such_thing", "2024-Q4")
    assert code == 1 and "unknown indicator or measure code(s): no_such_thing" in out


def test_undo_refuses_a_batch_that_touched_a_locked_measure_period(programs: str,
                                                                   tmp_path: Path) -> None:
    import re

    changed = write_csv(tmp_path / "measure_observations.csv",
                        [{"measure": "bridge_served", "period": "2024-Q4", "value": "125"}])
    code, out = run("import", str(changed))
    assert code == 0, out
    batch = re.search(r"batch (\S+)$", out.strip()).group(1)
    assert run("lock", "bridge_served", "2024-Q4")[0] == 0
    code, out = run("import", "undo", batch, "--yes")
    assert code == 1 and "the period is locked" in out and "cannot be undone" in out
    with connect(programs)() as session:
        value = session.scalar(sa.select(Observation.value).join(
            PerformanceMeasure, Observation.measure_id == PerformanceMeasure.id).where(
            PerformanceMeasure.code == "bridge_served"))
    assert value == 125.0  # the locked figure stays as it was
