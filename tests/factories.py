"""Plain functions that build what tests need: workbooks and CSVs, small stores, users and
their requests to the dashboard, and readers of the layouts pages return.

Fixtures built from these live in conftest.py; the builders of calc's input frames live
beside calc's tests, in tests/calc/calc_factories.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import importlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from dash import Dash
from dash._utils import split_callback_id
from dash.development.base_component import Component
from flask.testing import FlaskClient
from flask_login import login_user
from sqlalchemy.orm import Session

from dashboards.app import create_app
from dashboards.signin import load_account
from rba.models import (
    AuditEvent,
    Batch,
    Dimension,
    DimensionValue,
    Indicator,
    Observation,
    ObservationRevision,
    PerformanceMeasure,
    Program,
    Result,
    ResultTeam,
    Target,
    TurnTheCurveRecord,
    User,
)
from rba.services.demo import load_sample
from rba.store import connect, session_scope
from rba.store.people import add_user

# --- The bundled sample -------------------------------------------------------------------

#: The bundled sample workbook (one CSV per sheet), which `rba demo` loads.
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def load_sample_into(url: str) -> None:
    """Load the bundled sample into the migrated database at ``url``, as `rba demo` does."""
    maker = connect(url)
    with session_scope(maker) as session:
        load_sample(session=session, sample_dir=SAMPLE_DIR, actor="t")
    maker.kw["bind"].dispose()


# --- Workbooks and CSVs -------------------------------------------------------------------

TEAMS = [{"slug": "academics", "name": "Students Succeed Team"}]
RESULTS = [{"code": "R2", "name": "Students succeed academically", "team": "academics",
            "order": 2}]
INDICATORS = [
    {"code": "grad_rate", "result": "R2", "name": "High-school graduation rate",
     "unit": "percent", "polarity": "up", "frequency": "school_year", "kind": "headline",
     "dimensions": "city", "published": "yes", "min_n": 11},
    {"code": "absence", "result": "R2", "name": "Chronic absence rate", "unit": "percent",
     "polarity": "down", "frequency": "school_year", "kind": "headline"},
    {"code": "arrests", "result": "R2", "name": "Juvenile arrests", "unit": "rate", "per": 1000,
     "polarity": "down", "frequency": "year", "kind": "secondary"},
]
OBSERVATIONS = [
    {"indicator": "grad_rate", "period": "2021-22", "value": 80, "numerator": 800,
     "denominator": 1000, "city": None},
    {"indicator": "grad_rate", "period": "2022-23", "value": 81, "numerator": 810,
     "denominator": 1000, "city": None},
    {"indicator": "grad_rate", "period": "2022-23", "value": 82, "numerator": 410,
     "denominator": 500, "city": "Pasadena"},
    {"indicator": "absence", "period": "2022-23", "value": 12.5},
    {"indicator": "arrests", "period": "2023", "value": 4.2},
]


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    """Write ``rows`` as a CSV at ``path`` and return the path."""
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)
    return path


def write_workbook(path: Path, sheets: dict[str, list[dict]]) -> Path:
    """Write a .xlsx with one sheet per entry."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, index=False)
    return path


def basic_workbook(path: Path) -> Path:
    """A workbook with one team, one result, three indicators and five observations."""
    return write_workbook(path, {"teams": TEAMS, "results": RESULTS,
                                 "indicators": INDICATORS, "observations": OBSERVATIONS})


# --- A small store ------------------------------------------------------------------------

ALTADENA = '{"city":"Altadena"}'
PASADENA = '{"city":"Pasadena"}'
GRAD_TOTALS = {"2019-20": 80.0, "2020-21": 81.0, "2021-22": 81.5, "2022-23": 82.0,
               "2023-24": 82.1}


