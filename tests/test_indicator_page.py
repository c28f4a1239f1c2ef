"""The indicator page: its chart, controls, downloads and turn-the-curve editor, called as
plain functions inside a Flask request (as Dash calls them)."""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest
import sqlalchemy as sa
from dash import Dash
from dash.exceptions import PreventUpdate
from factories import PASSWORD, as_user, by_id, seed_store, seed_users, text, walk
from werkzeug.exceptions import Forbidden, Unauthorized

from dashboards import ids
from dashboards.app import create_app
from rba.models import (
    Baseline,
    DimensionValue,
    Indicator,
    Observation,
    ResultTeam,
    TurnTheCurveRecord,
)
from rba.store import connect, session_scope
from rba.store.baselines import freeze
from rba.store.people import add_user
from rba.store.replay import current_state, replayed

META = {"code": "grad_rate", "lang": "en"}
TOTAL = "grad_rate:{}"



def freeze_total(session: Any, through: str, level: float) -> None:
    """Freeze the total's baseline as `rba baseline freeze` does."""
    from rba.calc import frozen_baseline
    from rba.report.curves import ordinal_summary
    from rba.services.curves import indicator_curve

    curve = indicator_curve(session=session, code="grad_rate", where={},
                            baseline_through=through, method="linear", level=level)
    curve_total = curve.summary[curve.summary["dimensions"] == "{}"]
    points = frozen_baseline(curve.rows, ordinal_summary(curve))
    freeze(session=session, code="grad_rate", points=points, summary=curve_total,
           actor="test")


@pytest.fixture
def app(sqlite_url: str) -> Dash:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
        seed_users(session)
        session.add(ResultTeam(slug="other", name="Another team"))
        session.flush()
        add_user(session=session, email="other@example.org", role="team_member",
                 password=PASSWORD, actor="test", team="other")
        freeze_total(session, "2021-22", level=0.9)
    return create_app(sqlite_url)


@pytest.fixture
def page(app: Dash) -> Iterator[Any]:
    with app.server.test_request_context("/"):
        yield importlib.import_module("dashboards.pages.indicator")


@contextmanager
def signed_in(app: Dash, who: str | None) -> Iterator[Any]:
    """A request with someone signed in: a role of factories.USERS, or "other"."""
    if who == "other":
        from flask_login import login_user

        from dashboards.signin import load_account
        from rba.models import User

        with app.server.test_request_context("/"):
            with app.server.config["RBA_SESSION_FACTORY"]() as session:
                uid = session.scalar(sa.select(User.id).where(
                    User.email == "other@example.org"))
            login_user(load_account(str(uid)))
            yield importlib.import_module("dashboards.components.story")
        return
    with as_user(app, who):
        yield importlib.import_module("dashboards.components.story")


def baselines(app: Dash) -> list[tuple]:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return [tuple(r) for r in session.execute(sa.select(
            Baseline.id, Baseline.method, Baseline.level, Baseline.history_through))]


def test_the_chart_shows_the_frozen_baseline_band_and_each_status(page: Any) -> None:
    layout = page.layout(code="grad_rate")
    figure = go.Figure(page.decoded(by_id(layout, ids.CURVE_GRAPH).figure))
    names = {t.name for t in figure.data}
    assert {"Actual", "Forecast (current course)", "90% prediction interval", "Target",
            "Status against the baseline"} <= names
    band = next(t for t in figure.data if t.fill == "tonexty")
    assert band.name == "90% prediction interval"
    forecast = next(t for t in figure.data if t.name == "Forecast (current course)")
    assert forecast.line.dash == "dash"
    table = text(by_id(layout, ids.CURVE_TABLE))
    assert "Status" in table
    assert any(s in table for s in ("▲ Better than forecast", "≈ Within forecast",
                                    "▼ Worse than forecast"))
    verdict = text(by_id(layout, ids.CURVE_STATUS))
    assert any(v in verdict for v in ("▲ Better than its baseline", "≈ On its baseline",
                                      "▼ Worse than its baseline"))
    assert "against the agreed baseline" in verdict
    # Charts are saved with the Download buttons (named for the indicator, with the credit
    # under the title), not the modebar's camera, which would leave the credit out.
    config = by_id(layout, ids.CURVE_GRAPH).config
    assert "toImage" in config["modeBarButtonsToRemove"]
    assert by_id(layout, ids.CURVE_FILENAME).data == "grad_rate"
    assert "Collaborate PASadena" in "".join(by_id(layout, ids.CURVE_CREDIT).data)


