"""The entry grid for a program: its performance measures for a period, checked like an
import of the measure_observations sheet, saved as one audited batch, and two people
editing at once never overwrite each other."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import sqlalchemy as sa
from dash import Dash
from factories import PROGRAM, USERS, as_user, counts, seed_program, seed_store, seed_users, text
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboards.app import create_app
from rba.models import AuditEvent, Batch, Observation, PerformanceMeasure, PeriodLock
from rba.services.exports import TemplateError
from rba.store import connect, session_scope
from rba.store.entry import changed_since, program_grid

SERVED = "bridge_served|2025-Q1|{}"
ON_TIME = "bridge_on_time|2025-Q1|{}"
BETTER = "bridge_better|2025-Q1|{}"


@pytest.fixture
def app(sqlite_url: str) -> Dash:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
        seed_users(session)
        seed_program(session)
    return create_app(sqlite_url)


def entry() -> Any:
    return importlib.import_module("dashboards.pages.entry")


def load(app: Dash, role: str | None = "coordinator", period: str = "2025-Q1",
         path: str = "/entry") -> tuple:
    with as_user(app, role, path):
        return entry().load_grid(1, period, None, PROGRAM)


def by_row(rows: list[dict]) -> dict[str, dict]:
    return {r["row_id"]: r for r in rows}


def save(app: Dash, rows: list[dict], loaded: dict, role: str | None = "coordinator"
         ) -> tuple:
    with as_user(app, role, "/entry"):
        return entry().save_grid(1, rows, loaded)


def stored(app: Dash, code: str, period: str = "2025-Q1") -> Observation | None:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return session.scalar(sa.select(Observation).join(PerformanceMeasure).where(
            PerformanceMeasure.code == code, Observation.period == period))


def test_store_program_grid_lists_measures_in_rba_order_with_last_values(app: Dash) -> None:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        frame = program_grid(session=session, program=PROGRAM, period="2025-Q1")
        with pytest.raises(TemplateError, match="no measure of summer_bridge has periods"):
            program_grid(session=session, program=PROGRAM, period="2025")  # not a quarter
        with pytest.raises(TemplateError, match="no performance measures for program"):
            program_grid(session=session, program="nope")
        next_ones = program_grid(session=session, program=PROGRAM)
    # how much, how well, better off: not the measures' display order
    assert frame["kind"].tolist() == ["how_much", "how_well", "better_off"]
    assert frame["measure"].tolist() == ["bridge_served", "bridge_on_time", "bridge_better"]
    served = frame.iloc[0]
    assert (served["previous_period"], served["previous_value"], served["unit"]) == (
        "2024-Q4", 120.0, "count")
    assert served["name_es"] == "Estudiantes atendidos"
    assert frame["revision"].isna().all() and frame["locked_by"].isna().all()
    assert set(next_ones["period"]) == {"2025-Q1"}  # blank period: each measure's next


def test_loading_a_program_shows_its_measures_kinds_units_and_previous_values(
        app: Dash) -> None:
    rows, columns, loaded, locks, status, _saved = load(app)
    grid = by_row(rows)
    assert list(grid) == [SERVED, ON_TIME, BETTER]
    assert grid[SERVED]["kind"] == "How much did we do?"
    assert grid[BETTER]["kind"] == "Is anyone better off?"
    assert grid[ON_TIME]["unit"] == "Percent" and grid[ON_TIME]["previous"] == "92.0%"
    assert grid[SERVED]["previous"] == "120" and grid[SERVED]["value"] == ""
    assert loaded == {"period": "2025-Q1", "program": PROGRAM, "dims": []}
    assert "3 rows to enter" in text(status) and locks == []
    fields = [c["field"] for c in columns]
    assert fields[:2] == ["name", "kind"] and "group" not in fields
    assert {"value", "numerator", "denominator", "previous", "unit"} <= set(fields)
    assert columns[0]["headerName"] == "Performance measure"


def test_the_program_grid_speaks_spanish(app: Dash) -> None:
    rows, columns, *_ = load(app, path="/entry?lang=es")
    grid = by_row(rows)
    assert grid[SERVED]["name"] == "Estudiantes atendidos"  # name_es
    assert grid[ON_TIME]["name"] == "Sessions that start on time"  # no Spanish: English
    assert grid[SERVED]["kind"] == "¿Cuánto hicimos?"
    assert columns[0]["headerName"] == "Medida de desempeño"


def test_a_sheet_wide_problem_names_the_grid_in_the_language_of_the_page(app: Dash) -> None:
    """A grid whose columns do not fit its sheet (state from another grid) is refused as a
    whole: the grid stands for the file, named in the page's language."""
    rows, _c, loaded, *_ = load(app)
    grid = by_row(rows)
    grid[BETTER]["value"] = "45"
    said = {}
    for lang in ("en", "es"):
        with as_user(app, "coordinator", f"/entry?lang={lang}"):
            _marked, status = entry().check_grid([{}], list(grid.values()),
                                                 {**loaded, "dims": ["city"]})
        said[lang] = text(status)
    assert ("entry grid, sheet measure_observations, column city: unknown column; the "
            "measure_observations sheet has: measure, period") in said["en"]
    assert ("tabla de ingreso, hoja measure_observations, columna city: columna desconocida; "
            "la hoja measure_observations tiene: measure, period") in said["es"]
    assert "entry grid" not in said["es"]


