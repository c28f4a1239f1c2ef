"""Open data: the /api/v1 routes and `rba publish`. Only published indicators and final
figures, small groups withheld so that none can be worked out, and a Data Package that
`frictionless` accepts."""

from __future__ import annotations

import csv
import io
import json
import math
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from dash import Dash
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from dashboards.app import create_app
from rba.cli import main
from rba.dimensions import dimension_key
from rba.models import Indicator, Observation, Result, ResultTeam, Target
from rba.services.stories import save_story
from rba.store import connect, session_scope
from rba.store.roles import public_role

CITIES = ("Pasadena", "Altadena", "Sierra Madre")
#: Families housed by city (final); Sierra Madre is always under min_n 11.
HOUSED = {"2021-22": (100, 30, 6), "2022-23": (104, 32, 5), "2023-24": (110, 35, 7)}
#: Figures that must never appear in open data: a provisional figure, an unpublished
#: indicator's, and a person's e-mail address.
PROVISIONAL = 777.0
UNPUBLISHED = 424242.0
EMAIL = "canary.person@example.org"


def _seed(session: Session) -> None:
    team = ResultTeam(slug="homes", name="Stable Homes Team", name_es="Equipo de Hogares")
    result = Result(code="R5", name="Stable homes", name_es="Hogares estables",
                    display_order=5, team=team)
    housed = Indicator(code="housed", result=result, name="Families housed",
                       name_es="Familias con vivienda", unit="count", polarity="up",
                       frequency="school_year", kind="headline", dimensions="city", min_n=11,
                       source="County records", source_es="Registros del condado")
    grad = Indicator(code="grad", result=result, name="Graduation rate", unit="percent",
                     polarity="up", frequency="year", kind="headline")
    secret = Indicator(code="secret_canary", result=result, name="Not yet published",
                       unit="count", polarity="up", frequency="year", published=False)
    session.add_all([team, result, housed, grad, secret])
    session.flush()
    rows = [Observation(indicator_id=housed.id, period=year, dimensions=dimension_key(
                {"city": city}), value=value, status="final", entered_by=EMAIL)
            for year, values in HOUSED.items() for city, value in zip(CITIES, values,
                                                                        strict=True)]
    rows.append(Observation(indicator_id=housed.id, period="2024-25", value=PROVISIONAL,
                            dimensions=dimension_key({"city": "Pasadena"}),
                            status="provisional", entered_by=EMAIL))
    rows += [Observation(indicator_id=grad.id, period=str(year), value=value,
                         numerator=value * 10, denominator=1000, status="final",
                         entered_by=EMAIL)
             for year, value in zip(range(2016, 2024), (80, 81, 81.5, 82, 83, 83, 84, 85),
                                    strict=True)]
    rows += [Observation(indicator_id=secret.id, period="2023", value=UNPUBLISHED,
                         status="final", entered_by=EMAIL)]
    rows += [Target(indicator_id=housed.id, period="2025-26", value=170, set_by=EMAIL),
             Target(indicator_id=grad.id, period="2026", value=90, set_by=EMAIL),
             Target(indicator_id=secret.id, period="2026", value=UNPUBLISHED, set_by=EMAIL)]
    session.add_all(rows)
    session.flush()
    save_story(session=session, code="housed", actor=EMAIL,
               fields={"story_behind_the_curve": "Rents rose."})


@pytest.fixture
def seeded_url(sqlite_url: str) -> str:
    with session_scope(connect(sqlite_url)) as session:
        _seed(session)
    return sqlite_url


@pytest.fixture
def api(seeded_url: str) -> FlaskClient:
    return create_app(seeded_url).server.test_client()


@pytest.fixture
def api_any(db_url: str) -> FlaskClient:
    """The API over the seeded store on each backend (SQLite, and PostgreSQL when set)."""
    with session_scope(connect(db_url)) as session:
        _seed(session)
    return create_app(db_url).server.test_client()


@pytest.fixture(scope="module")
def sample_client(sample_app: Dash) -> FlaskClient:
    return sample_app.server.test_client()


def _json(response) -> object:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data(as_text=True))


def _csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


