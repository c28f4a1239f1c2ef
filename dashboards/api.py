"""Open data over HTTP: the read-only /api/v1 routes (a Flask blueprint `create_app`
registers), no sign-in.

Everything comes from rba.services.open_data (published indicators, final figures, small
groups withheld), the same tables `rba publish` writes. Each response carries an ETag and
Last-Modified made from the data version, so a client asking again with If-None-Match (or
If-Modified-Since) gets 304 Not Modified without anything being computed; what is computed
is kept in the shared cache (dashboards.cache) until the data changes. Any other address
under /api/v1 is a JSON 404, and a method other than GET or HEAD a JSON 405.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import flask
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from dashboards.cache import cached, code_version
from dashboards.data import read_session
from dashboards.i18n import _
from rba.services import open_data
from rba.services.database import DatabaseError

PREFIX = "/api/v1"
#: Clients may keep a response five minutes, then must ask again (cheap: a 304).
CACHE_CONTROL = "public, max-age=300, must-revalidate"
JSON = "application/json"
CSV = "text/csv"

api = flask.Blueprint("open_data", __name__, url_prefix=PREFIX)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


def _error(status: int, message: str) -> flask.Response:
    response = flask.Response(_json({"error": message, "status": status}), status=status,
                              mimetype=JSON)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _validators(session: Session) -> tuple[str, dt.datetime | None]:
    """The ETag (data version and code version) and Last-Modified of every response now."""
    version, modified = open_data.data_version(session=session)
    return f"{version}-{code_version()}", modified


def _unchanged(etag: str, modified: dt.datetime | None) -> bool:
    """Whether the client's copy is current (If-None-Match, else If-Modified-Since)."""
    request = flask.request
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    since = request.if_modified_since
    return since is not None and modified is not None and modified.replace(
        microsecond=0) <= since


def _respond(build: Callable[[Session], tuple[str, str] | None],
             filename: str | None = None) -> flask.Response:
    """The response ``build`` makes (body, mimetype; None: not found) with the caching
    headers, or 304 when the client's copy is current."""
    with read_session() as session:
        etag, modified = _validators(session)
        if _unchanged(etag, modified):
            response = flask.Response(status=304)
        else:
            built = build(session)
            if built is None:
                return _error(404, _("No published indicator has this code: "
                                     "/api/v1/indicators lists them."))
            body, mimetype = built
            response = flask.Response(body, mimetype=mimetype)
            if filename is not None:
                response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(etag)
    if modified is not None:
        response.last_modified = modified
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _links(code: str) -> dict[str, str]:
    base = f"{flask.request.script_root}{PREFIX}/indicators/{code}"
    return {"self": base, "observations_csv": f"{base}/observations.csv",
            "observations_json": f"{base}/observations.json", "curve": f"{base}/curve.json"}


def _package(session: Session) -> open_data.OpenData:
    return cached(session, "open_data.open_data", (),
                  lambda: open_data.open_data(session=session))


@api.get("/")
def index() -> flask.Response:
    """What is here: each route."""
    root = f"{flask.request.script_root}{PREFIX}"
    return _respond(lambda session: (_json({
        "results": f"{root}/results", "indicators": f"{root}/indicators",
        "indicator": f"{root}/indicators/CODE",
        "observations": [f"{root}/indicators/CODE/observations.csv",
                         f"{root}/indicators/CODE/observations.json"],
        "curve": f"{root}/indicators/CODE/curve.json",
        "datapackage": f"{root}/datapackage.json"}), JSON))


@api.get("/results")
def results() -> flask.Response:
    """Every result with its names and descriptions in both languages and its published
    indicators."""
    return _respond(lambda session: (_json(open_data.result_records(_package(session))),
                                     JSON))


@api.get("/indicators")
def indicators() -> flask.Response:
    """Every published indicator: names, definitions and sources in both languages, unit,
    polarity, frequency, dimensions."""
    return _respond(lambda session: (_json([
        {**record, "links": _links(record["indicator"])}
        for record in open_data.indicator_records(_package(session))]), JSON))