def test_trying_another_method_refits_without_touching_the_baseline(app: Dash, page: Any
                                                                    ) -> None:
    before = baselines(app)
    frozen, *_rest = page.update_curve(TOTAL, False, "frozen", None, META)
    holt, *_rest = page.update_curve(TOTAL, False, "holt", 0.8, META)
    flat, *_rest = page.update_curve(TOTAL, False, "flat", None, META)

    def forecast(figure: Any) -> list:
        traces = go.Figure(page.decoded(figure)).data
        return list(next(t for t in traces if t.name.startswith("Forecast")).y)

    assert forecast(holt) != forecast(frozen) and forecast(flat) != forecast(frozen)
    narrow, *_rest = page.update_curve(TOTAL, False, "linear", 0.8, META)
    assert any(t.name == "80% prediction interval" for t in go.Figure(page.decoded(narrow)).data)
    assert baselines(app) == before  # nothing stored, nothing changed
    again, *_rest = page.update_curve(TOTAL, False, "frozen", None, META)
    assert pd.Series(forecast(again)).equals(pd.Series(forecast(frozen)))


def test_all_groups_side_by_side(page: Any) -> None:
    figure, table, status, multiples, style = page.update_curve(TOTAL, True, None, None, META)
    graphs = [n for n in walk(multiples) if getattr(n, "figure", None) is not None]
    assert len(graphs) == 2 and style == {"display": "none"}
    assert {g.figure["layout"]["title"]["text"] for g in graphs} == {"Total", "City: Altadena"}


@pytest.mark.parametrize("meta", [None, {}, {"code": 5}, {"code": "hidden", "lang": "en"}])
def test_crafted_calls_draw_nothing(page: Any, meta: Any) -> None:
    with pytest.raises(PreventUpdate):
        page.update_curve("hidden:{}", False, None, None, meta)


def test_small_groups_are_withheld(app: Dash, page: Any) -> None:
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        from rba.models import Indicator
        session.execute(sa.update(Indicator).where(Indicator.code == "grad_rate").values(
            min_n=500))  # Altadena's 200 students are too few
    figure, table, *_rest = page.update_curve("grad_rate:{\"city\":\"Altadena\"}", False,
                                              None, None, META)
    words = text(table)
    assert "Withheld" in words and "77.1%" not in words
    assert not any(t["name"] == "Actual" for t in figure["data"])


def test_downloads_neutralise_formulas(app: Dash, page: Any) -> None:
    with session_scope(app.server.config["RBA_SESSION_FACTORY"]) as session:
        session.execute(sa.update(DimensionValue).where(DimensionValue.value == "Altadena")
                        .values(label="=HYPERLINK(\"http://x\")"))
    csv = page.download_data(1, None, None, None, META)
    frame = pd.read_csv(io.StringIO(csv["content"]))
    assert set(frame["Group"]) == {"Total", "City: =HYPERLINK(\"http://x\")"}
    assert list(frame.columns) == [
        "Indicator", "Group", "Period", "Actual", "Numerator", "Denominator", "Forecast",
        "Forecast, lower bound", "Forecast, upper bound",
        "Forecast, lower bound of the 80% band", "Forecast, upper bound of the 80% band",
        "Target", "Status against the baseline"]
    assert set(frame["Indicator"]) == {"High school graduation rate"}  # not grad_rate
    xlsx = page.download_data(None, 1, None, None, META)
    assert xlsx["filename"] == "grad_rate.xlsx"
    import base64

    sheet = pd.read_excel(io.BytesIO(base64.b64decode(xlsx["content"])))
    assert len(sheet) == len(frame)
    assert not sheet["Group"].astype(str).str.startswith("=").any()


