"""Alignment: results x programs x partners, gaps, possible duplication and funding."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rba.report.alignment import (
    OVERALL,
    alignment_tables,
    funding_note,
    parse_population,
    population_overlap,
)
from rba.services.alignment import alignment
from rba.store import connect


@pytest.mark.parametrize(("text", "grades", "ages", "cities"), [
    ("Students in grades K-8, priority to those reading below grade level", range(0, 9), (),
     ()),
    ("Students in TK-8 at dual language immersion schools", range(-1, 9), (), ()),
    ("Grades 9-12, Northwest Pasadena", range(9, 13), (), ("pasadena",)),
    ("Youth aged 12-18", (), range(12, 19), ()),
    ("Youth aged 14-24 in Pasadena, Altadena and Sierra Madre", (), range(14, 25),
     ("pasadena", "altadena", "sierra madre")),
    ("Parents and caregivers of children ages 0 to 8", (), range(0, 9), ()),
    ("3rd grade readers", (3,), (), ()),
    ("Families at Madison Elementary", (), (), ()),
    ("Open 9-5 on weekdays", (), (), ()),  # a bare range is neither grades nor ages
    (None, (), (), ()),
])
def test_parse_population(text: str | None, grades: range, ages: range,
                          cities: tuple[str, ...]) -> None:
    population = parse_population(text)
    assert population.grades == frozenset(grades)
    assert population.ages == frozenset(ages)
    assert population.cities == frozenset(cities)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("Students in grades K-8 who are chronically absent",
     "Students in grades K-8 who are chronically absent!", ("same_population", "")),
    ("Students in grades K-8", "Students in TK-8 at immersion schools",
     ("shared_grades", "K-8")),
    ("Students in grades 6-12", "Grades 9-12", ("shared_grades", "9-12")),
    ("Youth aged 14-24 in Pasadena, Altadena and Sierra Madre",
     "Youth aged 12-17 in Northwest Pasadena and Altadena", ("shared_ages", "14-17")),
    ("Youth aged 12-17 in Altadena", "Youth aged 12-17 in Sierra Madre", (None, "")),
    ("Students in grades K-5", "Students in grades 6-8", (None, "")),
    ("Children aged 0-8", "Students in grades K-3", (None, "")),  # ages vs grades: not compared
    ("", "Students in grades K-5", (None, "")),
])
def test_population_overlap(a: str, b: str, expected: tuple[str | None, str]) -> None:
    assert population_overlap(parse_population(a), parse_population(b)) == expected
    assert population_overlap(parse_population(b), parse_population(a))[0] == expected[0]


RESULTS = pd.DataFrame({"result": ["R1", "R2", "R3"], "name": ["Ready", "Succeed", "Engaged"],
                        "name_es": ["Listos", "Éxito", None], "team": [None] * 3,
                        "display_order": [1, 2, 3]})
INDICATORS = pd.DataFrame({
    "indicator": ["ready", "read", "grad", "dev", "jobs"],
    "result": ["R1", "R2", "R2", "R2", "R3"],
    "name": ["Ready", "Reading", "Graduation", "Wanted", "Jobs"],
    "name_es": [None, "Lectura", None, None, None],
    "kind": ["headline", "headline", "headline", "development", "secondary"]})
PROGRAMS = pd.DataFrame({
    "program": ["summer", "tutor", "jobs", "nights"],
    "name": ["Summer", "Tutoring", "Jobs", "Nights"], "name_es": [None] * 4,
    "lead_partner": ["PUSD", "Library", "City", None],
    "population": ["Students in grades K-8", "Students in grades 3-5", "Youth aged 14-24",
                   "Students in grades K-8"],
    "annual_funding": [100.0, 50.0, 1000.0, math.nan]})
PROGRAM_RESULTS = pd.DataFrame({"program": ["summer", "summer", "jobs"],
                                "result": ["R2", "R3", "R3"]})
PROGRAM_INDICATORS = pd.DataFrame({
    "program": ["summer", "tutor", "nights", "jobs"],
    "indicator": ["read", "read", "read", "jobs"],
    "result": ["R2", "R2", "R2", "R3"]})
PROGRAM_PARTNERS = pd.DataFrame({
    "program": ["summer", "summer", "summer", "tutor"],
    "partner": ["PUSD", "City", "Library", "Library"], "lead": [True, False, False, True]})


@pytest.fixture
def tables():
    return alignment_tables(RESULTS, INDICATORS, PROGRAMS, PROGRAM_RESULTS,
                            PROGRAM_INDICATORS, PROGRAM_PARTNERS)


def test_links_are_results_by_programs_with_partners(tables) -> None:
    links = tables.links
    assert links[["result", "program", "declared", "results_served", "shared"]].values.tolist() == [
        ["R2", "nights", False, 1, False], ["R2", "summer", True, 2, True],
        ["R2", "tutor", False, 1, False], ["R3", "jobs", True, 1, False],
        ["R3", "summer", True, 2, True]]
    summer = links[(links["program"] == "summer") & (links["result"] == "R2")].iloc[0]
    assert summer["partners"] == "PUSD; City; Library"  # lead first
    assert summer["indicators"] == ("read",)
    assert links.loc[links["program"] == "nights", "partners"].item() == ""


def test_gaps(tables) -> None:
    assert tables.result_gaps["result"].tolist() == ["R1"]
    # read and jobs have programs; the development indicator is not a gap.
    assert tables.indicator_gaps[["result", "indicator", "kind"]].values.tolist() == [
        ["R1", "ready", "headline"], ["R2", "grad", "headline"]]


def test_possible_duplication(tables) -> None:
    dup = tables.duplications
    assert dup[["indicator", "program_a", "program_b", "overlap", "shared"]].values.tolist() == [
        ["read", "nights", "summer", "same_population", ""],
        ["read", "nights", "tutor", "shared_grades", "3-5"],
        ["read", "summer", "tutor", "shared_grades", "3-5"]]
    assert dup["combined_funding"].tolist() == [100.0, 50.0, 150.0]
    assert dup["name_es"].tolist() == ["Lectura"] * 3


def test_funding_once_per_result_and_once_overall(tables) -> None:
    funding = tables.funding.set_index("result")
    assert funding.index.tolist() == ["R1", "R2", "R3", OVERALL]
    assert funding.loc["R2", ["programs", "funded_programs", "funding", "shared_funding"]
                       ].tolist() == [3, 2, 150.0, 100.0]
    assert funding.loc["R3", ["programs", "funding", "shared_funding"]].tolist() == [
        2, 1100.0, 100.0]
    assert funding.loc["R1", "programs"] == 0 and math.isnan(funding.loc["R1", "funding"])
    # The summer program (100) serves R2 and R3 but counts once overall.
    assert funding.loc[OVERALL, ["programs", "funded_programs", "funding"]].tolist() == [
        4, 3, 1150.0]


def test_funding_notes_in_both_languages(tables) -> None:
    rows = tables.funding.set_index("result", drop=False)
    assert funding_note(rows.loc["R2"], "en") == (
        "Includes $100 from programs that also serve other results.")
    assert funding_note(rows.loc["R2"], "es") == (
        "Incluye $100 de programas que también contribuyen a otros resultados.")
    assert funding_note(rows.loc["R1"], "en") == ""
    assert funding_note(rows.loc[OVERALL], "es").startswith("Cada programa se cuenta una")


def test_sample_alignment(sample_url: str) -> None:
    factory = connect(sample_url)
    with factory() as session:
        result = alignment(session=session)
    factory.kw["bind"].dispose()
    assert result.result_gaps["result"].tolist() == ["R1"]
    assert {"kinder_ready", "grad_rate", "suspension_rate"} <= set(
        result.indicator_gaps["indicator"])
    pairs = result.duplications[["indicator", "program_a", "program_b", "overlap"]]
    assert pairs.values.tolist() == [
        ["read_3rd", "dual_language", "summer_learning", "shared_grades"],
        ["chronic_absence", "attendance_mentors", "attendance_outreach", "same_population"]]
    funding = result.funding.set_index("result")
    # Nine programs; youth_diversion has no funding entered.
    assert funding.loc[OVERALL, ["programs", "funded_programs", "funding"]].tolist() == [
        9, 8, 3425000.0]
    assert funding.loc["R2", "funding"] == 850000 + 420000 + 310000 + 95000
