"""`rba import`: what it adds, changes and rejects; all or nothing; clear messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from factories import INDICATORS, OBSERVATIONS, RESULTS, TEAMS, basic_workbook, write_csv

from rba.cli import main
from rba.models import AuditEvent, Observation, ObservationRevision
from rba.store import connect


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def count(url: str, model: type) -> int:
    with connect(url)() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_workbook_import_adds_everything_and_reimport_changes_nothing(
        cli_env: str, tmp_path: Path) -> None:
    book = basic_workbook(tmp_path / "book.xlsx")
    code, out = run("import", str(book))
    assert code == 0, out
    assert "imported as batch" in out
    assert count(cli_env, Observation) == len(OBSERVATIONS)
    events = count(cli_env, AuditEvent)
    assert events >= len(OBSERVATIONS) + len(INDICATORS) + 2
    code, out = run("import", str(book))
    assert code == 0 and "nothing to change" in out
    assert count(cli_env, AuditEvent) == events


def test_dry_run_writes_nothing_and_reports_what_would_happen(
        cli_env: str, tmp_path: Path) -> None:
    code, out = run("import", "--dry-run", str(basic_workbook(tmp_path / "b.xlsx")))
    assert code == 0
    assert "dry run: nothing was written" in out
    line = next(x for x in out.splitlines() if x.startswith("observations"))
    assert line.split()[1:] == ["5", "0", "0", "0", "0"]
    assert count(cli_env, Observation) == 0


def test_a_change_keeps_the_old_value_as_a_revision(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    csv = write_csv(tmp_path / "observations.csv", [
        {"indicator": "absence", "period": "2022-23", "value": "13.0"}])
    code, out = run("import", str(csv))
    assert code == 0, out
    assert "changed observations absence 2022-23 {}: value 12.5 -> 13.0" in out
    with connect(cli_env)() as session:
        obs = session.scalar(sa.select(Observation).where(Observation.value == 13.0))
        assert obs is not None and obs.revision == 2
        values = session.scalars(sa.select(ObservationRevision.value).where(
            ObservationRevision.observation_id == obs.id).order_by(
            ObservationRevision.revision)).all()
        assert values == [12.5, 13.0]
        event = session.scalars(sa.select(AuditEvent).where(
            AuditEvent.entity == "observation", AuditEvent.action == "update")).one()
        assert json.loads(event.old)["value"] == 12.5
        assert json.loads(event.new)["value"] == 13.0
        assert event.actor == "cli:tester"


@pytest.mark.parametrize(("row", "column", "value", "expected"), [
    ({"indicator": "grad_rte", "period": "2022-23", "value": "1"}, "indicator", "grad_rte",
     "unknown indicator code (did you mean 'grad_rate'?)"),
    ({"indicator": "absence", "period": "2022", "value": "1"}, "period", "2022",
     "not a school year"),
    ({"indicator": "absence", "period": "2022-23", "value": "1,5"}, "value", "1,5",
     "ambiguous number"),
    ({"indicator": "absence", "period": "2022-23", "value": "abc"}, "value", "abc",
     "expected a number"),
    ({"indicator": "absence", "period": "2022-23", "value": "120"}, "value", "120",
     "a percent lies between 0 and 100"),
    ({"indicator": "arrests", "period": "2023", "value": "5%"}, "value", "5%",
     "only allowed for percent indicators"),
    ({"indicator": "grad_rate", "period": "2022-23", "value": "", "numerator": "12",
      "denominator": "10"}, "numerator", "12", "larger than the denominator"),
    ({"indicator": "grad_rate", "period": "2022-23", "value": "50", "numerator": "4",
      "denominator": "10"}, "value", "50", "disagrees with numerator / denominator"),
    ({"indicator": "absence", "period": "2022-23", "value": "1", "city": "Pasadena"}, "city",
     "Pasadena", "not disaggregated by city"),
    ({"indicator": "grad_rate", "period": "2022-23", "value": "1", "city": "Pasadna"}, "city",
     "Pasadna", "unknown city group; expected one of: Pasadena"),
])
def test_bad_rows_are_rejected_with_file_row_column_value_and_nothing_is_written(
        cli_env: str, tmp_path: Path, row: dict, column: str, value: str,
        expected: str) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    before = count(cli_env, Observation), count(cli_env, AuditEvent)
    good = {"indicator": "arrests", "period": "2024", "value": "4.0"}
    csv = write_csv(tmp_path / "observations-new.csv", [good, row])
    code, out = run("import", str(csv))
    assert code == 1
    assert (f"observations-new.csv, sheet observations, row 3, column {column}: "
            f"value {value!r}:") in out
    assert expected in out
    assert (count(cli_env, Observation), count(cli_env, AuditEvent)) == before


def test_duplicate_rows_in_a_file_are_rejected(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    row = {"indicator": "arrests", "period": "2024", "value": "4.0"}
    code, out = run("import", str(write_csv(tmp_path / "observations.csv", [row, row])))
    assert code == 1
    assert "row 3, column indicator: value 'arrests': repeats row 2" in out


def test_percent_text_thousands_and_missing_are_read(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    rows = [{"indicator": "absence", "period": "2023-24", "value": "45 %"},
            {"indicator": "absence", "period": "2024-25", "value": "n/a"},
            {"indicator": "arrests", "period": "2024", "value": "1,234.5"}]
    code, out = run("import", str(write_csv(tmp_path / "observations.csv", rows)))
    assert code == 0, out
    with connect(cli_env)() as session:
        values = dict(session.execute(sa.select(Observation.period, Observation.value).where(
            Observation.period.in_(["2023-24", "2024-25", "2024"]))).all())
    assert values == {"2023-24": 45.0, "2024": 1234.5}  # n/a skipped, never zero


def test_value_is_computed_from_numerator_and_denominator(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    rows = [{"indicator": "grad_rate", "period": "2023-24", "numerator": 3,
             "denominator": 8}]
    assert run("import", str(write_csv(tmp_path / "observations.csv", rows)))[0] == 0
    with connect(cli_env)() as session:
        assert session.scalar(sa.select(Observation.value).where(
            Observation.period == "2023-24")) == 37.5


def test_latin1_semicolon_csv_with_bom_free_accents(cli_env: str, tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_bytes("code;name;name_es\nR9;Niños sanos;Niños sanos\n".encode("cp1252"))
    code, out = run("import", str(path))
    assert code == 0, out
    path.write_bytes("\ufeffcode,name\nR9,Niños sanos\n".encode())
    code, out = run("import", str(path))
    assert code == 0 and "nothing to change" in out


def test_unknown_result_reference_names_the_cell(cli_env: str, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "indicators.csv", [dict(INDICATORS[1], result="R7")])
    code, out = run("import", str(csv))
    assert code == 1
    assert "indicators.csv, sheet indicators, row 2, column result: value 'R7': " \
           "unknown result 'R7'" in out


def test_csv_whose_sheet_cannot_be_told_is_refused(cli_env: str, tmp_path: Path) -> None:
    code, out = run("import", str(write_csv(tmp_path / "data.csv", TEAMS)))
    assert code == 1 and "pass --sheet" in out
    code, out = run("import", "--sheet", "teams", str(write_csv(tmp_path / "data.csv", TEAMS)))
    assert code == 0, out


def test_missing_required_column_is_reported(cli_env: str, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "results.csv", [{"code": "R1"}])
    code, out = run("import", str(csv))
    assert code == 1
    assert "results.csv, sheet results, column name: the required column name is missing" in out


def test_unknown_column_on_a_descriptive_sheet_is_reported(cli_env: str, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "results.csv", [dict(RESULTS[0], colour="red")])
    code, out = run("import", str(csv))
    assert code == 1 and "column colour: unknown column" in out


def test_title_rows_above_the_header_are_passed_over(cli_env: str, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "teams"
    sheet["A1"] = "Collaborate PASadena: result teams, 2025"
    sheet.merge_cells("A1:C1")
    sheet.append([])
    sheet.append(["Slug", "Name", "Facilitator"])
    sheet.append(["health", "Healthy Students Team", "A. Rivera"])
    sheet.append([])
    sheet.append(["early", "Early Childhood Team", None])
    book.save(tmp_path / "teams.xlsx")
    code, out = run("import", str(tmp_path / "teams.xlsx"))
    assert code == 0, out
    assert next(x for x in out.splitlines() if x.startswith("teams")).split()[1] == "2"


def test_excel_percentage_cells_are_read_as_percents(cli_env: str, tmp_path: Path) -> None:
    import openpyxl

    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "observations"
    sheet.append(["indicator", "period", "value"])
    sheet.append(["absence", "2023-24", 0.125])
    sheet["C2"].number_format = "0.0%"
    book.save(tmp_path / "obs.xlsx")
    code, out = run("import", str(tmp_path / "obs.xlsx"))
    assert code == 0, out
    with connect(cli_env)() as session:
        assert session.scalar(sa.select(Observation.value).where(
            Observation.period == "2023-24")) == 12.5


def test_outliers_need_a_note_and_are_flagged(cli_env: str, tmp_path: Path) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    history = [{"indicator": "arrests", "period": str(y), "value": v}
               for y, v in zip(range(2015, 2023), [4.1, 4.3, 3.9, 4.0, 4.2, 4.4, 3.8, 4.1],
                               strict=True)]
    assert run("import", str(write_csv(tmp_path / "observations.csv", history)))[0] == 0
    spike = [{"indicator": "arrests", "period": "2024", "value": "41", "note": ""}]
    code, out = run("import", str(write_csv(tmp_path / "observations.csv", spike)))
    assert code == 1
    assert "row 2, column value: value '41': expected between " in out
    assert " from this series' trend (99% forecast interval from its figures 2015 to 2023); " \
           "got 41: check it, or explain it in the note column to accept it" in out
    spike[0]["note"] = "New county reporting system counts citations too"
    code, out = run("import", str(write_csv(tmp_path / "observations.csv", spike)))
    assert code == 0, out
    with connect(cli_env)() as session:
        flags = dict(session.execute(sa.select(Observation.period, Observation.outlier).where(
            Observation.period.in_(["2024", "2022"]))).all())
    assert flags == {"2024": True, "2022": False}
    # A changed value is checked and flagged the same way.
    changed = [{"indicator": "arrests", "period": "2022", "value": "44", "note": "Recount"}]
    assert run("import", str(write_csv(tmp_path / "observations.csv", changed)))[0] == 0
    with connect(cli_env)() as session:
        assert session.scalar(sa.select(Observation.outlier).where(
            Observation.period == "2022", Observation.value == 44.0)) is True


def test_a_formula_without_a_saved_result_is_rejected(cli_env: str, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "teams"
    sheet.append(["slug", "name"])
    sheet.append(["t1", '=CONCAT("Team ", "One")'])  # openpyxl saves no cached result
    book.save(tmp_path / "teams.xlsx")
    code, out = run("import", str(tmp_path / "teams.xlsx"))
    assert code == 1
    assert "teams.xlsx, sheet teams, row 2, column B: value '=CONCAT(\"Team \", \"One\")': " \
           "a formula with no saved result" in out


def test_a_zip_bomb_is_refused(cli_env: str, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from rba import config

    monkeypatch.setattr(config, "FILE_LIMITS",
                        dataclasses.replace(config.FILE_LIMITS, workbook_bytes=10_000))
    book = basic_workbook(tmp_path / "b.xlsx")
    code, out = run("import", str(book))
    assert code == 1 and "the workbook unpacks to" in out and "the limit is 10,000" in out


def test_a_file_that_is_not_a_workbook_is_refused(cli_env: str, tmp_path: Path) -> None:
    (tmp_path / "fake.xlsx").write_text("hello")
    code, out = run("import", str(tmp_path / "fake.xlsx"))
    assert code == 1 and "fake.xlsx: not a .xlsx workbook" in out


def test_ragged_and_empty_csvs_are_reported_clearly(cli_env: str, tmp_path: Path) -> None:
    ragged = tmp_path / "teams.csv"
    ragged.write_text("slug,name\nt1,Team one\nt2,Team two,extra cell\n")
    code, out = run("import", str(ragged))
    assert code == 1
    assert "teams.csv, sheet teams, row 3: value 'extra cell': a value stands in a column " \
           "with no header" in out
    empty = tmp_path / "results.csv"
    empty.write_text("")
    code, out = run("import", str(empty))
    assert code == 1 and "results.csv: the file is empty" in out
    empty.write_text("code,name\n")  # a header and no rows: nothing to do, said so
    code, out = run("import", str(empty))
    assert code == 0 and "nothing to change" in out


@pytest.mark.parametrize("text", ["15/10/2025", "2025-13-40", "October 15"])
def test_a_story_date_that_is_not_iso_is_rejected_at_its_cell(cli_env: str, tmp_path: Path,
                                                             text: str) -> None:
    run("import", str(basic_workbook(tmp_path / "b.xlsx")))
    csv = write_csv(tmp_path / "stories.csv", [
        {"indicator": "absence", "story_behind_the_curve": "Buses", "saved_at": text}])
    code, out = run("import", str(csv))
    assert code == 1
    assert (f"stories.csv, sheet stories, row 2, column saved_at: value {text!r}: "
            "expected a date written 2025-10-15") in out