def test_problems_are_marked_as_you_type_with_the_import_rules(app: Dash) -> None:
    rows, _c, loaded, *_ = load(app)
    grid = by_row(rows)
    grid[BETTER]["value"] = "145"
    grid[ON_TIME]["numerator"], grid[ON_TIME]["denominator"] = "60", "50"
    grid[SERVED]["value"] = "-3"
    before = counts(app)
    with as_user(app, "coordinator", "/entry"):
        marked, status = entry().check_grid([{}], list(grid.values()), loaded)
    marked_rows = by_row(marked)
    assert "value: a percent lies between 0 and 100" in marked_rows[BETTER]["problem"]
    assert marked_rows[BETTER]["problem_cols"] == ["value"]
    assert "numerator is larger than the denominator" in marked_rows[ON_TIME]["problem"]
    assert "a count or rate cannot be negative" in marked_rows[SERVED]["problem"]
    words = text(status)
    assert "3 rows have problems" in words
    assert "Students served: value: a count or rate cannot be negative" in words
    assert counts(app) == before


def test_a_refused_save_marks_the_problems_in_the_language_of_the_page(app: Dash) -> None:
    rows, _c, loaded, *_ = load(app, path="/entry?lang=es")
    grid = by_row(rows)
    grid[ON_TIME]["numerator"], grid[ON_TIME]["denominator"] = "60", "50"
    grid[SERVED]["value"] = "-3"
    before = counts(app)
    with as_user(app, "coordinator", "/entry?lang=es"):
        message, marked, status = entry().save_grid(1, list(grid.values()), loaded)
    assert "Nothing was saved" not in text(message)
    marked_rows = by_row(marked)
    assert "numerador: el numerador es mayor que el denominador" in marked_rows[ON_TIME][
        "problem"]
    assert marked_rows[SERVED]["problem"] == (
        "valor: un conteo o una tasa no pueden ser negativos")
    assert "Estudiantes atendidos: valor: un conteo o una tasa no pueden ser negativos" in text(
        status)
    assert counts(app) == before


def test_a_save_writes_one_grid_batch_with_an_audit_event_per_value(app: Dash) -> None:
    rows, _c, loaded, *_ = load(app)
    grid = by_row(rows)
    grid[SERVED]["value"] = "131"
    grid[ON_TIME]["numerator"], grid[ON_TIME]["denominator"] = "45", "50"
    grid[BETTER]["value"], grid[BETTER]["note"] = "64", "end-of-summer survey"
    before = counts(app)
    message, fresh, _status = save(app, list(grid.values()), loaded)
    assert "Saved 3 rows as batch" in text(message)
    after = counts(app)
    assert after["batches"] == before["batches"] + 1
    assert after["observations"] == before["observations"] + 3
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        batch = session.scalars(sa.select(Batch).order_by(Batch.started_at.desc())).first()
        assert batch.source.value == "grid" and batch.actor == USERS["coordinator"]
        assert batch.description == "entry grid: 2025-Q1 program summer_bridge"
        events = session.scalars(sa.select(AuditEvent).where(
            AuditEvent.batch_id == batch.id)).all()
    assert sorted((e.entity, e.entity_id, e.action.value if hasattr(e.action, "value")
                   else e.action) for e in events) == [
        ("measure_observation", BETTER, "create"), ("measure_observation", ON_TIME, "create"),
        ("measure_observation", SERVED, "create")]
    on_time = stored(app, "bridge_on_time")
    assert on_time is not None and on_time.value == pytest.approx(90.0)  # 45 / 50
    assert on_time.batch_id == batch.id and on_time.entered_by == USERS["coordinator"]
    fresh_rows = by_row(fresh)
    assert fresh_rows[SERVED]["_rev"] == 1 and fresh_rows[SERVED]["value"] == "131"
    assert "entity=measure_observation" in fresh_rows[SERVED]["history"]
    # Saving the same entries again changes nothing and writes no batch.
    message, *_ = save(app, fresh, loaded)
    assert "Nothing to save" in text(message) and counts(app) == after


