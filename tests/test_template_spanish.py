"""Spanish entry templates: the workbook downloaded from the Spanish page (or written by
`rba template --lang es`) has Spanish headers and instructions, and imports back as it is;
the Spanish problem table names the sheet and columns as that template does."""

from __future__ import annotations

import base64
import importlib
import io
from pathlib import Path

import openpyxl
import sqlalchemy as sa
from click.testing import CliRunner
from dash import Dash
from factories import as_user, basic_workbook, by_id, text

from dashboards import ids
from rba.cli import main
from rba.i18n.labels import label
from rba.models import Indicator, Observation
from rba.services import exports, imports
from rba.store import connect


def filled(book: openpyxl.Workbook, value: float) -> bytes:
    """The template with ``value`` typed in the first row's value cell."""
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=[c.value for c in sheet[1]].index("valor") + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_spanish_template_is_in_spanish_and_imports_back(factory) -> None:  # noqa: ANN001
    from factories import seed_store

    with factory() as seeding:
        seed_store(seeding)
        seeding.commit()
    session = factory()
    session.execute(sa.update(Indicator).values(name_es="Nombre en español"))
    buffer = io.BytesIO()
    rows = exports.write_entry_template(session=session, path=buffer, period="2024-25",
                                        team="academics", lang="es")
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames[0] == "observaciones"
    header = [c.value for c in book["observaciones"][1]]
    assert header[:7] == ["indicador", "periodo", "valor", "numerador", "denominador",
                          "estado", "nota"]
    assert "nombre (para referencia)" in header and "valor anterior (para referencia)" in header
    about = book["_about"]["A1"].value
    assert "Subir" in about and "panel" in about and "Fill in" not in about
    plan = imports.plan_upload(session=session, data=filled(book, 82.3), name="entrada.xlsx")
    assert plan.problems == [] and plan.summary()["observations"]["added"] == 1
    assert rows == 2  # the total and Altadena, as last period had
    sheet = book["observaciones"]
    name, unit = header.index("nombre (para referencia)"), header.index(
        "unidad (para referencia)")
    first = session.scalar(sa.select(Indicator).where(Indicator.code == sheet.cell(2, 1).value))
    assert sheet.cell(2, name + 1).value == "Nombre en español"
    assert sheet.cell(2, unit + 1).value == label("unit", first.unit.value, "es")
    assert sheet.cell(2, unit + 1).value != first.unit.value  # in words, not the code


def test_rba_template_lang_es_round_trip(cli_env: str, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["import", str(basic_workbook(tmp_path / "b.xlsx"))])
    path = tmp_path / "plantilla.xlsx"
    result = runner.invoke(main, ["template", str(path), "--period", "2023-24", "--lang", "es"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    sheet = book["observaciones"]
    absence = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "absence")
    sheet.cell(absence, 3, 11.5)
    book.save(path)
    result = runner.invoke(main, ["import", str(path)])
    assert result.exit_code == 0, result.output
    with connect(cli_env)() as session:
        assert session.scalar(sa.select(Observation.value).join(Indicator).where(
            Indicator.code == "absence", Observation.period == "2023-24")) == 11.5


def test_the_spanish_upload_page_downloads_a_spanish_template(app: Dash) -> None:
    upload = importlib.import_module("dashboards.pages.upload")
    with as_user(app, "coordinator", "/upload?lang=es"):
        download, note = upload.download_template(1, "2024-25", "academics")
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    assert [c.value for c in book["observaciones"][1]][:3] == ["indicador", "periodo", "valor"]
    with as_user(app, "coordinator", "/upload?lang=es"):
        data = filled(book, 145)
        view, *_rest = upload.check_upload(
            "data:application/octet-stream;base64," + base64.b64encode(data).decode(),
            "entrada.xlsx")
    problems = text(by_id(view, ids.UPLOAD_PROBLEMS))
    assert "entrada.xlsx observaciones 2 valor 145" in problems
    assert "observations" not in problems and " value " not in problems
