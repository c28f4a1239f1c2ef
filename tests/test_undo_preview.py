"""What an undo would do, shown before it is done: `rba import undo` prints it in names and
periods and asks to confirm; the preview (rba.services.imports.undo_preview) lists every
value it would restore and everything that stops it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from factories import basic_workbook, write_csv

from rba.cli import main
from rba.models import Batch, Indicator, Observation
from rba.services import imports
from rba.store import connect


def run(*args: str, answer: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=answer, catch_exceptions=False)
    return result.exit_code, result.output


def batch_of(output: str) -> str:
    found = re.search(r"batch (\S+)$", output.strip())
    assert found, output
    return found.group(1)


def absence(url: str) -> float | None:
    with connect(url)() as session:
        return session.scalar(sa.select(Observation.value).join(Indicator).where(
            Indicator.code == "absence", Observation.period == "2022-23"))


@pytest.fixture
def two_batches(cli_env: str, tmp_path: Path) -> tuple[str, str]:
    first = batch_of(run("import", str(basic_workbook(tmp_path / "b.xlsx")))[1])
    csv = write_csv(tmp_path / "observations.csv", [
        {"indicator": "absence", "period": "2022-23", "value": "13"},
        {"indicator": "arrests", "period": "2024", "value": "3.9"}])
    return first, batch_of(run("import", str(csv))[1])


def test_undo_shows_what_it_restores_in_names_and_asks_first(
        cli_env: str, two_batches: tuple[str, str]) -> None:
    code, out = run("import", "undo", two_batches[1], answer="n\n")
    assert code == 0, out
    assert ("restore Chronic absence rate · School year 2022-23 · Total: value 13 -> 12.5"
            in out)
    assert "withdrawn Juvenile arrests · 2024 · Total: value 3.9 -> (none)" in out
    assert "{}" not in out and "|" not in out
    assert f"undo batch {two_batches[1]}? [y/N]" in out and "nothing was changed" in out
    assert absence(cli_env) == 13  # answered no: nothing written


def test_undo_confirmed_at_the_prompt_restores(cli_env: str,
                                                two_batches: tuple[str, str]) -> None:
    code, out = run("import", "undo", two_batches[1], answer="y\n")
    assert code == 0, out
    assert absence(cli_env) == 12.5
    with connect(cli_env)() as session:
        batch = session.get(Batch, batch_of(out))
        assert batch.description == f"undo of batch {two_batches[1]}"


def test_a_blocked_undo_lists_every_value_changed_since_and_asks_nothing(
        cli_env: str, two_batches: tuple[str, str]) -> None:
    code, out = run("import", "undo", two_batches[0], answer="y\n")
    assert code == 1
    assert ("cannot restore Chronic absence rate · School year 2022-23 · Total: value was "
            "changed since (this batch left 12.5, now 13)") in out
    assert "[y/N]" not in out and "cannot be undone as it stands" in out
    assert absence(cli_env) == 13


def test_the_preview_names_locked_periods_and_later_changes(
        cli_env: str, two_batches: tuple[str, str]) -> None:
    assert run("lock", "absence", "2022-23")[0] == 0
    with connect(cli_env)() as session:
        preview = imports.undo_preview(session=session, batch_id=two_batches[1])
        first = imports.undo_preview(session=session, batch_id=two_batches[0])
    assert preview.blocked
    assert preview.locked[["owner", "period"]].values.tolist() == [["absence", "2022-23"]]
    assert preview.later.empty
    restored = {(c.owner, c.period, c.action): c.fields for c in preview.changes}
    # Locking marked it final; the undo would put the batch's old status back with its value.
    assert restored[("absence", "2022-23", "changed")] == (
        ("value", 13.0, 12.5), ("status", "final", "provisional"))
    assert restored[("arrests", "2024", "withdrawn")] == (("value", 3.9, None),)
    assert first.later[["owner", "period", "field", "left", "now"]].values.tolist() == [
        ["absence", "2022-23", "value", 12.5, 13.0]]


def test_relocking_says_already_locked(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    code, out = run("lock", "absence", "2022-23")
    assert code == 0 and out.strip() == "locked 2022-23 for 1 indicator(s): absence"
    code, out = run("lock", "absence", "2022-23")
    assert code == 0 and out.strip() == "2022-23 is already locked for absence: nothing changed"
    assert "0 indicator" not in out


@pytest.mark.parametrize("args", [("lock", "absence", "2026-Q5"), ("lock", "--all", "2026-Q5"),
                                  ("template", "t.xlsx", "--period", "2026-Q5")])
def test_an_invalid_period_is_said_to_be_invalid(cli_env: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 args: tuple[str, ...]) -> None:
    monkeypatch.chdir(tmp_path)
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    code, out = run(*args)
    assert code == 1
    assert "'2026-Q5' is not a valid period: quarters run from Q1 to Q4" in out
    assert "no indicator" not in out
