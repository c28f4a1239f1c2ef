"""The public site (`rba serve --public`) and the published view it reads through.

Canaries are planted in what must never be published: an unpublished indicator (with
figures, a target, a frozen baseline, a story and a program linked to it), a provisional
figure, a small group, a draft story, a provisional figure of a program's measure, and
people's e-mails (users, who entered a figure, who saved a story). Every public page, in
both languages, with crafted paths and query strings, the annual report card (HTML and
PDF), and every callback the public site runs, with crafted bodies naming the unpublished
indicator, must show none of them, on SQLite and on PostgreSQL (there, running as the role
`rba db public-role` makes).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from dash import Dash
from factories import (
    GRAD_TOTALS,
    as_user,
    post_callback,
    seed_program,
    seed_users,
    seed_with_pasadena,
    text,
)
from pypdf import PdfReader
from sqlalchemy.engine import make_url

from dashboards import ids
from dashboards.app import create_app
from dashboards.auth import pages_router_id
from dashboards.data import close_database
from dashboards.public import callback_is_public
from rba.models import (
    Baseline,
    BaselinePoint,
    Indicator,
    Observation,
    PerformanceMeasure,
    Program,
    Result,
    Target,
    TurnTheCurveRecord,
)
from rba.services.database import VersionReader, data_version
from rba.store import connect, published, session_scope
from rba.store.roles import public_role
from rba.store.stories import save_story

SECRET = "secret_ind"
CANARY_NAME = "Canary unpublished measure"
CANARY_STORY = "Canary story of an unpublished indicator"
CANARY_EMAIL = "canary.person@example.org"
SIERRA_MADRE = '{"city":"Sierra Madre"}'
#: Text that must appear nowhere public: names, stories, e-mails, and the figures (as any
#: page or chart may write them) of the unpublished indicator, the provisional figure, the
#: small group, the unpublished indicator's target and baseline.
CANARY_DRAFT = "Canary draft: the team has not published this yet"
CANARIES = [CANARY_NAME, CANARY_STORY, CANARY_DRAFT, "Not yet published", "@example.org",
            "canary.person", "777.7", "777,7", "31.7", "31,7", "43.2", "43,2", "666.6", "666,6",
            "555.5", "555,5", "88.8", "88,8"]
PUBLIC_PATHS = ["/", "/results/R2", "/results/R1", "/indicators/grad_rate", "/indicators/arrests",
                f"/indicators/{SECRET}", f"/indicators/{SECRET.upper()}", "/indicators/hidden",
                "/equity", "/alignment", f"/equity?result=R2&indicator={SECRET}",
                f"/indicators/{SECRET}?where=city%3DSierra%20Madre", "/nowhere"]
#: The annual report card of the canaries' year (2023-24 ends in 2024) and of one without
#: final figures (only the provisional 2024-25), as page and PDF.
REPORT_CARD_PATHS = ["/report-card/2024", "/report-card/2025", "/report-card/2024.pdf"]
STAFF_PATHS = ["/login", "/upload", "/entry", "/targets", "/history", "/batches/1",
               "/teams/academics", "/UPLOAD", "/upload/", "/login?next=/upload",
               "/teams/academics?lang=es"]


def plant_canaries(session: Any) -> None:
    """seed_with_pasadena's store (min_n 10) with every figure final, then the canaries."""
    seed_with_pasadena(session, min_n=10)
    seed_users(session)
    seed_program(session)
    session.flush()
    session.execute(sa.update(Observation).values(status="final"))
    session.execute(sa.update(TurnTheCurveRecord).values(saved_by=CANARY_EMAIL))
    grad = session.scalar(sa.select(Indicator).where(Indicator.code == "grad_rate"))
    session.add(Observation(indicator_id=grad.id, period="2024-25", value=31.7,
                            numerator=317, denominator=1000, status="provisional",
                            entered_by=CANARY_EMAIL))
    session.add_all([Observation(indicator_id=grad.id, period=p, dimensions=SIERRA_MADRE,
                                 value=43.21, numerator=2.16, denominator=5, status="final",
                                 entered_by=CANARY_EMAIL) for p in GRAD_TOTALS])
    session.add(TurnTheCurveRecord(indicator_id=grad.id, version=99, status="draft",
                                   story_behind_the_curve=CANARY_DRAFT, saved_by=CANARY_EMAIL))
    r2 = session.scalar(sa.select(Result).where(Result.code == "R2"))
    secret = Indicator(code=SECRET, result=r2, name=CANARY_NAME, name_es=CANARY_NAME,
                       lay_definition=CANARY_NAME, unit="percent", polarity="up",
                       frequency="year", kind="headline", published=False, display_order=0)
    session.add(secret)
    session.flush()
    session.add_all([Observation(indicator_id=secret.id, period=str(y), value=777.77,
                                 status="final", entered_by=CANARY_EMAIL)
                     for y in range(2018, 2024)])
    session.add(Target(indicator_id=secret.id, period="2026", value=666.66, set_by="t"))
    session.add(TurnTheCurveRecord(indicator_id=secret.id, version=1,
                                   story_behind_the_curve=CANARY_STORY, saved_by=CANARY_EMAIL))
    session.add(Baseline(indicator_id=secret.id, history_through="2023", method="linear",
                         agreed_by=CANARY_EMAIL, agreed_at=dt.datetime(2024, 1, 1),
                         note=CANARY_STORY, points=[
                             BaselinePoint(period=str(y), forecast=555.55) for y in (2024, 2025)]))
    program = session.scalar(sa.select(Program))
    program.indicators.append(secret)
    # The program serves R2 (so the report card shows its "better off" measure): its
    # 2024-Q4 figure provisional (88.84), 2024-Q3's final (60.5).
    program.results.append(r2)
    better = session.scalar(sa.select(PerformanceMeasure).where(
        PerformanceMeasure.code == "bridge_better"))
    session.execute(sa.update(Observation).where(Observation.measure_id == better.id)
                    .values(value=88.84, numerator=88.84, status="provisional"))
    session.add(Observation(measure_id=better.id, period="2024-Q3", value=60.5,
                            numerator=60.5, denominator=100, status="final",
                            entered_by=CANARY_EMAIL))


