"""The result page (/results/<code>): indicators by kind, agenda, team, programs, partners."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from dash import Dash
from factories import by_id, seed_store, text

from dashboards import ids
from dashboards.app import create_app
from rba.store import connect, session_scope


@pytest.fixture
def app(sqlite_url: str) -> Dash:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
    return create_app(sqlite_url)


@pytest.fixture
def result(app: Dash) -> Iterator[Any]:
    with app.server.test_request_context("/results/R2"):
        yield importlib.import_module("dashboards.pages.result")


def test_result_lists_headline_then_secondary_then_agenda(result: Any) -> None:
    layout = result.layout(code="R2")
    assert "Students succeed academically" in text(by_id(layout, ids.RESULT_NAME))
    words = text(layout)
    assert (words.index("Headline indicators") < words.index("High school graduation rate")
            < words.index("Secondary indicators") < words.index("Juvenile arrests")
            < words.index("Data development agenda")
            < words.index("Graduates still in college"))
    assert "82.1%" in words and "4.2 per 1,000" in words
    assert "Not yet published" not in words


def test_result_shows_its_team_and_says_when_no_program_is_aligned(result: Any) -> None:
    layout = result.layout(code="R2")
    assert "Academic Success Result Team" in text(by_id(layout, ids.RESULT_TEAM))
    assert "No program is aligned with this result yet" in text(
        by_id(layout, ids.RESULT_PROGRAMS))
    assert "No result team is assigned yet" in text(result.layout(code="R1"))


@pytest.mark.parametrize("code", ["R9", None])
def test_unknown_result_is_a_friendly_message(result: Any, code: str | None) -> None:
    assert "Result not found" in text(by_id(result.layout(code=code), ids.NOT_FOUND))


def test_result_in_spanish_uses_spanish_words_and_numbers(app: Dash) -> None:
    with app.server.test_request_context("/results/R2?lang=es"):
        words = text(importlib.import_module("dashboards.pages.result").layout(
            code="R2", lang="es"))
    assert "Indicadores principales" in words and "Agenda de desarrollo de datos" in words
    assert "4.2 por 1,000" in words and "Año escolar 2023-24" in words
    assert "Resultado 2" in words


def test_sample_result_lists_aligned_programs_partners_and_funding(sample_url: str) -> None:
    app = create_app(sample_url)
    with app.server.test_request_context("/results/R2?lang=es"):
        layout = importlib.import_module("dashboards.pages.result").layout(code="R2",
                                                                           lang="es")
    programs = text(by_id(layout, ids.RESULT_PROGRAMS))
    assert "Programas y socios alineados" in programs
    assert "Pasadena Unified School District" in programs and "$" in programs
    assert "Los estudiantes tienen éxito académico" in text(by_id(layout, ids.RESULT_NAME))
    team = text(by_id(layout, ids.RESULT_TEAM))
    assert "Equipo de Resultados de Éxito Académico" in team and "Marcus Bell" in team


def test_result_says_how_many_headline_indicators_beat_their_baseline(result: Any) -> None:
    from dashboards.components.scorecard import load_scorecard

    layout = result.layout(code="R2")
    summary = load_scorecard().summary
    mine = summary[(summary["result"] == "R2") & (summary["kind"] == "headline")
                   & (summary["dimensions"] == "{}")]
    better = int((mine["verdict"] == "better_than_baseline").sum())
    assert text(by_id(layout, ids.RESULT_VERDICTS)) == (
        f"{better} of {len(mine)} headline indicator"
        f"{'s' if len(mine) != 1 else ''} doing better than "
        f"{'their' if len(mine) != 1 else 'its'} baseline")
    assert len(mine) >= 1