def test_a_label_starting_with_a_formula_sign_is_neutralised(page: Any) -> None:
    frame = pd.DataFrame({"group": ["=1+1", "+x", "-y", "@z", "Total"], "actual": [1.0] * 5})
    assert page.neutralised(frame)["group"].tolist() == ["'=1+1", "'+x", "'-y", "'@z",
                                                         "Total"]
    assert page.neutralised(frame)["actual"].tolist() == [1.0] * 5


STORY = {"story_behind_the_curve": "More tutors.", "story_behind_the_curve_es": "Más tutores."}


def save_args(story: dict[str, str], code: str = "grad_rate") -> tuple:
    from dashboards.components.story import FIELDS

    return (1, {"code": code, "lang": "en"}, *[story.get(f) for f in FIELDS])


def versions(app: Dash) -> int:
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(TurnTheCurveRecord))


@pytest.mark.parametrize(("who", "error"), [(None, Unauthorized), ("viewer", Forbidden),
                                            ("other", Forbidden)])
def test_a_story_save_is_refused_to_anyone_off_the_team(app: Dash, who: str | None,
                                                        error: type) -> None:
    before = versions(app)
    with signed_in(app, who) as story, pytest.raises(error):
        story.save(*save_args(STORY))
    assert versions(app) == before


@pytest.mark.parametrize("who", ["team_member", "coordinator", "admin"])
def test_the_team_and_editors_save_a_new_version_each_time(app: Dash, who: str) -> None:
    before = versions(app)
    with signed_in(app, who) as story:
        card, history, note = story.save(*save_args(STORY))
        assert "Saved as version 3." in text(note)
        assert "More tutors." in text(card)
        assert "Earlier versions" in text(history)
        story.save(*save_args({"action_plan": "Hire two tutors."}))
    assert versions(app) == before + 2
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        assert replayed(session=session)["story"] == {
            k: v for k, v in current_state(session=session)["story"].items()
            if k in replayed(session=session)["story"]}


def test_the_editor_is_shown_only_to_who_may_save(app: Dash) -> None:
    indicator = importlib.import_module("dashboards.pages.indicator")
    for who, shown in ((None, False), ("viewer", False), ("other", False),
                       ("team_member", True), ("coordinator", True)):
        with signed_in(app, who):
            layout = indicator.layout(code="grad_rate")
            found = [n for n in walk(layout) if getattr(n, "id", None) == "story-editor"]
            assert bool(found) is shown, who


def test_story_and_history_in_spanish_fall_back_to_english(app: Dash) -> None:
    with signed_in(app, "coordinator") as story:  # saved published (a team's is a draft)
        story.save(*save_args(STORY))
    with app.server.test_request_context("/?lang=es"):
        layout = importlib.import_module("dashboards.pages.indicator").layout(
            code="grad_rate", lang="es")
        words = text(layout)
    assert "Más tutores." in text(by_id(layout, ids.STORY))
    assert "La historia detrás de la curva" in words and "Versiones anteriores" in words
    assert "Qué mide" in words
    # Version 2 has no Spanish: its English text is shown.
    assert "Credit recovery helped." in words


def test_unpublished_and_unknown_indicators_are_not_found(page: Any) -> None:
    for code in ("hidden", "nope"):
        assert "Indicator not found" in text(by_id(page.layout(code=code), ids.NOT_FOUND))