def seed_store(session: Session) -> None:
    """Two results, four indicators (one unpublished), city groups, a target and stories."""
    team = ResultTeam(slug="academics", name="Academic Success Result Team")
    r1 = Result(code="R1", name="Children's developmental needs are met", display_order=1)
    r2 = Result(code="R2", name="Students succeed academically", display_order=2, team=team)
    grad = Indicator(code="grad_rate", result=r2, name="High school graduation rate",
                     lay_definition="Students who graduate in four years.",
                     technical_definition="Four-year adjusted cohort graduation rate.",
                     unit="percent", polarity="up", frequency="school_year", kind="headline",
                     source="Illustrative", dimensions="city", display_order=1)
    arrests = Indicator(code="arrests", result=r2, name="Juvenile arrests", unit="rate",
                        per=1000, polarity="down", frequency="year", kind="secondary",
                        display_order=2)
    wanted = Indicator(code="in_college", result=r2, name="Graduates still in college",
                       unit="percent", polarity="up", frequency="year", kind="development",
                       display_order=3)
    hidden = Indicator(code="hidden", result=r2, name="Not yet published", unit="count",
                       polarity="up", frequency="year", published=False, display_order=4)
    city = Dimension(name="city", label="City", values=[
        DimensionValue(value="Pasadena", label="Pasadena", display_order=1),
        DimensionValue(value="Altadena", label="Altadena", display_order=2)])
    session.add_all([team, r1, r2, grad, arrests, wanted, hidden, city])
    session.flush()
    obs = [Observation(indicator_id=grad.id, period=p, value=v, numerator=v * 10,
                       denominator=1000, entered_by="test") for p, v in GRAD_TOTALS.items()]
    obs += [Observation(indicator_id=grad.id, period=p, dimensions=ALTADENA, value=v - 5,
                        numerator=(v - 5) * 2, denominator=200, entered_by="test")
            for p, v in GRAD_TOTALS.items()]
    obs += [Observation(indicator_id=arrests.id, period="2024", value=None, entered_by="t"),
            Observation(indicator_id=arrests.id, period="2023", value=4.2, entered_by="t"),
            Observation(indicator_id=arrests.id, period="2022", value=4.6, entered_by="t"),
            Observation(indicator_id=hidden.id, period="2023", value=7, entered_by="t")]
    session.add_all(obs)
    session.add(Target(indicator_id=grad.id, period="2025-26", value=85.0, set_by="test"))
    session.add_all([
        TurnTheCurveRecord(indicator_id=grad.id, version=1, story_behind_the_curve="Old story",
                           saved_by="facilitator"),
        TurnTheCurveRecord(indicator_id=grad.id, version=2,
                           story_behind_the_curve="Credit recovery helped.",
                           partners="PUSD; Pasadena City College", saved_by="facilitator",
                           saved_at=dt.datetime(2025, 10, 15, tzinfo=dt.UTC)),
    ])


def seed_with_pasadena(session: Session, min_n: int | None = None) -> None:
    """seed_store's store plus a Pasadena series (800 students beside Altadena's 200)."""
    seed_store(session)
    grad = session.scalar(sa.select(Indicator).where(Indicator.code == "grad_rate"))
    grad.min_n = min_n
    session.add_all([Observation(indicator_id=grad.id, period=p, dimensions=PASADENA,
                                 value=v + 1, numerator=(v + 1) * 8, denominator=800,
                                 entered_by="test") for p, v in GRAD_TOTALS.items()])


def pasadena_app(url: str, min_n: int | None = None) -> Dash:
    """The dashboard over seed_with_pasadena's store, written into the database at ``url``."""
    with session_scope(connect(url)) as session:
        seed_with_pasadena(session, min_n)
    return create_app(url)


# --- A program ----------------------------------------------------------------------------

PROGRAM = "summer_bridge"
#: (code, kind, unit, display order, last quarter's value, numerator, denominator)
MEASURES = [
    ("bridge_better", "better_off", "percent", 1, 61.0, 61.0, 100.0),
    ("bridge_served", "how_much", "count", 2, 120.0, None, None),
    ("bridge_on_time", "how_well", "percent", 3, 92.0, 46.0, 50.0),
]
NAMES = {"bridge_better": "Students who finish ready for ninth grade",
         "bridge_served": "Students served", "bridge_on_time": "Sessions that start on time"}
NAMES_ES = {"bridge_served": "Estudiantes atendidos"}


def seed_program(session: Session) -> None:
    """Summer Bridge: three quarterly measures, each with a value in 2024-Q4."""
    program = Program(code=PROGRAM, name="Summer Bridge", name_es="Puente de verano")
    session.add(program)
    session.flush()
    for code, kind, unit, order, value, numerator, denominator in MEASURES:
        measure = PerformanceMeasure(code=code, program_id=program.id, name=NAMES[code],
                                     name_es=NAMES_ES.get(code), kind=kind, unit=unit,
                                     polarity="up", frequency="quarter", display_order=order)
        session.add(measure)
        session.flush()
        session.add(Observation(measure_id=measure.id, period="2024-Q4", value=value,
                                numerator=numerator, denominator=denominator,
                                entered_by="test"))