@pytest.fixture
def canary_url(db_url: str) -> str:
    with session_scope(connect(db_url)) as session:
        plant_canaries(session)
    return db_url


@pytest.fixture
def public_url(canary_url: str) -> Iterator[str]:
    """The URL the public site connects with: on PostgreSQL as a public role of its own."""
    if not canary_url.startswith("postgresql"):
        yield canary_url
        return
    role = f"rba_public_{uuid.uuid4().hex[:10]}"
    public_role(role, url=canary_url)
    yield make_url(canary_url).set(username=role, password=None).render_as_string(
        hide_password=False)
    admin = sa.create_engine(canary_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP OWNED BY {role}")
        connection.exec_driver_sql(f"DROP ROLE {role}")
    admin.dispose()


@pytest.fixture
def public_app(public_url: str) -> Iterator[Dash]:
    app = create_app(public_url, public=True, secret_key="shared-secret")
    yield app
    close_database(app.server)


def router_body(path: str) -> dict[str, Any]:
    """Dash's page router asked for ``path`` (with its query string), as a browser asks."""
    pathname, _sep, search = path.partition("?")
    return {"output": pages_router_id(),
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search",
                        "value": f"?{search}" if search else ""}],
            "state": [], "changedPropIds": ["_pages_location.pathname"]}


