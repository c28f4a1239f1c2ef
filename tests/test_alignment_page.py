"""The alignment page: results x programs, gaps, possible duplication and funding."""

from __future__ import annotations

from factories import by_id, page, text

from dashboards import ids


def test_r1_is_a_gap_on_the_sample_data(sample_app) -> None:
    with page(sample_app, "alignment") as alignment:
        layout = alignment.layout()
    gaps = text(by_id(layout, ids.ALIGNMENT_RESULT_GAPS))
    assert "R1. Children's developmental needs are met" in gaps
    assert "R2." not in gaps
    matrix = by_id(layout, ids.ALIGNMENT_MATRIX)
    first = [r for r in matrix.children[-1].children][0]
    assert "R1." in text(first.children[0]) and first.className == "table-warning"


def test_duplication_and_funding_are_listed(sample_app) -> None:
    with page(sample_app, "alignment") as alignment:
        layout = alignment.layout()
    duplication = text(by_id(layout, ids.ALIGNMENT_DUPLICATIONS))
    assert "Chronic absence rate" in duplication and "Same population" in duplication
    funding = text(by_id(layout, ids.ALIGNMENT_FUNDING))
    assert "$3,425,000" in funding and "All results" in funding
    assert "Each program counted once" in funding


def test_alignment_page_in_spanish(sample_app) -> None:
    with page(sample_app, "alignment", "/?lang=es") as alignment:
        words = text(alignment.layout(lang="es"))
    assert "Posible duplicación" in words and "Se satisfacen" in words
