"""The entry grid: rows for a period and team, checked like an import, saved as one batch,
and two people editing at once never overwrite each other."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import sqlalchemy as sa
from dash import Dash
from factories import USERS, as_user, counts, seed_store, text

from rba.models import Batch, Observation
from rba.store import session_scope
from rba.store.entry import changed_since, entry_grid
from rba.store.locks import lock

ALTADENA = 'grad_rate|2023-24|{"city":"Altadena"}'
TOTAL = "grad_rate|2023-24|{}"



def entry() -> Any:
    return importlib.import_module("dashboards.pages.entry")


def load(app: Dash, role: str = "coordinator", period: str = "2023-24") -> tuple:
    with as_user(app, role, "/entry"):
        return entry().load_grid(1, period, "academics")


def by_row(rows: list[dict]) -> dict[str, dict]:
    return {r["row_id"]: r for r in rows}


def test_problems_are_marked_in_the_language_of_the_page(app: Dash) -> None:
    rows, _c, loaded, *_ = load(app)
    grid = by_row(rows)
    grid[TOTAL]["value"] = "145"
    grid[ALTADENA]["value"] = "lots"
    with as_user(app, "coordinator", "/entry?lang=es"):
        marked, status = entry().check_grid([{}], list(grid.values()), loaded)
    marked_rows = by_row(marked)
    assert marked_rows[TOTAL]["problem"].endswith(
        "; valor: un porcentaje debe estar entre 0 y 100")
    assert marked_rows[TOTAL]["problem"].startswith(
        "valor: no coincide con numerador / denominador, que da 82.1")
    assert marked_rows[ALTADENA]["problem"] == (
        "valor: se esperaba un número como 1234, 1,234.5 o 45%")
    assert marked_rows[TOTAL]["problem_cols"] == ["value"]  # the column's field, not words
    words = text(status)
    assert "2 filas tienen problemas" in words
    assert "valor: un porcentaje debe estar entre 0 y 100" in words
    assert "percent" not in words and "expected" not in words


def test_store_grid_has_current_values_revisions_and_previous_values(app: Dash) -> None:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        frame, dims = entry_grid(session=session, period="2023-24", team="academics")
    assert dims == ["city"]
    total = frame[(frame["indicator"] == "grad_rate") & (frame["dimensions"] == "{}")].iloc[0]
    assert total["value"] == 82.1 and total["revision"] == 1 and total["entered_by"] == "test"
    assert total["previous_period"] == "2022-23" and total["previous_value"] == 82.0
    assert total["unit"] == "percent"


def test_grid_rows_show_units_previous_values_and_who_entered(app: Dash) -> None:
    rows, columns, loaded, locks, status, _ = load(app)
    total = by_row(rows)[TOTAL]
    assert total["unit"] == "Percent" and total["previous"] == "82.0%"
    assert total["value"] == "82.1" and total["_rev"] == 1 and total["entered_by"] == "test"
    assert total["group"] == "Total" and by_row(rows)[ALTADENA]["group"] == "City: Altadena"
    assert "history?entity=observation" in total["history"]
    assert loaded == {"period": "2023-24", "team": "academics", "dims": ["city"]}
    assert "rows to enter" in text(status) and locks == []
    assert {c["field"] for c in columns} >= {"value", "numerator", "denominator", "previous"}


def test_an_unknown_period_says_why(app: Dash) -> None:
    rows, _c, _l, _locks, status, _ = load(app, period="2024-Q9")
    assert rows == [] and text(status) == ("'2024-Q9' is not a valid period: quarters run from "
                                           "Q1 to Q4")
    with as_user(app, "coordinator", "/entry?lang=es"):
        rows, _c, _l, _locks, status, _ = entry().load_grid(1, "2024-Q9", "academics")
    assert rows == [] and text(status).startswith("'2024-Q9' no es un período válido:")


def test_problems_are_marked_as_you_type_with_the_import_rules(app: Dash) -> None:
    rows, _c, loaded, *_ = load(app)
    grid = by_row(rows)
    grid[TOTAL]["value"] = "145"
    grid[ALTADENA]["numerator"] = "10"
    before = counts(app)
    with as_user(app, "coordinator", "/entry"):
        marked, status = entry().check_grid([{}], list(grid.values()), loaded)
    marked_rows = by_row(marked)
    assert "value: a percent lies between 0 and 100" in marked_rows[TOTAL]["problem"]
    assert marked_rows[TOTAL]["problem_cols"] == ["value"]
    assert "disagrees with numerator / denominator" in marked_rows[ALTADENA]["problem"]
    assert "2 rows changed" in text(status) and "2 rows have problems" in text(status)
    assert counts(app) == before


def test_save_writes_edited_rows_as_one_grid_batch(app: Dash) -> None:
    rows, _c, loaded, *_ = load(app)
    grid = by_row(rows)
    grid[TOTAL]["value"] = "82.3"
    grid[TOTAL]["numerator"] = grid[TOTAL]["denominator"] = ""
    grid[ALTADENA]["note"] = "checked with PUSD"
    with as_user(app, "coordinator", "/entry"):
        message, fresh, _status = entry().save_grid(1, list(grid.values()), loaded)
    assert "Saved 2 rows as batch" in text(message)
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        batch = session.scalars(sa.select(Batch).order_by(Batch.started_at.desc())).first()
        assert batch.source.value == "grid" and batch.actor == USERS["coordinator"]
        saved = session.scalar(sa.select(Observation).where(
            Observation.period == "2023-24", Observation.dimensions == "{}"))
        assert saved.value == 82.3 and saved.revision == 2 and saved.batch_id == batch.id
    fresh_rows = by_row(fresh)
    assert fresh_rows[TOTAL]["_rev"] == 2 and fresh_rows[TOTAL]["value"] == "82.3"
    assert fresh_rows[TOTAL]["entered_by"] == USERS["coordinator"]


def test_save_with_a_problem_writes_nothing(app: Dash) -> None:
    rows, _c, loaded, *_ = load(app)
    grid = by_row(rows)
    grid[TOTAL]["value"] = "82.3"
    grid[ALTADENA]["value"] = "-4"
    before = counts(app)
    with as_user(app, "coordinator", "/entry"):
        message, marked, _status = entry().save_grid(1, list(grid.values()), loaded)
    assert "Nothing was saved" in text(message)
    assert "a percent lies between 0 and 100" in by_row(marked)[ALTADENA]["problem"]
    assert counts(app) == before


def test_a_cell_changed_since_loading_is_refused_naming_who_and_the_rest_saved(
        app: Dash) -> None:
    mine, _c, loaded, *_ = load(app, "coordinator")
    theirs, *_ = load(app, "admin")
    their_grid = by_row(theirs)
    their_grid[TOTAL]["value"] = "82.2"
    their_grid[TOTAL]["numerator"] = their_grid[TOTAL]["denominator"] = ""
    with as_user(app, "admin", "/entry"):
        entry().save_grid(1, list(their_grid.values()), loaded)
    grid = by_row(mine)
    grid[TOTAL]["value"] = "82.0"
    grid[TOTAL]["numerator"] = grid[TOTAL]["denominator"] = ""
    grid[ALTADENA]["note"] = "mine"
    with as_user(app, "coordinator", "/entry"):
        message, fresh, _status = entry().save_grid(1, list(grid.values()), loaded)
    words = text(message)
    assert "Saved 1 row as batch" in words
    assert f"1 row was not saved because {USERS['admin']} changed it" in words
    note = by_row(fresh)[TOTAL]["problem"]
    assert f"Not saved: {USERS['admin']} changed this value since you loaded it" in note
    assert "to 82.2" in note and "your entry was 82.0" in note
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        total = session.scalar(sa.select(Observation).where(
            Observation.period == "2023-24", Observation.dimensions == "{}"))
        assert total.value == 82.2 and total.entered_by == USERS["admin"]  # theirs kept
        altadena = session.scalar(sa.select(Observation.note).where(
            Observation.period == "2023-24", Observation.dimensions == '{"city":"Altadena"}'))
        assert altadena == "mine"


def test_changed_since_sees_new_values_where_there_were_none(app: Dash) -> None:
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        grad = session.scalar(sa.select(Observation.indicator_id).limit(1))
        session.add(Observation(indicator_id=grad, period="2024-25", value=83,
                                entered_by="someone@example.org"))
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        stale = changed_since(session=session, loaded=[
            {"indicator": "grad_rate", "period": "2024-25", "dimensions": "{}",
             "revision": None},
            {"indicator": "grad_rate", "period": "2023-24", "dimensions": "{}", "revision": 1}])
    assert [(s["period"], s["entered_by"]) for s in stale] == [
        ("2024-25", "someone@example.org")]


def test_a_locked_period_is_shown_read_only_with_its_lock(app: Dash) -> None:
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        lock(session=session, period="2023-24", actor=USERS["admin"], codes=["grad_rate"])
    rows, columns, loaded, locks, *_ = load(app)
    total = by_row(rows)[TOTAL]
    assert total["locked"] is True and total["lock"] == f"Locked by {USERS['admin']}"
    assert "2023-24 is locked for High school graduation rate" in text(locks)
    assert "read-only" in text(locks)
    value = next(c for c in columns if c["field"] == "value")
    assert value["editable"] == {"function": "!params.data.locked"}
    total["value"] = "90"  # a crafted save of a locked row changes nothing
    before = counts(app)
    with as_user(app, "coordinator", "/entry"):
        message, *_ = entry().save_grid(1, [total], loaded)
    assert "Nothing to save" in text(message)
    assert counts(app) == before


@pytest.mark.parametrize("role", ["viewer", "team_member"])
def test_only_editors_may_load_the_grid(app: Dash, role: str) -> None:
    from werkzeug.exceptions import Forbidden

    with pytest.raises(Forbidden):
        load(app, role)


def test_grid_reads_on_each_database_backend(session: Any) -> None:
    seed_store(session)
    session.commit()
    session.expire_all()  # read back as stored (enums, not the strings the seed set)
    frame, dims = entry_grid(session=session, period="2023-24", team="academics")
    assert dims == ["city"] and set(frame["indicator"]) == {"grad_rate"}
    stale = changed_since(session=session, loaded=[
        {"indicator": "grad_rate", "period": "2023-24", "dimensions": "{}", "revision": 0}])
    assert [s["entered_by"] for s in stale] == ["test"]


def test_the_team_grid_speaks_spanish(app: Dash) -> None:
    from rba.models import Dimension

    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        session.scalar(sa.select(Dimension).where(Dimension.name == "city")).label_es = "Ciudad"
    with as_user(app, "coordinator", "/entry?lang=es"):
        rows, columns, *_ = entry().load_grid(1, "2023-24", "academics")
    total = by_row(rows)[TOTAL]
    assert (total["unit"], total["group"]) == ("Porcentaje", "Total")
    assert by_row(rows)[ALTADENA]["group"] == "Ciudad: Altadena"
    assert columns[0]["headerName"] == "Indicador"


@pytest.mark.parametrize("dims", [["city", "city"], "city", 5, [None], ["nonsense"]])
def test_a_crafted_store_of_dimensions_is_checked_not_a_crash(app: Dash, dims: Any) -> None:
    """The page's store of dimension columns comes back from the browser: whatever it says,
    the edited total is checked and saved as the total, and nothing else is written."""
    rows, _c, loaded, *_ = load(app)
    grid = by_row(rows)
    grid[TOTAL]["value"] = "82.3"
    grid[TOTAL]["numerator"] = grid[TOTAL]["denominator"] = ""
    crafted = {**loaded, "dims": dims}

    def observations() -> list[tuple]:
        with app.server.config["RBA_SESSION_FACTORY"]() as session:
            return [tuple(r) for r in session.execute(sa.select(
                Observation.id, Observation.period, Observation.dimensions, Observation.value
            ).order_by(Observation.id))]

    before = observations()
    with as_user(app, "coordinator", "/entry"):
        marked, status = entry().check_grid([{}], list(grid.values()), crafted)
        message, *_rest = entry().save_grid(1, list(grid.values()), crafted)
    assert "1 row changed" in text(status) and not by_row(marked)[TOTAL].get("problem")
    assert "Saved 1 row as batch" in text(message)
    after = observations()
    changed = [a for a, b in zip(after, before, strict=True) if a != b]
    assert len(after) == len(before)
    assert [(p, d, v) for _id, p, d, v in changed] == [("2023-24", "{}", 82.3)]
