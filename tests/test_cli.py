"""The CLI: every command has help text with an example; errors are clear."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from rba.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("path", _commands(main), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output, f"rba {' '.join(path)} --help has no example"


def test_commands_say_to_upgrade_a_database_without_tables(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RBA_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    result = CliRunner().invoke(main, ["export", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1
    assert "run `rba db upgrade`" in result.output


def test_db_upgrade_then_demo_then_export(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RBA_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0 and "batch" in first.output
    assert "admin@demo.rba" in first.output and "password: rba-demo-admin" in first.output
    assert "illustrative headline baselines" in first.output
    second = runner.invoke(main, ["demo"])
    assert "nothing changed" in second.output and "demo users exist already" in second.output
    assert "froze" not in second.output
    out = runner.invoke(main, ["export", str(tmp_path / "obs.csv"), "--sheet", "observations"])
    assert out.exit_code == 0 and (tmp_path / "obs.csv").stat().st_size > 10_000
    bad = runner.invoke(main, ["export", str(tmp_path / "x.csv"), "--sheet", "nope"])
    assert bad.exit_code == 2 and "'nope' is not a sheet" in bad.output