def crafted_bodies(app: Dash, output: str, code: str, lang: str) -> Iterator[dict[str, Any]]:
    """Bodies for one callback naming indicator ``code`` everywhere a code can go."""
    spec = next(c for c in app._callback_list if c["output"] == output)
    for series in (f"{code}:{{}}", f"{code}:{SIERRA_MADRE}", None):
        def item(dep: dict[str, Any], series: str | None = series) -> dict[str, Any]:
            dep_id: Any = dep["id"]
            if dep_id.startswith("{"):
                dep_id = {k: v for k, v in json.loads(dep_id).items() if k == "type"}
                dep_id.update(indicator=code, key="{}", lang=lang)
            value: Any = {"code": code, "lang": lang, "indicator": code}
            if dep["property"] == "n_clicks":
                value = 1
            elif dep["property"] == "id":
                value = dep_id
            elif dep["property"] in ("value", "search"):
                value = {ids.SERIES_DROPDOWN: series, ids.EQUITY_RESULT: "R2"}.get(dep["id"])
            return {"id": dep_id, "property": dep["property"], "value": value}

        inputs, state = [item(d) for d in spec["inputs"]], [item(d) for d in spec["state"]]
        outputs: Any = output
        if output.startswith("{"):
            outputs = {"id": inputs[0]["id"], "property": output.rsplit(".", 1)[1]}
        elif output.startswith(".."):
            outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
                       for p in output.strip(".").split("...")]
        else:
            outputs = {"id": output.rsplit(".", 1)[0], "property": output.rsplit(".", 1)[1]}
        yield {"output": output, "outputs": outputs, "inputs": inputs, "state": state,
               "changedPropIds": [f"{json.dumps(i['id']) if isinstance(i['id'], dict) else i['id']}"
                                  f".{i['property']}" for i in inputs]}


def report_cards(client: Any) -> list[tuple[str, int, str]]:
    """(what was asked, status, text) of the report card's pages and PDFs (their text)."""
    seen = []
    for path in REPORT_CARD_PATHS:
        for lang in ("en", "es"):
            asked = f"{path}?lang={lang}"
            response = client.get(asked)
            shown = (" ".join(page.extract_text() for page in PdfReader(
                io.BytesIO(response.data)).pages)
                if response.mimetype == "application/pdf" else response.get_data(as_text=True))
            seen.append((asked, response.status_code, shown))
    return seen


def everything_public(app: Dash) -> list[tuple[str, int, str]]:
    """(what was asked, status, text) of every public page, report card and callback,
    crafted or not."""
    client = app.server.test_client()
    seen = report_cards(client)
    for path in PUBLIC_PATHS:
        for lang in ("en", "es"):
            asked = f"{path}{'&' if '?' in path else '?'}lang={lang}"
            response = client.get(asked)
            seen.append((asked, response.status_code, response.get_data(as_text=True)))
            response = post_callback(client, router_body(asked))
            seen.append((f"router {asked}", response.status_code,
                         response.get_data(as_text=True)))
    outputs = [o for o in app.callback_map if callback_is_public(app, o)
               and o != pages_router_id()]
    for output in outputs:
        for code in (SECRET, "grad_rate", "hidden"):
            for lang in ("en", "es"):
                for body in crafted_bodies(app, output, code, lang):
                    response = post_callback(client, body)
                    seen.append((f"{output} {code}", response.status_code,
                                 response.get_data(as_text=True)))
    return seen


def test_no_canary_reaches_any_public_page_or_callback(public_app: Dash) -> None:
    seen = everything_public(public_app)
    failed = [(asked, status) for asked, status, _text in seen if status >= 500]
    assert not failed
    leaks = [(asked, c) for asked, _status, text in seen for c in CANARIES if c in text]
    assert not leaks
    # The test can fail: the public figures themselves are there, and the curve callbacks ran.
    everything = "\n".join(text for _asked, _status, text in seen)
    assert "High school graduation rate" in everything
    assert "82.1" in everything  # the latest final total
    assert "Credit recovery helped." in everything
    assert "saved by the Academic Success Result Team" in everything
    assert sum(1 for asked, status, _t in seen if "curve-graph" in asked and status == 200)


