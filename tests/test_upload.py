"""The upload page: a dry run shows what would change and every problem; commit writes it."""

from __future__ import annotations

import base64
import importlib
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from dash import Dash
from factories import as_user, by_id, callback_body, counts, data_url, post_callback, sign_in, text
from flask.testing import FlaskClient

from dashboards import ids
from dashboards.components.import_plan import decode_upload
from rba.ingest import InputRejected
from rba.models import Batch, Observation
from rba.workbook.read import MAX_FILE_BYTES

GOOD = "indicator,period,value\ngrad_rate,2024-25,83.0\ngrad_rate,2023-24,82.4\n"
BAD = ("indicator,period,value,city\ngrad_rate,2024-25,145,\nnope,2024-25,1,\n"
       "grad_rate,2024,50,\ngrad_rate,2024-25,50,Glendale\n")



def upload_page() -> Any:
    return importlib.import_module("dashboards.pages.upload")


def check(app: Dash, csv: str, name: str = "observations.csv") -> tuple:
    with as_user(app, "coordinator", "/upload"):
        return upload_page().check_upload(data_url(csv), name)


def test_dry_run_shows_counts_and_changes_and_writes_nothing(app: Dash) -> None:
    before = counts(app)
    view, checked, disabled, _committed = check(app, GOOD)
    words = text(view)
    summary = text(by_id(view, ids.UPLOAD_SUMMARY))
    assert "observations 1 1 0 0 0" in summary  # added, changed, unchanged, skipped, rejected
    changes = text(by_id(view, ids.UPLOAD_CHANGES))
    assert ("added High school graduation rate · School year 2024-25 · Total value — 83"
            in changes)
    assert ("changed High school graduation rate · School year 2023-24 · Total value 82.1 82.4"
            in changes)
    assert "{}" not in changes and "grad_rate" not in changes
    assert "No problems found" in words and "Nothing has been written yet" in words
    assert checked is not None and disabled is False
    assert counts(app) == before


def test_every_problem_is_listed_with_file_sheet_row_column_value(app: Dash) -> None:
    view, checked, disabled, _ = check(app, BAD)
    table = by_id(view, ids.UPLOAD_PROBLEMS)
    words = text(table)
    assert "4 problems: nothing was written" in words
    for expected in ("observations.csv observations 2 value 145 a percent lies between 0 and 100",
                     "observations.csv observations 3 indicator nope unknown indicator code",
                     "observations.csv observations 4 period 2024",
                     "observations.csv observations 5 city Glendale unknown city group"):
        assert expected in words, expected
    assert checked is None and disabled is True


def test_problems_are_listed_in_the_language_of_the_page(app: Dash) -> None:
    with as_user(app, "coordinator", "/upload?lang=es"):
        view, *_ = upload_page().check_upload(data_url(BAD), "observations.csv")
    words = text(by_id(view, ids.UPLOAD_PROBLEMS))
    assert "4 problemas" in words
    for expected in (
            "observations.csv observaciones 2 valor 145 un porcentaje debe estar entre 0 y 100",
            "observations.csv observaciones 3 indicador nope código de indicador desconocido",
            "observations.csv observaciones 4 periodo 2024 '2024' no es un año escolar: se "
            "esperaba una forma como 2023-24; se lee como el año calendario 2024",
            "observations.csv observaciones 5 city Glendale grupo de city desconocido; se "
            "esperaba uno de estos: Altadena, Pasadena"):
        assert expected in words, expected
    with as_user(app, "coordinator", "/upload?lang=es"):
        view, *_ = upload_page().check_upload(data_url(GOOD), "book.xlsx")
    assert "no es un libro .xlsx (no es un archivo zip)" in text(view)


