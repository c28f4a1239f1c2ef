"""Careless or hostile input never breaks a page or the store: numbers in the accepted forms
only, metadata that cannot orphan stored figures, the published view as one unit, baselines
that survive export and import, concurrent imports, and proposal ids from a form."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import math
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from factories import as_user, seed_store, seed_users, text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards.app import create_app
from rba.ingest.values import MISSING_TOKENS, parse_numbers
from rba.models import AuditEvent, Indicator, Observation
from rba.services import curves, demo, exports, imports, scorecard
from rba.store import connect, migrate, session_scope

# --- Numbers: any text is a number in an accepted form, "not available", or refused -------

#: Digits of other scripts: full-width, Arabic-Indic, Devanagari, mathematical bold.
OTHER_DIGITS = "０１２３４５６７８９٠١٢٣٤٥٦٧٨٩०१२३४५६७८९𝟎𝟏𝟐"
CELL_TEXT = st.one_of(
    st.text(alphabet=st.sampled_from("0123456789.,-+%$ e" + OTHER_DIGITS), max_size=12),
    st.text(max_size=8),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)


@settings(max_examples=400, deadline=None)
@given(cells=st.lists(CELL_TEXT, min_size=1, max_size=12), percent=st.booleans(),
       comma=st.booleans())
def test_a_cell_is_a_number_not_available_or_refused_never_silently_missing(
        cells: list[str], percent: bool, comma: bool) -> None:
    numbers, errors = parse_numbers(pd.Series(cells, dtype=object), percent_allowed=percent,
                                    decimal_comma=comma)
    for cell, number, error in zip(cells, numbers, errors, strict=True):
        if error != "":
            assert math.isnan(number), cell
        elif math.isnan(number):
            assert cell.strip().lower() in MISSING_TOKENS, cell
        else:
            assert math.isfinite(number), cell
        if any(d in cell for d in OTHER_DIGITS):
            assert error != "" and str(error).startswith("expected a number"), cell


@settings(max_examples=200, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_written_as_python_writes_it_reads_back_exactly(value: float) -> None:
    numbers, errors = parse_numbers(pd.Series([repr(value)], dtype=object))
    assert errors[0] == "" and numbers[0] == value


def test_full_width_digits_are_refused_at_their_cell(tmp_path: Path, cli_env: str) -> None:
    from click.testing import CliRunner
    from factories import basic_workbook

    from rba.cli import main

    CliRunner().invoke(main, ["import", str(basic_workbook(tmp_path / "b.xlsx"))])
    path = tmp_path / "observations.csv"
    path.write_text("indicator,period,value\nabsence,2023-24,１２３\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1
    assert ("observations.csv, sheet observations, row 2, column value: value '１２３': "
            "expected a number") in result.output


# --- Metadata under stored figures ----------------------------------------------------------

#: Indicator rows as seed_store stores them (grad_rate has 10 observations and 1 target;
#: arrests 3 observations), written as the indicators sheet has them.
SEEDED = {
    "grad_rate": {"code": "grad_rate", "result": "R2", "name": "High school graduation rate",
                  "unit": "percent", "per": "", "polarity": "up", "frequency": "school_year",
                  "dimensions": "city"},
    "arrests": {"code": "arrests", "result": "R2", "name": "Juvenile arrests", "unit": "rate",
                "per": "1000", "polarity": "down", "frequency": "year", "dimensions": ""},
}
FIGURES = {"grad_rate": 11, "arrests": 3}
CHANGES = {
    "unit": ["percent", "rate", "count", "number", "score", "currency"],
    "per": ["", "100", "1000", "100000"],
    "frequency": ["year", "school_year", "fiscal_year", "quarter", "month"],
    "dimensions": ["", "city", "city, student_group", "student_group"],
}


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    maker = connect(url)
    with session_scope(maker) as session:
        seed_store(session)
    maker.kw["bind"].dispose()  # checkpoints the write-ahead log: the file is complete
    return path


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.sampled_from(sorted(SEEDED)), field=st.sampled_from(sorted(CHANGES)),
       choice=st.integers(0, 5))
def test_a_metadata_change_under_stored_figures_is_refused_or_leaves_every_figure_valid(
        seeded_db: Path, tmp_path_factory: pytest.TempPathFactory, code: str, field: str,
        choice: int) -> None:
    folder = tmp_path_factory.mktemp("change")
    shutil.copyfile(seeded_db, folder / "store.db")
    url = f"sqlite:///{folder / 'store.db'}"
    row = dict(SEEDED[code])
    new = CHANGES[field][choice % len(CHANGES[field])]
    row[field] = new
    if row["unit"] == "rate" and not row["per"]:
        row["per"] = "1000"
    path = folder / "indicators.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    maker = connect(url)
    with session_scope(maker) as session:
        plan = imports.plan_file(session=session, path=path)
        if not plan.problems and plan.has_changes:
            imports.apply(session=session, plan=plan, actor="test")
    if plan.problems:
        assert row[field] != SEEDED[code][field] or field == "per", plan.problems
        for problem in plan.problems:
            assert (problem.file, problem.sheet, problem.row) == ("indicators.csv",
                                                                  "indicators", 2)
            words = str(problem.detail)
            assert problem.column in CHANGES and problem.column in words
            if problem.column in ("unit", "frequency"):
                assert f"{FIGURES[code]} stored figures" in words
                assert repr(SEEDED[code][problem.column]) in words
                assert repr(row[problem.column]) in words
        return
    # Accepted: every page's figures still compute and the export imports unchanged.
    with maker() as session:
        scorecard.scorecard(session=session, today=dt.date(2026, 1, 1))
        scorecard.scorecard_page(session=session, today=dt.date(2026, 1, 1), lang="en")
        for indicator in SEEDED:
            curves.indicator_curve(session=session, code=indicator)
        exports.export_workbook(session=session, path=folder / "all.xlsx")
        again = imports.plan_file(session=session, path=folder / "all.xlsx")
    assert again.problems == [] and not again.has_changes
    maker.kw["bind"].dispose()


def test_a_frequency_change_names_file_sheet_row_column_values_and_count(
        cli_env: str, tmp_path: Path) -> None:
    with session_scope(connect(cli_env)) as session:
        seed_store(session)
    from click.testing import CliRunner

    from rba.cli import main

    row = {**SEEDED["grad_rate"], "frequency": "quarter"}
    pd.DataFrame([row]).to_csv(tmp_path / "indicators.csv", index=False)
    result = CliRunner().invoke(main, ["import", str(tmp_path / "indicators.csv")])
    assert result.exit_code == 1
    assert ("indicators.csv, sheet indicators, row 2, column frequency: value 'quarter': "
            "cannot change frequency from 'school_year' to 'quarter': 11 stored figures "
            "(values, targets, baseline points) depend on it") in result.output
    pd.DataFrame([{**SEEDED["grad_rate"], "dimensions": ""}]).to_csv(
        tmp_path / "indicators.csv", index=False)
    result = CliRunner().invoke(main, ["import", str(tmp_path / "indicators.csv")])
    assert result.exit_code == 1
    assert ("column dimensions: value '': cannot change dimensions from 'city' to (blank): 5 "
            "stored figures use city") in " ".join(result.output.split())


# --- The published view is one unit ---------------------------------------------------------

def test_unpublishing_an_indicator_with_a_frozen_baseline_leaves_every_page_working(
        db_url: str) -> None:
    with session_scope(connect(db_url)) as session:
        seed_store(session)
        seed_users(session)
    with session_scope(connect(db_url)) as session:
        assert curves.freeze_baseline(session=session, code="grad_rate", through="2021-22",
                                      actor="test") == 2  # the total and Altadena
    with session_scope(connect(db_url)) as session:
        session.execute(sa.update(Indicator).where(Indicator.code == "grad_rate").values(
            published=False))
    with connect(db_url)() as session:
        data = scorecard.scorecard_page(session=session, today=dt.date(2026, 1, 1), lang="en")
        assert "grad_rate" not in set(data.summary["indicator"])
    app = create_app(db_url)
    pages = {path: importlib.import_module(f"dashboards.pages.{module}")
             for path, module in (("/", "home"), ("/results/R2", "result"))}
    with as_user(app, None, "/"):
        home = text(pages["/"].layout())
        result = text(pages["/results/R2"].layout(code="R2"))
    assert "Juvenile arrests" in home and "Juvenile arrests" in result
    assert "High school graduation rate" not in result


# --- Baselines survive export and import ----------------------------------------------------

@pytest.mark.parametrize("rounds", [2])
def test_exporting_and_importing_the_sample_changes_nothing_twice(
        sample_db_url: str, tmp_path: Path, rounds: int) -> None:
    maker = connect(sample_db_url)
    with session_scope(maker) as session:
        assert demo.freeze_demo_baselines(session=session, actor="test") > 0
    for i in range(rounds):
        with session_scope(maker) as session:
            exports.export_workbook(session=session, path=tmp_path / f"all{i}.xlsx")
            plan = imports.plan_file(session=session, path=tmp_path / f"all{i}.xlsx")
            assert plan.problems == []
            assert plan.summary()["baselines"]["unchanged"] > 0
            assert plan.summary()["baselines"]["added"] == 0
            assert not plan.has_changes
    maker.kw["bind"].dispose()


def test_a_stored_baseline_with_other_figures_is_refused_not_a_crash(
        sample_copy: str, tmp_path: Path) -> None:
    with session_scope(connect(sample_copy)) as session:
        demo.freeze_demo_baselines(session=session, actor="test")
    with session_scope(connect(sample_copy)) as session:
        exports.export_sheet(session=session, path=tmp_path / "baselines.csv",
                             sheet="baselines")
    frame = pd.read_csv(tmp_path / "baselines.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "forecast"] = str(float(frame.loc[0, "forecast"]) + 1)
    frame.to_csv(tmp_path / "baselines.csv", index=False)
    with session_scope(connect(sample_copy)) as session:
        plan = imports.plan_file(session=session, path=tmp_path / "baselines.csv")
    assert [p.row for p in plan.problems][:1] == [2]
    assert "a stored baseline is never altered" in str(plan.problems[0].detail)


def test_baselines_keep_their_inner_band_and_a_file_without_it_still_imports(
        sample_db: Path, tmp_path: Path) -> None:
    frozen_url, other_url = (f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    for url in (frozen_url, other_url):
        shutil.copyfile(sample_db, url.removeprefix("sqlite:///"))
    with session_scope(connect(frozen_url)) as session:
        demo.freeze_demo_baselines(session=session, actor="test")
        exports.export_sheet(session=session, path=tmp_path / "baselines.csv",
                             sheet="baselines")
    frame = pd.read_csv(tmp_path / "baselines.csv")
    assert frame[["lower_80", "upper_80"]].notna().all().all()  # every frozen point has both
    assert ((frame["lower"] <= frame["lower_80"]) & (frame["upper_80"] <= frame["upper"])).all()
    # A file written before the inner band was kept: its baselines import without one.
    frame.drop(columns=["lower_80", "upper_80"]).to_csv(tmp_path / "baselines-old.csv",
                                                         index=False)
    with session_scope(connect(other_url)) as session:
        plan = imports.plan_file(session=session, path=tmp_path / "baselines-old.csv")
        assert plan.problems == [] and plan.summary()["baselines"]["added"] > 0
        imports.apply(session=session, plan=plan, actor="test")
        exports.export_sheet(session=session, path=tmp_path / "baselines-again.csv",
                             sheet="baselines")
        again = imports.plan_file(session=session, path=tmp_path / "baselines-again.csv")
    assert again.problems == [] and not again.has_changes
    written = pd.read_csv(tmp_path / "baselines-again.csv")
    assert written[["lower_80", "upper_80"]].isna().all().all()


# --- Two imports at once --------------------------------------------------------------------

def test_an_import_that_lost_a_race_says_so_and_writes_nothing(db_url: str,
                                                               tmp_path: Path) -> None:
    with session_scope(connect(db_url)) as session:
        seed_store(session)
    path = tmp_path / "observations.csv"
    path.write_text("indicator,period,value\narrests,2025,3.9\n")
    maker = connect(db_url)
    with maker() as session:
        plan = imports.plan_file(session=session, path=path)
        session.rollback()
        with session_scope(maker) as other:  # the winner writes the same value first
            imports.apply(session=other, plan=imports.plan_file(session=other, path=path),
                          actor="winner")
        events = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        with pytest.raises(imports.ChangedMeanwhile) as refused:
            imports.apply(session=session, plan=plan, actor="loser")
        assert str(refused.value) == ("changed by another import while this one ran; nothing "
                                      "was written; run it again")
        session.rollback()
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events
        assert session.scalar(sa.select(sa.func.count()).select_from(Observation).where(
            Observation.period == "2025")) == 1
    maker.kw["bind"].dispose()


# --- A proposal id from a form --------------------------------------------------------------

@pytest.mark.parametrize("proposal", ["inf", "nan", "-inf", 10**19, "1e400", 1.5, 0, -3, "x"])
def test_a_decision_on_a_proposal_id_that_names_none_is_refused_with_words(
        app: object, proposal: object) -> None:
    targets = importlib.import_module("dashboards.pages.targets")
    with as_user(app, "coordinator", "/targets"):  # type: ignore[arg-type]
        message, *_ = targets.decide(1, proposal, "accept", None)
    assert "Choose a proposal and a decision." in text(message)


# --- Files the product writes -------------------------------------------------------------

def test_an_entry_template_writes_stored_text_as_text_never_a_formula(
        cli_env: str, tmp_path: Path) -> None:
    with session_scope(connect(cli_env)) as session:
        seed_store(session)
        session.execute(sa.update(Indicator).where(Indicator.code == "arrests").values(
            name='=HYPERLINK("http://example.com","click")'))
    with session_scope(connect(cli_env)) as session:
        exports.write_entry_template(session=session, path=tmp_path / "t.xlsx",
                                     period="2025")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    cells = [c for row in book["observations"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == '\'=HYPERLINK("http://example.com","click")' for c in cells)


def test_the_scorecard_csv_neutralises_formula_text() -> None:
    frame = pd.DataFrame({"indicator": ["=cmd|' /C calc'!A0"], "dimensions": ["{}"],
                          "latest_value": [-3.0], "notes": [()]})
    out = pd.read_csv(io.StringIO(scorecard.scorecard_csv(frame)), dtype=str)
    assert out.loc[0, "indicator"] == "'=cmd|' /C calc'!A0"
    assert out.loc[0, "latest_value"] == "-3.0"