def test_the_chart_says_what_its_forecast_rests_on_in_the_readers_language(
        app: Dash, sqlite_url: str) -> None:
    with session_scope(connect(sqlite_url)) as session:  # a gap in the history
        grad = session.query(Indicator).filter(Indicator.code == "grad_rate").one()
        session.query(Observation).filter(Observation.indicator_id == grad.id,
                                          Observation.period == "2020-21").delete()
    with app.server.test_request_context("/"):
        page = importlib.import_module("dashboards.pages.indicator")

        def notes(method: str, lang: str = "en") -> str:
            _figure, _table, status, *_rest = page.update_curve(
                TOTAL, False, method, None, {**META, "lang": lang})
            found = [n for n in walk(status) if getattr(n, "id", None) == "curve-notes"]
            return text(found[0]) if found else ""

        assert "Holt smoothing needs a figure for every period, so a linear trend is drawn " \
               "instead." in notes("holt")
        assert "El suavizado de Holt necesita una cifra para cada periodo" in notes("holt", "es")
        assert "This method gives no prediction interval" in notes("flat")
        assert notes("linear") == ""  # nothing a reader needs to be told
        status = page.update_curve(TOTAL, False, "linear", None, META)[2]
        assert "against a forecast fitted now" in text(status)  # the verdict is still there


# -- agreeing a baseline from the page --------------------------------------------------------

AGREE = {"code": "grad_rate", "lang": "en", "frequency": "school_year",
         "labels": {"{}": "Total", '{"city":"Altadena"}': "Altadena"}}


def test_the_agreement_form_is_shown_only_to_coordinators_and_admins(app: Dash) -> None:
    indicator = importlib.import_module("dashboards.pages.indicator")
    for who, shown in ((None, False), ("viewer", False), ("team_member", False),
                       ("coordinator", True), ("admin", True)):
        with signed_in(app, who):
            layout = indicator.layout(code="grad_rate")
            found = [n for n in walk(layout) if getattr(n, "id", None) == ids.BASELINE_AGREEMENT]
            assert bool(found) is shown, who


def test_compare_shows_the_same_candidates_as_the_service(app: Dash) -> None:
    from rba.services.curves import baseline_candidates

    with signed_in(app, "coordinator"):
        panel = importlib.import_module("dashboards.components.baseline_agreement")
        table = text(panel.compare(1, "2022-23", AGREE))
    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        frame = baseline_candidates(session=session, code="grad_rate", through="2022-23")
    assert "Linear trend" in table and "Theta method" in table and "Altadena" in table
    chosen = frame[frame["chosen"]]
    assert len(chosen) == 2  # one method chosen per group, marked on the page
    assert table.count("★") == 1 + 2  # the caption explains it; one mark per group


@pytest.mark.parametrize(("who", "error"), [(None, Unauthorized), ("viewer", Forbidden),
                                            ("team_member", Forbidden)])
def test_agreeing_is_refused_to_anyone_but_editors(app: Dash, who: str | None,
                                                   error: type) -> None:
    before = baselines(app)
    with signed_in(app, who), pytest.raises(error):
        importlib.import_module("dashboards.components.baseline_agreement").agree(
            1, "2022-23", "note", AGREE)
    assert baselines(app) == before


def test_an_agreed_baseline_is_recorded_as_the_person(app: Dash) -> None:
    before = baselines(app)
    with signed_in(app, "coordinator"):
        panel = importlib.import_module("dashboards.components.baseline_agreement")
        done = text(panel.agree(1, "2022-23", "Agreed at the March meeting", AGREE))
    assert "Agreed 2 baselines on the history through School year 2022-23" in done
    added = [b for b in baselines(app) if b not in before]
    assert [(b[1], b[3]) for b in added] == [("linear", "2022-23")] * 2  # 4 points: linear
    from rba.models import AuditEvent

    with app.server.config["RBA_SESSION_FACTORY"]() as session:
        actors = set(session.scalars(sa.select(AuditEvent.actor).where(
            AuditEvent.entity == "baseline")))
    assert "coord@example.org" in actors
