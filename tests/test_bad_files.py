"""Bad files: every one refused with the same message through `rba import` and the upload
page (never a traceback or a 500), on SQLite and PostgreSQL alike, with nothing written."""

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
from click.testing import CliRunner
from dash import Dash
from factories import as_user, seed_program, seed_store, seed_users, text

from dashboards.app import create_app
from rba.cli import main
from rba.models import AuditEvent
from rba.store import connect, session_scope


def workbook(rows: list[list[Any]], title: str = "observations") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, change: Any, stored: bool = False) -> bytes:
    """The workbook with each part's bytes passed through change(name, bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(
            out, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return out.getvalue()


def nan_cell() -> bytes:
    book = workbook([["indicator", "period", "value"], ["grad_rate", "2024-25", 83.5]])
    return rezip(book, lambda name, body: body.replace(b"<v>83.5</v>", b"<v>NaN</v>")
                 if name.startswith("xl/worksheets/") else body)


def bad_crc() -> bytes:
    book = rezip(workbook([["indicator", "period", "value"], ["grad_rate", "2024-25", 83.5]]),
                 lambda name, body: body, stored=True)
    return book.replace(b"grad_rate", b"grad_ratf", 1)  # the stored CRC no longer matches


def huge_comment() -> bytes:
    book = workbook([["indicator", "period", "value"], ["grad_rate", "2024-25", 83.5]])
    return rezip(book, lambda name, body: body.replace(
        b"<sheetData>", b"<!--" + b"x" * 200_000 + b"--><sheetData>")
        if name.startswith("xl/worksheets/") else body)


#: (file name, bytes, what the refusal says)
BAD_FILES = [
    ("observations.csv", "indicator,period,value\ngrad_rate,2024-25,８３\n".encode(),
     "expected a number"),
    ("observations.csv", b"indicator,period,value,note\ngrad_rate,2024-25,83,a\x00b\n",
     "holds a control character (U+0000) that text may not hold"),
    ("observations.csv", b"indicator,period,value\nhidden,2024,7.5\n",
     "a count is a whole number"),
    ("indicators.csv", b"code,result,name,unit,per,polarity,frequency\n"
     b"new_rate,R2,New rate,rate,-1000,down,year\n",
     "per is a positive number, e.g. 1000 for per 1,000"),
    ("programs.csv", b"code,name,annual_funding\nnew_prog,New program,-5000\n",
     "annual funding cannot be negative"),
    ("teams.csv", b"slug,name\n../etc,Team\n", "a code is letters, digits, -, _ and ."),
    ("results.csv", b"code,name\nR 9,Result nine\n", "a code is letters, digits, -, _ and ."),
    ("indicators.csv", b"code,result,name,unit,polarity,frequency\nlong,R2," + b"n" * 301
     + b",count,up,year\n", "301 characters; the limit is 300"),
    ("observations.csv", b"", "the file is empty"),
    ("observations.csv", workbook([["indicator", "period", "value"]]),
     "this is an Excel workbook (.xlsx), not a CSV: name it .xlsx"),
    ("observations.csv", b"indicator,period,value," + b",".join(
        b"c%d" % i for i in range(1000)) + b"\n", "1,003 columns; the limit is 200"),
    ("book.xlsx", nan_cell(), "a cell holds NaN where a number is stored: expected a number"),
    ("book.xlsx", bad_crc(), "the workbook is damaged"),
    ("book.xlsx", huge_comment(), "holds one piece of XML of 200,"),
    ("book.xlsx", b"PK\x03\x04 not really a zip", "not a .xlsx workbook"),
]


@pytest.fixture
def seeded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Dash]:
    with session_scope(connect(db_url)) as session:
        seed_store(session)
        seed_users(session)
        seed_program(session)
    monkeypatch.setenv("RBA_DATABASE_URL", db_url)
    monkeypatch.setenv("RBA_ACTOR", "cli:tester")
    return db_url, create_app(db_url)


def events(url: str) -> int:
    with connect(url)() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) or 0


@pytest.mark.parametrize(("name", "data", "expected"), BAD_FILES,
                         ids=[f"{i}-{e[:30]}" for i, (_n, _d, e) in enumerate(BAD_FILES)])
def test_a_bad_file_is_refused_the_same_way_by_the_cli_and_the_upload_page(
        seeded: tuple[str, Dash], tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    url, app = seeded
    before = events(url)
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["import", str(path)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    cli = " ".join(result.output.split())
    assert expected in cli
    assert "Traceback" not in result.output
    upload = importlib.import_module("dashboards.pages.upload")
    contents = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    with as_user(app, "coordinator", "/upload"):
        view, checked, disabled, _ = upload.check_upload(contents, name)
    shown = " ".join(text(view).split())
    assert expected in shown
    assert checked is None and disabled is True
    assert events(url) == before


def test_a_utf16_csv_is_read_as_text(seeded: tuple[str, Dash], tmp_path: Path) -> None:
    csv = "indicator,period,value\ngrad_rate,2024-25,83.5\n"
    for encoding in ("utf-16", "utf-16-le"):
        path = tmp_path / "observations.csv"
        path.write_bytes(csv.encode(encoding))
        result = CliRunner().invoke(main, ["import", "--dry-run", str(path)],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "added observations grad_rate 2024-25 {}" in result.output


def test_a_lead_partner_may_have_a_comma_in_its_name(seeded: tuple[str, Dash],
                                                     tmp_path: Path) -> None:
    name = "Boys & Girls Club of Pasadena, Inc."
    (tmp_path / "partners.csv").write_text(f'name,type\n"{name}",nonprofit\n')
    (tmp_path / "programs.csv").write_text(
        f'code,name,lead_partner,partners\nclub,Club hours,"{name}","{name}"\n')
    for file in ("partners.csv", "programs.csv"):
        result = CliRunner().invoke(main, ["import", str(tmp_path / file)],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
    export = tmp_path / "programs-out.csv"
    CliRunner().invoke(main, ["export", str(export), "--sheet", "programs"],
                       catch_exceptions=False)
    assert name in export.read_text()


def test_text_as_long_as_a_column_holds_is_stored_on_every_database(
        seeded: tuple[str, Dash], tmp_path: Path) -> None:
    """The limit is the column's: 300 characters go in (and come back), 301 do not."""
    path = tmp_path / "indicators.csv"
    path.write_text("code,result,name,unit,polarity,frequency\nlong,R2," + "é" * 300
                    + ",count,up,year\n")
    result = CliRunner().invoke(main, ["import", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with connect(seeded[0])() as session:
        from rba.models import Indicator

        stored = session.scalar(sa.select(Indicator.name).where(Indicator.code == "long"))
    assert stored == "é" * 300