def test_a_workbook_that_cannot_be_opened_is_refused_in_the_language_of_the_page(
        app: Dash) -> None:
    """The sentence is the page's; the reason after it is the reader library's own words."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as book:
        book.writestr("notes.txt", "not a workbook")
    upload = data_url_bytes(archive.getvalue())
    with as_user(app, "coordinator", "/upload?lang=es"):
        view, checked, *_ = upload_page().check_upload(upload, "book.xlsx")
    words = text(by_id(view, ids.UPLOAD_PROBLEMS))
    assert "book.xlsx" in words and "cannot open" not in words
    assert "no se puede abrir el libro: \"There is no item named" in words
    assert checked is None
    view, *_ = check_bytes(app, archive.getvalue(), "book.xlsx")
    assert "cannot open the workbook: \"There is no item named" in text(view)


def data_url_bytes(data: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


def check_bytes(app: Dash, data: bytes, name: str) -> tuple:
    with as_user(app, "coordinator", "/upload"):
        return upload_page().check_upload(data_url_bytes(data), name)


@pytest.mark.parametrize("name, message", [
    ("figures.csv", "cannot tell which sheet this CSV holds"),
    ("observations.pdf", "expected a .xlsx workbook or a .csv file"),
    ("book.xlsx", "not a .xlsx workbook"),
])
def test_unreadable_files_are_refused_with_a_reason(app: Dash, name: str, message: str) -> None:
    view, checked, _disabled, _ = check(app, GOOD, name)
    assert message in text(view) and checked is None


def test_the_size_cap_holds_whatever_the_browser_says() -> None:
    big = "data:text/csv;base64," + "A" * (MAX_FILE_BYTES * 4 // 3 + 8)
    with pytest.raises(InputRejected, match="larger than the limit"):
        decode_upload(big, "observations.csv")
    with pytest.raises(InputRejected, match="could not be decoded"):
        decode_upload("data:text/csv;base64,@@@", "observations.csv")


def test_requests_over_the_server_limit_get_413(client: FlaskClient, app: Dash) -> None:
    sign_in(client, "coordinator")
    limit = app.server.config["MAX_CONTENT_LENGTH"]
    response = client.post("/_dash-update-component", data=b"x" * (limit + 1),
                           content_type="application/json")
    assert response.status_code == 413


def test_commit_writes_the_checked_plan_as_one_form_batch(app: Dash) -> None:
    _view, checked, _disabled, _ = check(app, GOOD)
    with as_user(app, "coordinator", "/upload"):
        message, cleared, disabled, _result = upload_page().commit_upload(
            1, data_url(GOOD), "observations.csv", checked)
    words = text(message)
    assert "Imported" in words and "coord@example.org" in words
    batch_id = by_id(message, "committed-batch").children
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        batch = session.get(Batch, batch_id)
        assert batch.source.value == "upload" and batch.actor == "coord@example.org"
        value = session.scalar(sa.select(Observation.value).where(
            Observation.period == "2024-25", Observation.dimensions == "{}"))
    assert value == 83.0
    assert cleared is None and disabled is True  # a second click cannot commit it again
    # The dry run's "nothing has been written yet" goes: only "Imported." and the link stay.
    assert _result == [] and "Nothing has been written" not in words
    assert by_id(message, "committed-batch").href == f"/batches/{batch_id}"


def test_commit_refuses_when_the_store_changed_since_the_dry_run(app: Dash) -> None:
    _view, checked, _disabled, _ = check(app, GOOD)
    other = "indicator,period,value\ngrad_rate,2023-24,82.2\n"
    _v, other_checked, _d, _ = check(app, other)
    with as_user(app, "admin", "/upload"):
        upload_page().commit_upload(1, data_url(other), "observations.csv", other_checked)
    before = counts(app)
    with as_user(app, "coordinator", "/upload"):
        message, rechecked, disabled, view = upload_page().commit_upload(
            1, data_url(GOOD), "observations.csv", checked)
    assert "The store has changed since the check" in text(message)
    assert "82.2 82.4" in text(view)  # the new dry run: old value is the admin's
    assert counts(app) == before
    assert rechecked is not None and disabled is False  # commit again after reading it


def test_commit_refuses_a_different_file_than_the_one_checked(app: Dash) -> None:
    _view, checked, _disabled, _ = check(app, GOOD)
    other = GOOD.replace("83.0", "84.0")
    before = counts(app)
    with as_user(app, "coordinator", "/upload"):
        message, *_ = upload_page().commit_upload(1, data_url(other), "observations.csv",
                                                  checked)
    assert "not the file that was checked" in text(message)
    assert counts(app) == before


def test_a_workbook_upload_goes_through_the_same_path(app: Dash, tmp_path: Path) -> None:
    from factories import write_workbook

    path = write_workbook(tmp_path / "book.xlsx", {"observations": [
        {"indicator": "arrests", "period": "2024", "value": 4.0}]})
    contents = "data:application/octet-stream;base64," + base64.b64encode(
        path.read_bytes()).decode()
    with as_user(app, "coordinator", "/upload"):
        view, checked, _disabled, _ = upload_page().check_upload(contents, "book.xlsx")
    assert "Juvenile arrests · 2024 · Total value — 4" in text(view) and checked is not None


def test_template_download_for_a_period_and_team(app: Dash) -> None:
    with as_user(app, "coordinator", "/upload"):
        download, note = upload_page().download_template(1, "2024-25", "academics")
    assert download["filename"] == "entry-2024-25-academics.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    rows = list(book["observations"].values)
    assert rows[0][:3] == ("indicator", "period", "value")
    assert {r[0] for r in rows[1:]} == {"grad_rate"}
    assert "rows to fill in" in text(note)


def test_template_for_an_unknown_team_says_why(app: Dash) -> None:
    with as_user(app, "coordinator", "/upload"):
        download, note = upload_page().download_template(1, None, "no-such-team")
    assert "no indicators for team 'no-such-team'" in text(note)
    with as_user(app, "coordinator", "/upload?lang=es"):
        download, note = upload_page().download_template(1, "20xx", None)
    assert text(note).startswith("'20xx' no es un período válido: las formas aceptadas son")


def test_upload_through_http_as_the_browser_sends_it(client: FlaskClient, app: Dash) -> None:
    sign_in(client, "coordinator")
    check_output = next(o for o in app.callback_map if o.startswith("..upload-result."))
    response = post_callback(client, callback_body(app, check_output, {
        (ids.UPLOAD_FILE, "contents"): data_url(GOOD),
        (ids.UPLOAD_FILE, "filename"): "observations.csv"}))
    assert response.status_code == 200
    assert "No problems found" in response.get_data(as_text=True)