# --- People and their requests to the dashboard -------------------------------------------

PASSWORD = "correct horse battery"
#: One user per role; the team member belongs to seed_store's team, "academics".
USERS = {"admin": "admin@example.org", "coordinator": "coord@example.org",
         "team_member": "member@example.org", "viewer": "viewer@example.org"}


def seed_users(session: Session) -> None:
    """One user per role (USERS), every password PASSWORD."""
    for role, email in USERS.items():
        add_user(session=session, email=email, role=role, password=PASSWORD, actor="test",
                 team="academics" if role == "team_member" else None)


def sign_in(client: FlaskClient, role: str, password: str = PASSWORD) -> Any:
    """Sign in through the form; returns the response (303 to the next page)."""
    return client.post("/login", data={"email": USERS[role], "password": password,
                                       "next": "/"})


@contextmanager
def as_user(app: Dash, role: str | None, path: str = "/") -> Iterator[None]:
    """A request context with this role signed in (None: signed out), as Dash calls pages."""
    with app.server.test_request_context(path):
        if role is not None:
            with app.server.config["RBA_SESSION_FACTORY"]() as session:
                user_id = session.scalar(sa.select(User.id).where(User.email == USERS[role]))
            login_user(load_account(str(user_id)))
        yield


def counts(app: Dash) -> dict[str, int]:
    """Rows in the tables a write would touch."""
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return {model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(
            model)) for model in (AuditEvent, Batch, Observation, ObservationRevision, User)}


def data_url(text: str, mime: str = "text/csv") -> str:
    """A file as an upload component gives it: a base64 data URL."""
    return f"data:{mime};base64," + base64.b64encode(text.encode()).decode()


def callback_body(app: Dash, output: str, values: dict[tuple[str, str], Any]) -> dict:
    """A request body for the callback with this output id, inputs and states from values."""
    spec = next(c for c in app._callback_list if c["output"] == output)

    def concrete(dep_id: str) -> Any:
        """A pattern-matching id as a browser sends it: wildcards filled with crafted text."""
        if not dep_id.startswith("{"):
            return dep_id
        return {k: "crafted" if v in (["MATCH"], ["ALL"], ["ALLSMALLER"]) else v
                for k, v in json.loads(dep_id).items()}

    def item(dep: dict) -> dict:
        return {"id": concrete(dep["id"]), "property": dep["property"],
                "value": values.get((dep["id"], dep["property"]))}

    inputs = [item(d) for d in spec["inputs"]]
    outputs = split_callback_id(output)
    if isinstance(outputs, dict):
        outputs = {**outputs, "id": concrete(outputs["id"])}
    return {"output": output, "outputs": outputs, "inputs": inputs,
            "state": [item(d) for d in spec["state"]],
            "changedPropIds": [f"{d['id']}.{d['property']}" for d in spec["inputs"]]}


def post_callback(client: FlaskClient, body: Any) -> Any:
    """Send a callback body to the app as the browser does."""
    return client.post("/_dash-update-component", data=json.dumps(body),
                       content_type="application/json")


# --- Pages and their layouts --------------------------------------------------------------

@contextmanager
def page(app: Dash, name: str, path: str = "/") -> Iterator[Any]:
    """The page module ``dashboards.pages.<name>``, inside a request to ``app`` at ``path``."""
    with app.server.test_request_context(path):
        yield importlib.import_module(f"dashboards.pages.{name}")


def walk(node: Any) -> Iterator[Any]:
    """Every component and string in a layout tree, depth first."""
    yield node
    children = getattr(node, "children", None) if isinstance(node, Component) else node
    if isinstance(children, list | tuple):
        for child in children:
            yield from walk(child)
    elif isinstance(children, Component | str) and children is not node:
        yield from walk(children)


def text(node: Any) -> str:
    """All the text of a layout tree, joined with spaces."""
    return " ".join(n for n in walk(node) if isinstance(n, str))


def by_id(node: Any, component_id: str) -> Any:
    """The first component with this id in a layout tree (the test fails if there is none)."""
    found = [n for n in walk(node) if getattr(n, "id", None) == component_id]
    assert found, f"no component with id {component_id!r}"
    return found[0]


def wait_until(page: Any, expression: str, timeout: float = 20.0) -> None:
    """Wait until a JavaScript expression (or function) is truthy in the page, asking from
    outside it: Playwright's wait_for_function evaluates its predicate with eval inside the
    page, which the dashboard's Content-Security-Policy (rightly) forbids."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)
