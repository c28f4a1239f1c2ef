"""`rba import undo BATCH`: every value the batch changed comes back; history is kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from factories import basic_workbook, write_csv

from rba.cli import main
from rba.models import Indicator, Observation, ObservationRevision, Result, ResultTeam
from rba.store import connect


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def batch_of(output: str) -> str:
    found = re.search(r"batch (\S+)$", output.strip())
    assert found, output
    return found.group(1)


def values(url: str) -> dict[tuple[str, str], float | None]:
    with connect(url)() as session:
        rows = session.execute(sa.select(Indicator.code, Observation.period, Observation.value)
                               .join(Indicator).where(Observation.dimensions == "{}"))
        return {(c, p): v for c, p, v in rows}


@pytest.fixture
def two_batches(cli_env: str, tmp_path: Path) -> tuple[str, str]:
    first = batch_of(run("import", str(basic_workbook(tmp_path / "b.xlsx")))[1])
    csv = write_csv(tmp_path / "observations.csv", [
        {"indicator": "absence", "period": "2022-23", "value": "13"},
        {"indicator": "arrests", "period": "2024", "value": "3.9"}])
    second = batch_of(run("import", str(csv))[1])
    return first, second


def test_undo_restores_changed_values_and_withdraws_added_ones(
        cli_env: str, two_batches: tuple[str, str]) -> None:
    before = values(cli_env)
    assert before[("absence", "2022-23")] == 13 and ("arrests", "2024") in before
    code, out = run("import", "undo", two_batches[1], "--yes")
    assert code == 0, out
    after = values(cli_env)
    assert after[("absence", "2022-23")] == 12.5
    assert ("arrests", "2024") not in after
    with connect(cli_env)() as session:
        history = session.execute(sa.select(ObservationRevision.value, ObservationRevision.note)
                                  .where(ObservationRevision.period == "2024")
                                  .order_by(ObservationRevision.id)).all()
        absence = session.scalars(sa.select(ObservationRevision.value).where(
            ObservationRevision.period == "2022-23", ObservationRevision.dimensions == "{}",
            ObservationRevision.indicator_id == sa.select(Indicator.id).where(
                Indicator.code == "absence").scalar_subquery()
        ).order_by(ObservationRevision.revision)).all()
    assert history[0][0] == 3.9 and history[-1][0] is None
    assert "withdrawn by batch" in history[-1][1]
    assert absence == [12.5, 13.0, 12.5]  # nothing lost


def test_undo_of_the_undo_brings_the_batch_back(
        cli_env: str, two_batches: tuple[str, str]) -> None:
    undo = batch_of(run("import", "undo", two_batches[1], "--yes")[1])
    code, out = run("import", "undo", undo, "--yes")
    assert code == 0, out
    after = values(cli_env)
    assert after[("absence", "2022-23")] == 13 and after[("arrests", "2024")] == 3.9


def test_undo_is_refused_when_a_later_batch_changed_the_same_value(
        cli_env: str, two_batches: tuple[str, str]) -> None:
    before = values(cli_env)
    code, out = run("import", "undo", two_batches[0], "--yes")
    assert code == 1
    assert "value was changed since (this batch left 12.5, now 13)" in out
    assert "{}" not in out and "cannot be undone" in out and "nothing was changed" in out
    assert values(cli_env) == before


def test_undo_of_the_first_import_removes_what_it_created(cli_env: str, tmp_path: Path) -> None:
    first = batch_of(run("import", str(basic_workbook(tmp_path / "b.xlsx")))[1])
    code, out = run("import", "undo", first, "--yes")
    assert code == 0, out
    with connect(cli_env)() as session:
        for model in (Observation, Indicator, Result, ResultTeam):
            assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_undo_of_an_unknown_batch_says_so(cli_env: str) -> None:
    code, out = run("import", "undo", "nope")
    assert code == 1 and "no batch 'nope'" in out


def test_undo_refuses_a_locked_period(cli_env: str, two_batches: tuple[str, str]) -> None:
    run("lock", "absence", "2022-23")
    code, out = run("import", "undo", two_batches[1], "--yes")
    assert code == 1 and "locked" in out
    assert values(cli_env)[("absence", "2022-23")] == 13
