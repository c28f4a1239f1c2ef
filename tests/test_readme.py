"""The README documents every sheet, column and command, so it cannot fall behind the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from rba.sheets import SHEETS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
FORMAT = README.split("## The workbook format", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_every_sheet_and_column_is_documented(sheet) -> None:
    row = next((line for line in FORMAT.splitlines() if line.startswith(f"| `{sheet.name}`")),
               None)
    assert row is not None, f"README has no row for the {sheet.name} sheet"
    for column in sheet.columns:
        if column.name.endswith("_es") and sheet.name == "stories":
            continue  # documented as "each with an _es column"
        mark = f"`{column.name}`" + ("*" if column.required else "")
        assert mark in row, f"README's {sheet.name} row lacks {mark}"


def _commands(group, prefix=()):  # type: ignore[no-untyped-def]
    import click

    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        elif name != "file":  # `rba import FILE` is the import group's default command
            yield " ".join(("rba", *prefix, name))


def _all_commands() -> list[str]:
    from rba.cli import main

    return sorted(_commands(main))


@pytest.mark.parametrize("command", [*_all_commands(), "make demo", "make test"])
def test_every_command_is_documented(command: str) -> None:
    assert command in README, f"README does not mention `{command}`"


def test_every_setting_is_documented() -> None:
    from rba.config import SETTINGS

    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = {line.split("`")[1] for line in table.splitlines()
                  if line.startswith("| `RBA_")}
    assert documented == {s.env for s in SETTINGS.values()}