ROUTES = ["/api/v1/", "/api/v1/results", "/api/v1/indicators", "/api/v1/indicators/housed",
          "/api/v1/indicators/housed/observations.csv",
          "/api/v1/indicators/housed/observations.json",
          "/api/v1/indicators/housed/curve.json", "/api/v1/datapackage.json",
          *[f"/api/v1/datapackage/{name}.csv" for name in
            ("results", "indicators", "dimensions", "observations", "targets", "baselines")]]


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_answers_without_sign_in_with_caching_headers(api: FlaskClient,
                                                                  path: str) -> None:
    response = api.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == ("text/csv" if path.endswith(".csv") else "application/json")
    assert response.headers["ETag"] and "max-age" in response.headers["Cache-Control"]
    assert response.headers["Last-Modified"]  # the story's save is the latest write
    assert "Set-Cookie" not in response.headers
    assert api.get(path, headers={"If-None-Match": response.headers["ETag"]}
                   ).status_code == 304


def test_lists_carry_both_languages_and_what_an_indicator_is(api: FlaskClient) -> None:
    results = _json(api.get("/api/v1/results"))
    assert results == [{"result": "R5", "name": "Stable homes", "name_es": "Hogares estables",
                        "description": None, "description_es": None, "team": "homes",
                        "team_name": "Stable Homes Team", "team_name_es": "Equipo de Hogares",
                        "indicators": ["grad", "housed"]}]
    indicators = {i["indicator"]: i for i in _json(api.get("/api/v1/indicators"))}
    assert set(indicators) == {"grad", "housed"}
    housed = indicators["housed"]
    assert {k: housed[k] for k in ("name", "name_es", "unit", "polarity", "frequency",
                                   "source", "source_es", "dimensions", "min_n")} == {
        "name": "Families housed", "name_es": "Familias con vivienda", "unit": "count",
        "polarity": "up", "frequency": "school_year", "source": "County records",
        "source_es": "Registros del condado", "dimensions": ["city"], "min_n": 11}
    assert housed["links"]["observations_csv"] == "/api/v1/indicators/housed/observations.csv"
    one = _json(api.get("/api/v1/indicators/housed"))
    assert one["result_name_es"] == "Hogares estables" and one["dimensions"] == ["city"]


@pytest.mark.parametrize("path", [
    "/api/v1/indicators/secret_canary", "/api/v1/indicators/secret_canary/observations.csv",
    "/api/v1/indicators/secret_canary/observations.json",
    "/api/v1/indicators/secret_canary/curve.json", "/api/v1/indicators/nope",
    "/api/v1/nothing", "/api/v1/indicators/housed/else", "/api/v1/datapackage/people.csv",
    "/api/v1/indicators/housed/observations.xlsx"])
def test_unknown_or_unpublished_is_a_json_404(api: FlaskClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data(as_text=True))["status"] == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/indicators", "/api/v1/results",
                                  "/api/v1/indicators/housed/observations.csv",
                                  "/api/v1/datapackage/results.csv"])
def test_writing_a_route_is_a_json_405_naming_what_it_allows(api: FlaskClient, method: str,
                                                            path: str) -> None:
    response = getattr(api, method)(path)
    assert response.status_code == 405 and response.mimetype == "application/json"
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert json.loads(response.get_data(as_text=True))["status"] == 405


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_writing_to_no_route_is_a_json_404(api: FlaskClient, method: str) -> None:
    for path in ("/api/v1/nothing", "/api/v1/indicators/secret_canary/else"):
        response = getattr(api, method)(path)
        assert response.status_code == 404 and response.mimetype == "application/json"


def _everything(client: FlaskClient) -> str:
    return "\n".join(client.get(path).get_data(as_text=True) for path in ROUTES)


def test_no_canary_reaches_open_data(api_any: FlaskClient) -> None:
    api = api_any
    served = _everything(api)
    assert "secret_canary" not in served and str(UNPUBLISHED).rstrip("0.") not in served
    assert str(int(PROVISIONAL)) not in served
    assert EMAIL not in served and "@" not in served
    rows = _csv(api.get("/api/v1/indicators/housed/observations.csv"))
    sierra = [r for r in rows if r["city"] == "Sierra Madre"]
    assert sierra and all(r["value"] == "" and r["withheld"] == "small group" for r in sierra)
    # Sierra Madre's 6, 5 and 7 are nowhere; Altadena is withheld beside it, so the
    # total less Pasadena gives only the two together.
    assert not {r["value"] for r in rows} & {"6", "5", "7"}
    assert {r["withheld"] for r in rows if r["city"] == "Altadena"} == {
        "would reveal a small group"}