def test_the_public_site_serves_the_report_card_of_public_figures(public_app: Dash) -> None:
    """On PostgreSQL as the public role: the report card reads only the published view."""
    client = public_app.server.test_client()
    seen = {asked: (status, shown) for asked, status, shown in report_cards(client)}
    status, html = seen["/report-card/2024?lang=en"]
    assert status == 200 and "Annual report card 2024" in html
    assert "High school graduation rate" in html and "82.1" in html
    assert "Credit recovery helped." in html  # the published story, not the draft
    # The program's measure: its final figure, not the later provisional one.
    assert "Students who finish ready for ninth grade" in html and "60.5" in html
    assert "Figures as of" in html
    status, text = seen["/report-card/2024.pdf?lang=es"]
    assert status == 200 and "Informe anual de resultados 2024" in text
    assert seen["/report-card/2025?lang=en"][0] == 404  # 2024-25 is provisional only
    page = post_callback(client, router_body("/?lang=en")).get_data(as_text=True)
    page = page.replace("\\u002f", "/")  # as Dash's JSON writes it
    assert "/report-card/2024?lang=en" in page and "/report-card/2024.pdf?lang=en" in page


def test_the_public_scorecard_has_no_overdue_list(public_app: Dash) -> None:
    client = public_app.server.test_client()
    page = post_callback(client, router_body("/")).get_data(as_text=True)
    assert "High school graduation rate" in page and f'"{ids.OVERDUE}"' not in page


@pytest.mark.parametrize("path", STAFF_PATHS)
def test_staff_pages_and_sign_in_are_not_there(public_app: Dash, path: str) -> None:
    client = public_app.server.test_client()
    assert client.get(path).status_code == 404
    assert post_callback(client, router_body(path)).status_code == 404
    assert client.post("/login", data={"email": "admin@example.org",
                                       "password": "x"}).status_code == 404


def test_no_editing_callback_runs_even_with_a_staff_sign_in(canary_url: str,
                                                            public_app: Dash) -> None:
    staff = create_app(canary_url, secret_key="shared-secret")
    client = staff.server.test_client()
    client.post("/login", data={"email": "admin@example.org",
                                "password": "correct horse battery", "next": "/"})
    cookie = client.get_cookie("rba_session")
    assert cookie is not None
    public = public_app.server.test_client()
    public.set_cookie("rba_session", cookie.value)
    refused = [o for o in public_app.callback_map if not callback_is_public(public_app, o)]
    assert len(refused) >= 8  # upload, entry, targets, baselines, stories...
    for output in refused:
        body = {"output": output, "outputs": [], "inputs": [], "state": [],
                "changedPropIds": []}
        assert post_callback(public, body).status_code == 404, output
    page = public.get("/").get_data(as_text=True)
    assert "admin@example.org" not in page and "Sign in" not in page
    staff.server.config["RBA_SESSION_FACTORY"].kw["bind"].dispose()


def test_public_reads_touch_only_the_published_views(sqlite_url: str) -> None:
    with session_scope(connect(sqlite_url)) as session:
        plant_canaries(session)
    app = create_app(sqlite_url, public=True)
    tables: set[str] = set()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        tables.update(re.findall(r"\b(?:FROM|JOIN)\s+\"?(\w+)", statement, re.IGNORECASE))

    engine = app.server.config["RBA_SESSION_FACTORY"].kw["bind"]
    sa.event.listen(engine, "before_cursor_execute", record)
    everything_public(app)
    assert tables and all(t.startswith("published_") for t in tables), tables
    engine.dispose()


def test_the_published_view_holds_only_final_figures_of_published_indicators(
        canary_url: str) -> None:
    with session_scope(connect(canary_url)) as session:
        inputs = published.curve_inputs(session=session)
        assert set(inputs.indicators["indicator"]) == {"grad_rate", "arrests", "in_college"}
        assert SECRET not in set(inputs.observations["indicator"])
        assert 31.7 not in set(inputs.observations["value"])
        assert inputs.frozen.empty and set(inputs.targets["value"]) == {85.0}
        assert published.indicator_record(session=session, code=SECRET) is None
        assert published.latest_story(session=session, code=SECRET) is None
        story = published.latest_story(session=session, code="grad_rate")
        assert story is not None and "saved_by" not in story
        assert story["team"] == "Academic Success Result Team"
        assert SECRET not in set(published.program_indicators_frame(session=session)[
            "indicator"])
        assert published.data_version(session=session) >= 0


