"""The result team page: what the team reviews each quarter, in both languages."""

from __future__ import annotations

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