def _known(rows: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """The figures a reader has per period: dimension key -> value."""
    out: dict[str, dict[str, float]] = {}
    for row in rows:
        if row["value"] is not None:
            key = "total" if row["city"] is None else str(row["city"])
            out.setdefault(str(row["period"]), {})[key] = float(row["value"])  # type: ignore
    return out


def test_no_withheld_group_can_be_recovered_by_subtraction(api_any: FlaskClient) -> None:
    api = api_any
    rows = _json(api.get("/api/v1/indicators/housed/observations.json"))
    assert isinstance(rows, list)
    withheld = {(r["period"], r["city"]) for r in rows if r["withheld"]}
    assert withheld  # the test has something to look at
    for period, cells in _known(rows).items():
        unknown = [c for c in CITIES if c not in cells]
        # total minus the other cities pins a city down only when one city is unknown.
        assert "total" not in cells or len(unknown) != 1, (period, cells)
        assert all((period, c) in withheld for c in unknown)
    truth = {(p, c): v for p, values in HOUSED.items() for c, v in zip(CITIES, values,
                                                                       strict=True)}
    for period, city in withheld:
        shown = _known(rows).get(period, {})
        if "total" in shown:  # what subtraction gives is the sum of 2+ hidden cities
            rest = shown["total"] - sum(v for k, v in shown.items() if k != "total")
            assert not math.isclose(rest, truth[(period, city)])


def test_csv_and_json_observations_carry_the_same_rows(sample_client: FlaskClient) -> None:
    code = "student_homeless"  # has withheld groups in the sample
    as_csv = _csv(sample_client.get(f"/api/v1/indicators/{code}/observations.csv"))
    as_json = _json(sample_client.get(f"/api/v1/indicators/{code}/observations.json"))
    assert isinstance(as_json, list) and len(as_csv) == len(as_json) > 0
    assert list(as_csv[0]) == list(as_json[0]) == ["period", "city", "value", "numerator",
                                                   "denominator", "withheld"]
    for text_row, json_row in zip(as_csv, as_json, strict=True):
        for column, text in text_row.items():
            value = json_row[column]
            if value is None:
                assert text == ""
            elif isinstance(value, float | int):
                assert float(text) == value
            else:
                assert text == value
    assert any(r["withheld"] for r in as_json)


def test_the_curve_is_rba_curve_s_document_from_published_figures(
        api: FlaskClient, seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RBA_DATABASE_URL", seeded_url)
    printed = CliRunner().invoke(main, ["curve", "grad", "--format", "json"])
    assert printed.exit_code == 0, printed.output
    served = _json(api.get("/api/v1/indicators/grad/curve.json"))
    assert served == json.loads(printed.output)
    assert served["series"][0]["verdict"] is not None  # type: ignore[index]
    housed = _json(api.get("/api/v1/indicators/housed/curve.json"))
    assert str(int(PROVISIONAL)) not in json.dumps(housed)


def test_a_write_changes_the_etag(api: FlaskClient, seeded_url: str) -> None:
    before = api.get("/api/v1/indicators/housed/observations.csv")
    with session_scope(connect(seeded_url)) as session:
        save_story(session=session, code="housed", actor=EMAIL,
                   fields={"story_behind_the_curve": "Rents rose again."})
    after = api.get("/api/v1/indicators/housed/observations.csv",
                    headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]


def _validate(descriptor: Path) -> None:
    from frictionless import validate

    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_rba_publish_writes_a_package_frictionless_accepts(
        tmp_path: Path, sample_url: str, monkeypatch: pytest.MonkeyPatch,
        sample_client: FlaskClient) -> None:
    monkeypatch.setenv("RBA_DATABASE_URL", sample_url)
    folder = tmp_path / "open-data"
    done = CliRunner().invoke(main, ["publish", str(folder)])
    assert done.exit_code == 0, done.output
    _validate(folder / "datapackage.json")
    written = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in written["resources"]] == [
        "results", "indicators", "dimensions", "observations", "targets", "baselines"]
    # The API serves the same package: the same descriptor (but for where each file is)
    # and the same CSV files.
    served = _json(sample_client.get("/api/v1/datapackage.json"))
    assert isinstance(served, dict)
    for resource in served["resources"]:
        assert resource["path"].startswith("http://localhost/api/v1/datapackage/")
        text = sample_client.get(resource["path"].removeprefix("http://localhost")
                                 ).get_data(as_text=True)
        assert text == (folder / f"{resource['name']}.csv").read_text(encoding="utf-8")
        resource["path"] = f"{resource['name']}.csv"
    assert served == written
    observations = list(csv.DictReader(io.StringIO(
        (folder / "observations.csv").read_text(encoding="utf-8"))))
    assert {r["withheld"] for r in observations} == {"", "small group",
                                                     "would reveal a small group"}


def test_the_served_package_validates_too(tmp_path: Path, api: FlaskClient) -> None:
    served = _json(api.get("/api/v1/datapackage.json"))
    assert isinstance(served, dict)
    for resource in served["resources"]:
        text = api.get(resource["path"].removeprefix("http://localhost")).get_data()
        (tmp_path / f"{resource['name']}.csv").write_bytes(text)
        resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(served), encoding="utf-8")
    _validate(tmp_path / "datapackage.json")