@pytest.mark.postgres
def test_the_public_role_reads_the_views_and_no_table(public_url: str) -> None:
    if not public_url.startswith("postgresql"):
        pytest.skip("roles are PostgreSQL's")
    engine = sa.create_engine(public_url)
    try:
        with engine.connect() as connection:
            count = connection.scalar(sa.text("SELECT count(*) FROM published_observations"))
            assert count and count > 0
        for table in ("observations", "users", "audit_events", "baselines", "indicators"):
            with engine.connect() as connection, pytest.raises(sa.exc.ProgrammingError,
                                                              match="permission denied"):
                connection.execute(sa.text(f"SELECT * FROM {table} LIMIT 1"))
        with engine.connect() as connection, pytest.raises(sa.exc.DBAPIError):
            connection.execute(sa.text("DELETE FROM published_results"))
    finally:
        engine.dispose()


def test_public_role_is_refused_clearly_on_sqlite(cli_env: str) -> None:
    from rba.cli import main

    result = CliRunner().invoke(main, ["db", "public-role", "rba_public"])
    assert result.exit_code == 1
    assert "database roles need PostgreSQL" in result.output
    result = CliRunner().invoke(main, ["db", "public-role", "Robert'); DROP"])
    assert result.exit_code == 1 and "expected lower-case letters" in result.output


def test_serve_public_composes_with_workers(monkeypatch: pytest.MonkeyPatch,
                                            cli_env: str) -> None:
    from dashboards import command, warm

    started: dict[str, Any] = {}

    class Server:
        def run(self) -> None:
            started["ran"] = True

    monkeypatch.setattr(warm, "start", lambda **kw: started.update(warm=kw))
    monkeypatch.setattr(command, "production_server", lambda *a: started.update(args=a)
                        or Server())
    result = CliRunner().invoke(command.serve, ["--public", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert "the public site" in result.output
    host, port, workers, threads, _key, public = started["args"]
    assert (workers, public, started["warm"], started["ran"]) == (3, True, {"public": True},
                                                                  True)


@pytest.mark.parametrize(("role", "shows_email"), [(None, False), ("viewer", False),
                                                    ("team_member", True)])
def test_the_staff_site_names_who_saved_a_story_to_staff_only(canary_url: str,
                                                              role: str | None,
                                                              shows_email: bool) -> None:
    from dashboards.components.story import story_section

    app = create_app(canary_url)
    with as_user(app, role, "/indicators/grad_rate"):
        shown = text(story_section("grad_rate", "en"))
    assert (CANARY_EMAIL in shown) is shows_email
    assert ("saved by the Academic Success Result Team" in shown) is not shows_email
    app.server.config["RBA_SESSION_FACTORY"].kw["bind"].dispose()


def test_the_version_reader_reads_what_a_session_reads(canary_url: str,
                                                       public_url: str) -> None:
    """The one-round-trip read of the data version a server makes on each shared request
    (rba.store.versions) agrees with a session's, for the staff site and, as the public
    role on PostgreSQL, through the published view; and moves with a write."""
    staff, public = connect(canary_url), connect(public_url, published=True)
    readers = [VersionReader(staff), VersionReader(public)]
    try:
        with session_scope(staff) as session:
            before = data_version(session=session)
        with session_scope(public) as session:
            assert data_version(session=session) == before
        assert [read() for read in readers] == [before, before] and before > 0
        with session_scope(staff) as session:
            save_story(session=session, code="grad_rate", actor="t",
                       fields={"story_behind_the_curve": "Tutoring after school helped."})
        after = [read() for read in readers]
        assert after[0] == after[1] > before
    finally:
        for factory, reader in zip((staff, public), readers, strict=True):
            factory.kw["bind"].dispose()
            reader.engine.dispose()
