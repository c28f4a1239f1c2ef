"""`rba demo` twice changes nothing; export then import into an empty store reproduces it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from factories import SAMPLE_DIR
from sqlalchemy.orm import Session, sessionmaker

from rba.ingest import plan_import
from rba.models import AuditEvent, Observation
from rba.services.demo import load_sample
from rba.services.exports import export_sheet, export_workbook
from rba.sheets import SHEETS
from rba.store import connect, migrate, session_scope
from rba.store.content import sheet_frame
from rba.store.imports import apply_plan


def snapshot(factory: sessionmaker[Session]) -> dict[str, pd.DataFrame]:
    with factory() as session:
        return {s.name: sheet_frame(session=session, sheet=s.name) for s in SHEETS}


def assert_same_content(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False, obj=name)


def test_demo_twice_leaves_identical_content_and_no_new_audit(
        factory: sessionmaker[Session]) -> None:
    with session_scope(factory) as session:
        _, batch = load_sample(session=session, sample_dir=SAMPLE_DIR, actor="t")
    assert batch is not None
    first = snapshot(factory)
    with factory() as session:
        events = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    with session_scope(factory) as session:
        plan, batch = load_sample(session=session, sample_dir=SAMPLE_DIR, actor="t")
    assert batch is None and not plan.has_changes
    assert_same_content(first, snapshot(factory))
    with factory() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events
    assert len(first["results"]) == 7
    assert len(first["observations"]) > 1000


def test_export_then_import_into_an_empty_store_reproduces_it(
        sample_factory: sessionmaker[Session], tmp_path: Path, empty_db_url: str) -> None:
    with session_scope(sample_factory) as session:
        freeze_sample_baseline(session)
        export_workbook(session=session, path=tmp_path / "all.xlsx")
    original = snapshot(sample_factory)
    assert len(original["baselines"]) > 20  # frozen forecasts travel with the content
    # A second, empty database on the same backend.
    other_url = _sibling(empty_db_url, tmp_path)
    migrate.upgrade(other_url)
    other = connect(other_url)
    with session_scope(other) as session:
        plan = plan_import(session, tmp_path / "all.xlsx")
        assert plan.problems == []
        apply_plan(session=session, plan=plan, actor="t")
    assert_same_content(original, snapshot(other))
    with session_scope(other) as session:
        again = plan_import(session, tmp_path / "all.xlsx")
    assert not again.has_changes
    other.kw["bind"].dispose()


def freeze_sample_baseline(session: Session) -> None:
    """Freeze chronic absence's baselines (every group) through 2021-22, as a team would."""
    from rba.calc import frozen_baseline
    from rba.report.curves import ordinal_summary
    from rba.services.curves import indicator_curve
    from rba.store.baselines import freeze

    curve = indicator_curve(session=session, code="chronic_absence",
                            baseline_through="2021-22", method="linear")
    freeze(session=session, code="chronic_absence", actor="t", summary=curve.summary,
           points=frozen_baseline(curve.rows, ordinal_summary(curve)))


def _sibling(url: str, tmp_path: Path) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'other.db'}"
    # The fixture's PostgreSQL database was already migrated by `factory`: use a schema-free
    # copy in a second database.
    from postgres_databases import postgres_url

    return postgres_url("other")


def test_csv_export_of_one_sheet_imports_back_unchanged(
        sample_factory: sessionmaker[Session], tmp_path: Path) -> None:
    with session_scope(sample_factory) as session:
        rows = export_sheet(session=session, path=tmp_path / "observations.csv",
                           sheet="observations")
    assert rows == len(snapshot(sample_factory)["observations"])
    with sample_factory() as session:
        plan = plan_import(session, tmp_path / "observations.csv")
    assert plan.problems == [] and not plan.has_changes
    assert plan.summary()["observations"]["unchanged"] + plan.summary()["observations"][
        "skipped"] == rows


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-1 cmd", "@SUM(A1)"])
def test_export_neutralises_formulas_and_import_restores_the_text(
        sqlite_url: str, tmp_path: Path, text: str) -> None:
    factory = connect(sqlite_url)
    csv = tmp_path / "teams.csv"
    pd.DataFrame([{"slug": "t", "name": text}]).to_csv(csv, index=False)
    with session_scope(factory) as session:
        plan = plan_import(session, csv)
        apply_plan(session=session, plan=plan, actor="t")
        export_sheet(session=session, path=tmp_path / "out.csv", sheet="teams")
        export_workbook(session=session, path=tmp_path / "out.xlsx")
    assert pd.read_csv(tmp_path / "out.csv")["name"][0] == "'" + text
    import openpyxl

    cell = openpyxl.load_workbook(tmp_path / "out.xlsx")["teams"]["B2"]
    assert cell.data_type == "s" and cell.value == "'" + text
    with factory() as session:
        assert not plan_import(session, tmp_path / "out.csv", sheet="teams").has_changes
        assert not plan_import(session, tmp_path / "out.xlsx").has_changes


def test_observation_count_matches_the_sample_file(
        sample_factory: sessionmaker[Session]) -> None:
    with sample_factory() as session:
        stored = session.scalar(sa.select(sa.func.count()).select_from(Observation))
    rows = sum(len(pd.read_csv(SAMPLE_DIR / f"{name}.csv"))
               for name in ("observations", "measure_observations"))
    assert stored == rows  # indicator and measure figures share the table