@api.get("/indicators/<code>")
def indicator(code: str) -> flask.Response:
    """One published indicator (404 when unknown or unpublished)."""
    def build(session: Session) -> tuple[str, str] | None:
        record = cached(session, "open_data.indicator", (code,),
                        lambda: open_data.indicator(session=session, code=code))
        if record is None:
            return None
        return _json({**record, "links": _links(code)}), JSON
    return _respond(build)


def _observations(session: Session, code: str) -> Any:
    return cached(session, "open_data.indicator_observations", (code,),
                  lambda: open_data.indicator_observations(session=session, code=code))


@api.get("/indicators/<code>/observations.csv")
def observations_csv(code: str) -> flask.Response:
    """One indicator's figures as tidy CSV: period, a column per dimension, value,
    numerator, denominator, withheld."""
    def build(session: Session) -> tuple[str, str] | None:
        table = _observations(session, code)
        return None if table is None else (open_data.resource_csv(table), CSV)
    return _respond(build, filename=f"{code}-observations.csv")


@api.get("/indicators/<code>/observations.json")
def observations_json(code: str) -> flask.Response:
    """One indicator's figures as JSON records with the CSV's columns."""
    def build(session: Session) -> tuple[str, str] | None:
        table = _observations(session, code)
        return None if table is None else (_json(open_data.json_records(table)), JSON)
    return _respond(build)


@api.get("/indicators/<code>/curve.json")
def curve(code: str) -> flask.Response:
    """One indicator's turn-the-curve rows and summary with the verdict, as `rba curve
    --format json` prints them, from published figures."""
    def build(session: Session) -> tuple[str, str] | None:
        document = cached(session, "open_data.indicator_curve", (code,),
                          lambda: open_data.indicator_curve(session=session, code=code))
        return None if document is None else (_json(document), JSON)
    return _respond(build)


@api.get("/datapackage.json")
def datapackage() -> flask.Response:
    """The Frictionless Data Package of everything published; each resource's path is the
    address of its CSV."""
    def build(session: Session) -> tuple[str, str]:
        root = flask.request.host_url.rstrip("/") + flask.request.script_root
        paths = {name: f"{root}{PREFIX}/datapackage/{name}.csv"
                 for name in open_data.RESOURCES}
        return _json(open_data.package_descriptor(_package(session), paths)), JSON
    return _respond(build)


@api.get("/datapackage/<name>.csv")
def resource(name: str) -> flask.Response:
    """One resource of the Data Package as CSV."""
    if name not in open_data.RESOURCES:
        return _error(404, _("No such resource: /api/v1/datapackage.json lists them."))

    def build(session: Session) -> tuple[str, str]:
        return open_data.resource_csv(_package(session).tables[name]), CSV
    return _respond(build, filename=f"{name}.csv")


@api.route("/<path:rest>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest: str) -> flask.Response:
    """Any other address under /api/v1: a JSON 404 (never the dashboard's page); a route
    asked with another method than GET or HEAD: a JSON 405 saying which it allows."""
    adapter = flask.current_app.url_map.bind_to_environ(flask.request.environ)
    try:
        endpoint, _arguments = adapter.match(flask.request.path, method="GET")
    except HTTPException:
        endpoint = None
    if endpoint is not None and endpoint != f"{api.name}.unknown":
        response = _error(405, _("Open data is read-only: ask with GET (or HEAD)."))
        response.headers["Allow"] = "GET, HEAD, OPTIONS"
        return response
    return _error(404, _("Nothing here: /api/v1/ lists the open data routes."))


@api.errorhandler(DatabaseError)
def database_error(error: Exception) -> flask.Response:
    """The database could not be read: 503 (try again), never a 500 page."""
    return _error(503, _("The data cannot be read right now; try again shortly."))


def _api_errors(error: HTTPException) -> Any:
    """JSON for a wrong method or address under /api/v1; anything else as it was."""
    if flask.request.path.startswith(PREFIX):
        return _error(error.code or 500, error.description or "")
    return error


def install_api(server: flask.Flask) -> None:
    """Serve the /api/v1 routes on ``server``."""
    server.register_blueprint(api)
    server.register_error_handler(MethodNotAllowed, _api_errors)
    server.register_error_handler(NotFound, _api_errors)
