"""The result team page: what the team reviews each quarter, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import by_id, page, text

HEADINGS = {
    "en": ["Our indicators: what changed since the period before", "Overdue data",
           "How much did we do?", "How well did we do it?", "Is anyone better off?"],
    "es": ["Nuestros indicadores: qué cambió desde el periodo anterior", "Datos atrasados",
           "¿Cuánto hicimos?", "¿Qué tan bien lo hicimos?", "¿Hay alguien en mejor situación?"],
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_team_page_headings_in_both_languages(sample_app, lang: str) -> None:
    with page(sample_app, "team", f"/?lang={lang}") as team:
        words = text(team.layout(slug="academic-success", lang=lang, as_of="2026-01-15"))
    for heading in HEADINGS[lang]:
        assert heading in words
    assert words.index(HEADINGS[lang][2]) < words.index(HEADINGS[lang][3]) < words.index(
        HEADINGS[lang][4])


def test_team_page_lists_indicators_with_their_change(sample_app) -> None:
    with page(sample_app, "team") as team:
        layout = team.layout(slug="academic-success", as_of="2026-01-15")
    words = text(layout)
    assert "Academic Success Result Team" in words
    assert "Compared with the period before" in words
    assert any(s in words for s in ("▲ Better than the period before",
                                    "▼ Worse than the period before"))
    # Revisions are for staff: a visitor does not see them.
    assert "Figures revised since" not in words


def test_unknown_team_is_a_friendly_message(sample_app) -> None:
    with page(sample_app, "team") as team:
        assert "Result team not found" in text(by_id(team.layout(slug="nope"),
                                                     "team-not-found"))


def test_team_page_reviews_one_group_at_any_level(sample_app) -> None:
    """read_3rd is entered by city and by student group: Altadena's own series is reviewed
    when asked for, and the picker offers the cities and the student groups."""
    from rba.services.scorecard import public_inputs, scorecard
    from rba.services.team import team_review

    with page(sample_app, "team", "/?city=Altadena") as team:
        layout = team.layout(slug="academic-success", as_of="2026-01-15", city="Altadena")
    assert "Showing: City: Altadena" in text(by_id(layout, "team-group-shown"))
    picker = by_id(layout, "team-filter-city")
    assert picker.value == "Altadena"
    assert {"Pasadena", "Altadena", "Sierra Madre"} <= {o["value"] for o in picker.options}
    when = dt.date(2026, 1, 15)
    with sample_app.server.config["RBA_SESSION_FACTORY"]() as session:
        altadena = team_review(session=session, slug="academic-success", as_of=when,
                               group='{"city":"Altadena"}')
        totals = team_review(session=session, slug="academic-success", as_of=when)
        card = scorecard(session=session, today=when, inputs=public_inputs(session=session))
    assert altadena is not None and totals is not None
    reading = altadena.indicators.set_index("indicator").loc["read_3rd"]
    expected = card[(card["indicator"] == "read_3rd")
                    & (card["dimensions"] == '{"city":"Altadena"}')].iloc[0]
    assert (reading["latest_period"], reading["latest_value"]) == (
        expected["latest_period"], expected["latest_value"])
    assert reading["latest_value"] != totals.indicators.set_index("indicator").loc[
        "read_3rd", "latest_value"]


@pytest.mark.parametrize(("lang", "everyone"), [("en", ("All cities", "All students")),
                                                ("es", ("Todas las ciudades",
                                                        "Todos los estudiantes"))])
def test_the_group_pickers_name_the_empty_choice(sample_app, lang: str,
                                                 everyone: tuple[str, str]) -> None:
    """dbc.Select shows its own hidden placeholder option for value "": that placeholder
    must say "All cities", or the picker of a page with no group chosen looks blank."""
    with page(sample_app, "team", f"/?lang={lang}") as team:
        layout = team.layout(slug="academic-success", lang=lang, as_of="2026-01-15")
    for dimension, words in zip(("city", "student_group"), everyone, strict=True):
        picker = by_id(layout, f"team-filter-{dimension}")
        assert picker.value == "" and picker.placeholder == words
        assert picker.options[0] == {"label": words, "value": ""}