def test_a_cell_someone_saved_since_loading_is_refused_naming_who(app: Dash) -> None:
    mine, _c, loaded, *_ = load(app, "coordinator")
    theirs, *_ = load(app, "admin")
    their_grid = by_row(theirs)
    their_grid[SERVED]["value"] = "140"
    save(app, [their_grid[SERVED]], loaded, role="admin")
    grid = by_row(mine)
    grid[SERVED]["value"] = "135"
    grid[BETTER]["value"] = "63"
    message, fresh, _status = save(app, list(grid.values()), loaded)
    words = text(message)
    assert "Saved 1 row as batch" in words
    assert f"1 row was not saved because {USERS['admin']} changed it" in words
    note = by_row(fresh)[SERVED]["problem"]
    assert f"Not saved: {USERS['admin']} changed this value since you loaded it" in note
    assert "to 140" in note and "your entry was 135" in note
    served, better = stored(app, "bridge_served"), stored(app, "bridge_better")
    assert served is not None and (served.value, served.entered_by) == (140, USERS["admin"])
    assert better is not None and better.value == 63


def test_a_locked_period_is_read_only_and_a_crafted_save_writes_nothing(app: Dash) -> None:
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        measure = session.scalar(sa.select(PerformanceMeasure.id).where(
            PerformanceMeasure.code == "bridge_served"))
        session.add(PeriodLock(measure_id=measure, period="2025-Q1",
                               locked_by=USERS["admin"]))
    rows, _c, loaded, locks, *_ = load(app)
    served = by_row(rows)[SERVED]
    assert served["locked"] is True and served["lock"] == f"Locked by {USERS['admin']}"
    assert "2025-Q1 is locked for Students served" in text(locks)
    assert by_row(rows)[BETTER]["locked"] is False
    served.update(value="150", locked=False)  # the browser claims it is not locked
    before = counts(app)
    message, marked, _status = save(app, [served], loaded)
    assert "Nothing was saved" in text(message)
    assert "bridge_served 2025-Q1 is locked" in by_row(marked)[SERVED]["problem"]
    assert by_row(marked)[SERVED]["problem"].count("is locked") == 1  # one check, not two
    assert counts(app) == before and stored(app, "bridge_served") is None


def test_changed_since_reads_measures(app: Dash) -> None:
    rows, _c, loaded, *_ = load(app)
    grid = by_row(rows)
    grid[SERVED]["value"] = "131"
    save(app, [grid[SERVED]], loaded, role="admin")
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        stale = changed_since(session=session, owner="measure", loaded=[
            {"measure": "bridge_served", "period": "2025-Q1", "dimensions": "{}",
             "revision": None},
            {"measure": "bridge_better", "period": "2024-Q4", "dimensions": "{}",
             "revision": 1}])
    assert [(s["measure"], s["entered_by"]) for s in stale] == [
        ("bridge_served", USERS["admin"])]


@pytest.mark.parametrize(("role", "error"), [(None, Unauthorized), ("viewer", Forbidden),
                                             ("team_member", Forbidden)])
def test_only_editors_load_or_save_a_program_grid(app: Dash, role: str | None,
                                                  error: type[Exception]) -> None:
    rows, _c, loaded, *_ = load(app)
    by_row(rows)[SERVED]["value"] = "131"
    before = counts(app)
    with pytest.raises(error):
        load(app, role)
    with pytest.raises(error):
        save(app, rows, loaded, role=role)
    assert counts(app) == before


def test_program_grid_reads_on_each_database_backend(session: Any) -> None:
    seed_program(session)
    session.commit()
    session.expire_all()
    frame = program_grid(session=session, program=PROGRAM, period="2025-Q1")
    assert frame["measure"].tolist() == ["bridge_served", "bridge_on_time", "bridge_better"]
    assert frame["previous_value"].tolist() == [120.0, 92.0, 61.0]
    stale = changed_since(session=session, owner="measure", loaded=[
        {"measure": "bridge_served", "period": "2024-Q4", "dimensions": "{}", "revision": 0}])
    assert [s["entered_by"] for s in stale] == ["test"]
