"""Replaying the audit trail from nothing gives the store's current content."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from factories import basic_workbook, write_csv

from rba.cli import main
from rba.store import connect
from rba.store.replay import current_state, replayed


def run(*args: str, env: dict | None = None) -> str:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_replay_of_the_sample_equals_the_store(sample_factory) -> None:
    with sample_factory() as session:
        current = current_state(session=session)
        assert replayed(session=session) == current
    assert len(current["observation"]) > 1000 and len(current["story"]) >= 10


def test_replay_after_changes_locks_undo_and_users(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    changed = write_csv(tmp_path / "observations.csv", [
        {"indicator": "absence", "period": "2022-23", "value": "13", "note": "revised"},
        {"indicator": "arrests", "period": "2024", "value": "3.9"}])
    batch = re.search(r"batch (\S+)", run("import", str(changed))).group(1)
    run("lock", "grad_rate", "2022-23")
    run("users", "add", "boss@city.example", "--role", "admin",
        env={"RBA_PASSWORD": "a long enough password"})
    run("import", "undo", batch, "--yes")
    stories = write_csv(tmp_path / "stories.csv", [
        {"indicator": "absence", "story_behind_the_curve": "Buses changed routes."},
        {"indicator": "absence", "story_behind_the_curve": "Buses changed routes again."}])
    run("import", str(stories))
    with connect(cli_env)() as session:
        current = current_state(session=session)
        assert replayed(session=session) == current
    assert current["observation"]["absence|2022-23|{}"]["value"] == 12.5
    assert current["observation"]["grad_rate|2022-23|{}"]["status"] == "final"
    assert set(current["story"]) == {"absence#1", "absence#2"}
