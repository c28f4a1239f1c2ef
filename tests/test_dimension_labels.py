"""Group labels in the reader's language: Spanish where entered, English as the fall-back."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import page, seed_store, walk
from sqlalchemy.orm import Session

from rba.i18n import label_map, series_label
from rba.models import DimensionValue
from rba.report.tables import series_choices
from rba.services.catalogue import dimension_labels
from rba.services.curves import indicator_detail
from rba.store import connect, session_scope

LABELS = pd.DataFrame({
    "dimension": ["student_group", "student_group", "student_group", "city"],
    "value": [None, "Low Income", "Asian", "Pasadena"],
    "label": ["Student group", "Low income", "Asian", "Pasadena"],
    "label_es": ["Grupo de estudiantes", "Bajos ingresos", "  ", None],
    "order": [-1, 1, 2, 1]})
LOW_INCOME = '{"student_group":"Low Income"}'


def test_label_map_is_english_unless_asked() -> None:
    assert label_map(LABELS)[("student_group", "Low Income")] == "Low income"
    assert label_map(LABELS, "en")[("student_group", None)] == "Student group"


def test_label_map_in_spanish_falls_back_to_english() -> None:
    spanish = label_map(LABELS, "es")
    assert spanish[("student_group", None)] == "Grupo de estudiantes"
    assert spanish[("student_group", "Low Income")] == "Bajos ingresos"
    assert spanish[("student_group", "Asian")] == "Asian"  # blank Spanish: the English
    assert spanish[("city", "Pasadena")] == "Pasadena"
    assert series_label(LOW_INCOME, spanish, lang="es") == "Grupo de estudiantes: Bajos ingresos"


def test_label_map_without_a_spanish_column_is_english() -> None:
    english_only = LABELS.drop(columns="label_es")
    assert label_map(english_only, "es") == label_map(english_only)


def test_series_choices_in_spanish() -> None:
    series = pd.DataFrame({"series": ["t", "l"], "dimensions": ["{}", LOW_INCOME]})
    assert [c["label"] for c in series_choices(series, LABELS, lang="es")] == [
        "Total", "Grupo de estudiantes: Bajos ingresos"]
    assert [c["label"] for c in series_choices(series, LABELS)] == [
        "Total", "Student group: Low income"]


@pytest.fixture
def store(sqlite_url: str) -> str:
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
        altadena = session.query(DimensionValue).filter_by(value="Altadena").one()
        altadena.label = "Altadena (unincorporated)"
        altadena.label_es = "Altadena (no incorporada)"
    return sqlite_url


def test_dimension_labels_carry_both_languages(store: str) -> None:
    factory = connect(store)
    with factory() as session:
        both = dimension_labels(session=session)
        spanish = dimension_labels(session=session, lang="es")
        detail = indicator_detail(session=session, code="grad_rate")
    factory.kw["bind"].dispose()
    assert list(both.columns) == ["dimension", "value", "label", "label_es", "order"]
    rows = both.set_index("value", drop=False)
    assert rows.loc["Altadena", ["label", "label_es"]].tolist() == [
        "Altadena (unincorporated)", "Altadena (no incorporada)"]
    # With lang, `label` itself is in that language (English where no Spanish is entered).
    assert spanish.set_index("value").loc["Altadena", "label"] == "Altadena (no incorporada)"
    assert spanish.set_index("value").loc["Pasadena", "label"] == "Pasadena"
    # The indicator page's labels have the Spanish too, for label_map(labels, "es").
    assert detail is not None
    assert label_map(detail.dimension_labels, "es")[("city", "Altadena")] == \
        "Altadena (no incorporada)"


def _options(layout: object) -> list[str]:
    found = [n for n in walk(layout) if getattr(n, "id", None) == "series-dropdown"]
    return [o["label"] for o in found[0].options]


def test_indicator_page_group_picker_in_spanish(sample_app) -> None:
    with page(sample_app, "indicator", "/?lang=es") as indicator:
        spanish = _options(indicator.layout(code="read_3rd", lang="es"))
    with page(sample_app, "indicator") as indicator:
        english = _options(indicator.layout(code="read_3rd", lang="en"))
    # read_3rd is declared by student group and city: a student group's series is all
    # cities together, and says so.
    assert "Grupo de estudiantes: Afroamericanos · Ciudad: sin desglosar" in spanish
    assert "Student group: African American · City: all" in english
    assert "Ciudad: Altadena · Grupo de estudiantes: sin desglosar" in spanish
    assert not any("African American" in o for o in spanish)


def test_sample_labels_differ_in_spanish(sample_app) -> None:
    # The sample has Spanish labels that differ from the English, so the pages can show it.
    factory = sample_app.server.config["RBA_SESSION_FACTORY"]
    session: Session
    with factory() as session:
        labels = dimension_labels(session=session)
    groups = labels[labels["dimension"] == "student_group"]
    assert groups["label_es"].notna().all()
    assert (groups["label_es"] != groups["label"]).sum() >= 6


def test_indicator_chart_titles_and_download_groups_in_spanish(sample_app) -> None:
    factory = sample_app.server.config["RBA_SESSION_FACTORY"]
    with page(sample_app, "indicator", "/?lang=es") as indicator, factory() as session:
        curve = indicator.page_curve(session, "read_3rd", None, None)
        titles = set(indicator.group_labels(curve, "es").values())
        groups = set(indicator.data_frame(curve, "es")["Grupo"])
    assert "Grupo de estudiantes: Afroamericanos · Ciudad: sin desglosar" in titles
    assert "Grupo de estudiantes: Afroamericanos · Ciudad: sin desglosar" in groups
