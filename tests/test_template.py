"""`rba template`: the rows to enter, last values alongside; filled in, it imports as is."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from factories import basic_workbook

from rba.cli import main
from rba.models import Observation
from rba.store import connect


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_template_lists_each_group_with_last_period_and_imports_once_filled(
        cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    code, out = run("template", str(tmp_path / "t.xlsx"), "--period", "2023-24")
    assert code == 0, out
    frame = pd.read_excel(tmp_path / "t.xlsx", sheet_name="observations", dtype=str)
    grad = frame[frame["indicator"] == "grad_rate"]
    assert grad["city"].fillna("").tolist() == ["", "Pasadena"]
    assert grad["previous value (for reference)"].astype(float).tolist() == [81.0, 82.0]
    assert set(frame["indicator"]) == {"grad_rate", "absence"}  # arrests is yearly

    # Blank template: every row skipped, nothing written.
    code, out = run("import", str(tmp_path / "t.xlsx"))
    assert code == 0 and "nothing to change" in out

    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    sheet = book["observations"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("value") + 1, value=83.5)
    book.save(tmp_path / "t.xlsx")
    code, out = run("import", str(tmp_path / "t.xlsx"))
    assert code == 0, out
    with connect(cli_env)() as session:
        assert session.scalar(sa.select(Observation.value).where(
            Observation.period == "2023-24")) == 83.5


def test_template_cells_have_drop_down_lists(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    run("template", str(tmp_path / "t.xlsx"), "--period", "2023-24")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["observations"]
    rules = {str(r.sqref): r.formula1 for r in sheet.data_validations.dataValidation}
    header = [c.value for c in sheet[1]]
    status = openpyxl.utils.get_column_letter(header.index("status") + 1)
    assert any(ref.startswith(status) and "_lists" in f for ref, f in rules.items())


def test_without_period_each_indicator_gets_its_next_period(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    run("template", str(tmp_path / "t.xlsx"))
    frame = pd.read_excel(tmp_path / "t.xlsx", dtype=str)
    assert dict(zip(frame["indicator"], frame["period"], strict=False)) == {
        "grad_rate": "2023-24", "absence": "2023-24", "arrests": "2024"}


def test_template_for_an_unknown_period_form_says_so(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    code, out = run("template", str(tmp_path / "t.xlsx"), "--period", "2025-03")
    assert code == 1 and "no indicator has periods like '2025-03'" in out


def test_program_template_lists_its_measures_and_imports_once_filled(
        sample_copy: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RBA_DATABASE_URL", sample_copy)
    monkeypatch.setenv("RBA_ACTOR", "cli:tester")
    code, out = run("template", str(tmp_path / "m.xlsx"), "--program", "summer_learning")
    assert code == 0, out
    frame = pd.read_excel(tmp_path / "m.xlsx", sheet_name="measure_observations", dtype=str)
    assert set(frame["measure"]) == {"summer_served", "summer_attendance", "summer_cost_per",
                                     "summer_reading_up"}
    assert frame["previous value (for reference)"].notna().all()
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    sheet = book["measure_observations"]
    header = [c.value for c in sheet[1]]
    previous = sheet.cell(row=2, column=header.index("previous value (for reference)") + 1)
    sheet.cell(row=2, column=header.index("value") + 1, value=round(previous.value * 1.02))
    book.save(tmp_path / "m.xlsx")
    code, out = run("import", str(tmp_path / "m.xlsx"))
    assert code == 0, out
    assert next(x for x in out.splitlines() if x.startswith("measure_observations")).split(
    )[1] == "1"
    bad = CliRunner().invoke(main, ["template", str(tmp_path / "x.xlsx"), "--program", "nope"])
    assert bad.exit_code == 1 and "no performance measures for program 'nope'" in bad.output
