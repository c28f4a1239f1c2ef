"""Undo on the batch page: the first click shows what would be restored (in names, periods
and groups) and what cannot be; "Confirm undo" writes it as one batch by the signed-in
person; only coordinators and admins may do either."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
import sqlalchemy as sa
from dash import Dash
from factories import ALTADENA, as_user, by_id, counts, text
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboards import ids
from rba.models import Batch, Indicator, Observation
from rba.services import imports, locks

CSV = ("indicator,period,value,city\ngrad_rate,2023-24,82.6,\ngrad_rate,2023-24,77.6,Altadena\n"
       "grad_rate,2024-25,82.4,\n")


def batch_page() -> Any:
    return importlib.import_module("dashboards.pages.batch")


def uploaded(app: Dash, csv: str = CSV) -> str:
    """A batch written as the coordinator's upload would write it."""
    factory = app.server.config["RBA_SESSION_FACTORY"]
    with factory() as session:
        plan = imports.plan_upload(session=session, data=csv.encode(), name="observations.csv")
        batch = imports.apply(session=session, plan=plan, actor="coord@example.org",
                              source="upload")
        session.commit()
    return batch


def grad(app: Dash, period: str, dimensions: str = "{}") -> float | None:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return session.scalar(sa.select(Observation.value).join(Indicator).where(
            Indicator.code == "grad_rate", Observation.period == period,
            Observation.dimensions == dimensions))


def test_the_first_click_shows_what_would_be_restored_in_words_and_writes_nothing(
        app: Dash) -> None:
    batch = uploaded(app)
    before = counts(app)
    with as_user(app, "coordinator", f"/batches/{batch}"):
        view, checked, confirm, _done = batch_page().preview_undo(1, batch)
    words = text(view)
    assert ("High school graduation rate School year 2023-24 Total put back value : 82.6 → 82.1"
            in words.replace(" · ", " "))
    assert "City: Altadena put back value : 77.6 → 77.1" in words
    assert "School year 2024-25 Total withdrawn value : 82.4 → —" in words.replace(" · ", " ")
    assert "nan" not in words
    assert "{}" not in words and "|" not in words
    assert checked["batch"] == batch and confirm != batch_page().HIDDEN
    assert counts(app) == before


def test_confirm_undoes_it_as_one_batch_recorded_as_the_signed_in_person(app: Dash) -> None:
    batch = uploaded(app)
    with as_user(app, "admin", f"/batches/{batch}"):
        _view, checked, _confirm, _done = batch_page().preview_undo(1, batch)
        done, cleared, confirm, _preview = batch_page().confirm_undo(1, batch, checked)
    new = by_id(done, ids.UNDO_NEW_BATCH).children
    assert "Undone" in text(done) and "admin@example.org" in text(done)
    assert cleared is None and confirm == batch_page().HIDDEN  # a second click cannot repeat it
    assert grad(app, "2023-24") == 82.1 and grad(app, "2023-24", ALTADENA) == 77.1
    assert grad(app, "2024-25") is None
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        record = session.get(Batch, new)
        assert (record.actor, record.source.value) == ("admin@example.org", "undo")
        assert record.description == f"undo of batch {batch}"


def test_later_changes_and_locked_periods_are_shown_and_block_the_undo(app: Dash) -> None:
    batch = uploaded(app)
    uploaded(app, "indicator,period,value\ngrad_rate,2023-24,82.8\n")
    factory = app.server.config["RBA_SESSION_FACTORY"]
    with factory() as session:
        locks.lock(session=session, period="2024-25", codes=["grad_rate"], actor="c@x.org")
        session.commit()
    before = counts(app)
    with as_user(app, "coordinator", f"/batches/{batch}"):
        view, checked, confirm, _done = batch_page().preview_undo(1, batch)
        refused, *_rest = batch_page().confirm_undo(1, batch, {"batch": batch,
                                                                "fingerprint": "forged"})
    blocked = text(by_id(view, ids.UNDO_BLOCKED)).replace(" · ", " ")
    assert ("High school graduation rate School year 2023-24 Total: value was changed after "
            "this batch (it left 82.6, it is now 82.8)") in blocked
    assert "High school graduation rate School year 2024-25 is locked (by c@x.org)" in blocked
    assert "rba unlock" not in blocked
    assert checked is None and confirm == batch_page().HIDDEN
    assert "Something changed since the preview" in text(refused)
    assert counts(app) == before


@pytest.mark.parametrize("role, error", [(None, Unauthorized), ("viewer", Forbidden),
                                         ("team_member", Forbidden)])
def test_only_coordinators_and_admins_may_preview_or_undo(app: Dash, role: str | None,
                                                          error: type) -> None:
    batch = uploaded(app)
    with as_user(app, "coordinator", f"/batches/{batch}"):
        _view, checked, _c, _d = batch_page().preview_undo(1, batch)
    before = counts(app)
    with as_user(app, role, f"/batches/{batch}"), pytest.raises(error):
        batch_page().preview_undo(1, batch)
    with as_user(app, role, f"/batches/{batch}"), pytest.raises(error):
        batch_page().confirm_undo(1, batch, checked)
    assert counts(app) == before


def test_the_batch_page_names_records_and_sources_in_words(app: Dash) -> None:
    batch = uploaded(app)
    with as_user(app, "coordinator", f"/batches/{batch}"):
        layout = batch_page().layout(batch_id=batch)
    words = text(layout)
    assert "upload" in words and "form" not in words.split()
    table = text(by_id(layout, ids.BATCH_TABLE))
    assert "High school graduation rate · School year 2023-24 · City: Altadena" in table
    assert "|" not in table and "{}" not in table
    assert "Undo this batch" in words


def test_the_batch_page_in_spanish(app: Dash) -> None:
    batch = uploaded(app)
    with as_user(app, "coordinator", f"/batches/{batch}?lang=es"):
        layout = batch_page().layout(batch_id=batch, lang="es")
        view, *_rest = batch_page().preview_undo(1, batch)
    assert "Deshacer este lote" in text(layout)
    assert "Año escolar 2023-24" in text(view)