def test_rba_publish_refuses_a_file_for_a_folder(tmp_path: Path, cli_env: str) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    done = CliRunner().invoke(main, ["publish", str(target)])
    assert done.exit_code != 0 and "file.txt" in done.output


@pytest.fixture
def untranslated(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("RBA_DATABASE_URL", seeded_url)
    yield seeded_url


def test_check_translations_lists_published_fields_without_spanish(untranslated: str
                                                                   ) -> None:
    done = CliRunner().invoke(main, ["check", "translations"])
    assert done.exit_code == 1
    lines = done.output.splitlines()
    assert "indicator grad: name_es missing (English: Graduation rate)" in lines
    assert "story housed: story_behind_the_curve_es missing (English: Rents rose.)" in lines
    assert not any("secret_canary" in line for line in lines)  # not published
    assert not any("housed: name_es" in line or "housed: source_es" in line
                   for line in lines)


def test_the_sample_has_every_published_field_in_spanish(
        sample_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RBA_DATABASE_URL", sample_url)
    done = CliRunner().invoke(main, ["check", "translations"])
    assert done.exit_code == 0, done.output


def test_the_public_site_serves_the_same_open_data(seeded_url: str, api: FlaskClient
                                                   ) -> None:
    public = create_app(seeded_url, public=True).server.test_client()
    for path in ROUTES[1:]:
        response = public.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
        assert response.get_data() == api.get(path).get_data(), path
    assert public.get("/api/v1/indicators/secret_canary").status_code == 404


@pytest.fixture
def as_public_role(db_url: str) -> Iterator[str]:
    """The seeded store's URL as the public site connects: on PostgreSQL as a role that may
    read only the published views (`rba db public-role`)."""
    with session_scope(connect(db_url)) as session:
        _seed(session)
    if not db_url.startswith("postgresql"):
        yield db_url
        return
    from sqlalchemy.engine import make_url

    role = f"rba_open_{uuid.uuid4().hex[:10]}"
    public_role(role, url=db_url)
    yield make_url(db_url).set(username=role, password=None).render_as_string(
        hide_password=False)
    admin = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP OWNED BY {role}")
        connection.exec_driver_sql(f"DROP ROLE {role}")
    admin.dispose()


def test_open_data_reads_only_the_published_view(as_public_role: str) -> None:
    """As the public role (PostgreSQL), which may read no table, every route still answers:
    nothing open data reads is outside the published view."""
    app = create_app(as_public_role, public=True)
    client = app.server.test_client()
    for path in ROUTES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
    assert EMAIL not in _everything(client)
    app.server.config["RBA_SESSION_FACTORY"].kw["bind"].dispose()
