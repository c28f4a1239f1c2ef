"""The bundled sample workbook (data/sample/*.csv) follows the spec and tells a coherent story.

Reads the CSVs with pandas only; the one package import is the workbook spec itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from rba.sheets import SHEETS as ALL_SHEETS
from rba.sheets import SHEETS_BY_NAME

# Frozen baselines are agreements made with the product (`rba demo` freezes its own), not
# figures the generator writes.
DERIVED = {"baselines"}
SHEETS = tuple(s for s in ALL_SHEETS if s.name not in DERIVED)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

RESULT_NAMES = [
    "Children's developmental needs are met",
    "Students succeed academically",
    "Students are actively involved in learning and the community",
    "Students are healthy physically, socially and emotionally",
    "Students live and learn in stable and supportive environments",
    "Families are actively involved in children's education",
    "Pasadena is a desirable place to live",
]
CITIES = {"Pasadena", "Altadena", "Sierra Madre"}
PERIOD_PATTERNS = {
    "school_year": r"\d{4}-\d{2}",
    "year": r"\d{4}",
    "quarter": r"\d{4}-Q[1-4]",
    "fiscal_year": r"FY\d{4}",
    "month": r"\d{4}-\d{2}",
}
TOLERANCE = 0.05 + 1e-9


def read(sheet: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / f"{sheet}.csv", dtype=str, keep_default_na=False,
                       encoding="utf-8")


@pytest.fixture(scope="module")
def sheets() -> dict[str, pd.DataFrame]:
    return {s.name: read(s.name) for s in SHEETS}


@pytest.fixture(scope="module")
def indicators(sheets) -> pd.DataFrame:
    return sheets["indicators"].set_index("code", drop=False)


@pytest.fixture(scope="module")
def obs(sheets) -> pd.DataFrame:
    return sheets["observations"]


def split(cell: str, sep: str = ",") -> list[str]:
    return [part.strip() for part in cell.split(sep) if part.strip()]


def is_total(df: pd.DataFrame) -> pd.Series:
    return (df["student_group"] == "") & (df["city"] == "")


def num(x: str) -> float:
    return float(x)


# ------------------------------------------------------------------------------ format


def test_every_sheet_present_with_exactly_the_spec_columns(sheets):
    dimension_names = set(sheets["dimensions"]["dimension"])
    assert dimension_names == {"city", "student_group"}
    for sheet in SHEETS:
        columns = list(sheets[sheet.name].columns)
        if sheet.has_dimensions:
            assert columns[: len(sheet.column_names)] == sheet.column_names, sheet.name
            assert set(columns[len(sheet.column_names):]) == dimension_names, sheet.name
        else:
            assert columns == sheet.column_names, sheet.name


def test_files_are_utf8_without_bom_and_small():
    total = 0
    for path in SAMPLE.glob("*.csv"):
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), path.name
        raw.decode("utf-8")
        total += len(raw)
    assert {p.stem for p in SAMPLE.glob("*.csv")} == set(SHEETS_BY_NAME) - DERIVED
    assert total < 1_500_000


def test_readme_says_the_figures_are_illustrative():
    text = (SAMPLE / "README.md").read_text(encoding="utf-8").lower()
    assert "illustrative" in text and "not official" in text
    assert "generate_sample.py" in text


def test_required_cells_filled_and_choices_valid(sheets):
    for sheet in SHEETS:
        df = sheets[sheet.name]
        assert len(df) > 0, sheet.name
        for column in sheet.columns:
            if column.required:
                assert (df[column.name].str.strip() != "").all(), (sheet.name, column.name)
            if column.kind == "choice":
                values = set(df[column.name]) - {""}
                assert values <= set(column.choices), (sheet.name, column.name, values)
            if column.kind == "yes_no":
                assert set(df[column.name]) <= {"yes", "no", ""}, (sheet.name, column.name)


def test_numbers_are_plain(sheets):
    plain = re.compile(r"-?\d+(\.\d+)?")
    for sheet in SHEETS:
        df = sheets[sheet.name]
        for column in sheet.columns:
            if column.kind in ("number", "integer"):
                cells = [c for c in df[column.name] if c != ""]
                bad = [c for c in cells if not plain.fullmatch(c)]
                assert not bad, (sheet.name, column.name, bad[:5])
                if column.kind == "integer":
                    assert all("." not in c for c in cells), (sheet.name, column.name)


def test_keys_are_unique(sheets):
    for sheet in SHEETS:
        df = sheets[sheet.name]
        key = list(sheet.key) + (["student_group", "city"] if sheet.has_dimensions else [])
        if sheet.name == "stories":
            key = [*key, "saved_at"]  # two versions of a story differ by when they were saved
        assert not df.duplicated(key).any(), sheet.name


# ------------------------------------------------------------------------------ population


def test_teams_and_seven_results(sheets):
    teams, results = sheets["teams"], sheets["results"]
    assert len(teams) == 7
    assert (teams["name_es"] != "").all() and (teams["facilitator"] != "").all()
    assert all(len(split(m, ";")) >= 3 for m in teams["members"])
    assert list(results["code"]) == [f"R{i}" for i in range(1, 8)]
    assert list(results["name"]) == RESULT_NAMES
    assert list(results["order"]) == [str(i) for i in range(1, 8)]
    assert "Los estudiantes tienen éxito académico" in set(results["name_es"])
    for column in ("name_es", "description", "description_es"):
        assert (results[column] != "").all(), column
    assert set(results["team"]) == set(teams["slug"])


def test_dimensions_are_labelled(sheets):
    dims = sheets["dimensions"]
    for name in ("city", "student_group"):
        rows = dims[dims["dimension"] == name]
        label = rows[rows["value"] == ""]
        assert len(label) == 1 and label.iloc[0]["label"] and label.iloc[0]["label_es"]
        assert (rows["label_es"] != "").all()
    assert set(dims.loc[dims["dimension"] == "city", "value"]) - {""} == CITIES
    groups = set(dims.loc[dims["dimension"] == "student_group", "value"]) - {""}
    assert {"African American", "Latino", "English Learners"} <= groups
    assert len(groups) >= 6


def test_indicator_catalogue(indicators, sheets):
    assert len(indicators) >= 25
    assert indicators["code"].str.fullmatch(r"[a-z][a-z0-9_]*").all()
    assert set(indicators["result"]) == set(sheets["results"]["code"])
    for result, group in indicators.groupby("result"):
        headline = (group["kind"] == "headline").sum()
        assert 3 <= headline <= 4, result
    assert (indicators["kind"] == "secondary").sum() >= 5
    assert (indicators["kind"] == "development").sum() >= 3
    assert indicators["source"].str.lower().str.contains("illustrative").all()
    for column in ("name_es", "definition", "definition_es"):
        assert (indicators[column] != "").all(), column
    assert (indicators["technical_definition"] != "").mean() > 0.5
    assert (indicators["published"] == "yes").all()
    rates = indicators[indicators["unit"] == "rate"]
    assert len(rates) >= 2 and (rates["per"] != "").all()
    assert (indicators.loc[indicators["unit"] != "rate", "per"] == "").all()
    assert {"up", "down"} <= set(indicators["polarity"])
    for code in ("grad_rate", "read_3rd", "chronic_absence"):
        assert code in indicators.index
    assert indicators.loc["chronic_absence", "polarity"] == "down"
    assert indicators.loc["juvenile_arrests", "per"] == "1000"
    # student-level indicators carry the suppression threshold
    assert (indicators.loc[["read_3rd", "grad_rate", "chronic_absence"], "min_n"] == "11").all()


def test_frequencies(indicators):
    frequencies = indicators["frequency"].value_counts()
    assert {"year", "school_year", "quarter"} <= set(frequencies.index)
    measured = indicators[indicators["kind"] != "development"]
    assert (measured["frequency"] == "quarter").sum() >= 4


def test_development_agenda_has_no_observations(indicators, obs):
    development = set(indicators.index[indicators["kind"] == "development"])
    assert len(development) >= 2
    assert not development & set(obs["indicator"])


def test_history_of_every_measured_indicator(indicators, obs):
    measured = indicators[indicators["kind"] != "development"]
    for code, row in measured.iterrows():
        rows = obs[obs["indicator"] == code]
        with_value = rows.loc[rows["value"] != "", "period"].unique()
        assert len(with_value) >= 8, code
        pattern = PERIOD_PATTERNS[row["frequency"]]
        assert rows["period"].str.fullmatch(pattern).all(), code


def test_periods_span_the_agreed_ranges(indicators, obs):
    periods = obs.assign(frequency=obs["indicator"].map(indicators["frequency"]))
    by_frequency = periods.groupby("frequency")["period"].agg(["min", "max"])
    assert tuple(by_frequency.loc["school_year"]) == ("2016-17", "2025-26")
    assert tuple(by_frequency.loc["year"]) == ("2016", "2025")
    assert tuple(by_frequency.loc["quarter"]) == ("2018-Q1", "2026-Q3")


def test_status_final_except_latest(obs):
    assert set(obs["status"]) == {"final", "provisional"}
    for code, rows in obs.groupby("indicator"):
        latest = max(rows["period"])
        assert (rows.loc[rows["period"] == latest, "status"] == "provisional").all(), code
        assert (rows.loc[rows["period"] != latest, "status"] == "final").all(), code


def test_blank_values_are_explained(obs):
    blank = obs[obs["value"] == ""]
    assert len(blank) >= 1
    assert (blank["note"] != "").all()
    assert (blank["numerator"] == "").all() and (blank["denominator"] == "").all()


def test_notes_mention_pandemic_and_method_change(obs):
    notes = " ".join(obs["note"]).lower()
    assert "distance learning year" in notes
    assert "method change" in notes


def test_ratio_values_agree_with_numerator_and_denominator(indicators, obs):
    scale = {
        code: 100.0 if row["unit"] == "percent" else float(row["per"])
        for code, row in indicators.iterrows() if row["unit"] in ("percent", "rate")
    }
    checked = 0
    for _, row in obs.iterrows():
        if row["indicator"] not in scale or row["value"] == "":
            continue
        assert row["numerator"] and row["denominator"], (row["indicator"], row["period"])
        n, d = num(row["numerator"]), num(row["denominator"])
        assert n == int(n) and d == int(d) and 0 <= n <= d and d > 0, dict(row)
        expected = n / d * scale[row["indicator"]]
        assert abs(num(row["value"]) - expected) <= TOLERANCE, dict(row)
        assert row["value"] == f"{num(row['value']):.1f}"
        checked += 1
    assert checked > 500


def test_counts_have_whole_values(indicators, obs):
    counts = set(indicators.index[indicators["unit"] == "count"])
    rows = obs[obs["indicator"].isin(counts) & (obs["value"] != "")]
    assert len(rows) > 0
    assert rows["value"].str.fullmatch(r"\d+").all()


def test_disaggregation(indicators, obs, sheets):
    dims = sheets["dimensions"]
    known = {name: set(rows["value"]) - {""} for name, rows in dims.groupby("dimension")}
    assert not ((obs["student_group"] != "") & (obs["city"] != "")).any()  # no cross product
    by_group = set(obs.loc[obs["student_group"] != "", "indicator"])
    by_city = set(obs.loc[obs["city"] != "", "indicator"])
    assert len(by_group) >= 5
    assert len(by_city) >= 4
    assert len(by_group & by_city) >= 2
    assert set(obs["student_group"]) - {""} <= known["student_group"]
    assert set(obs["city"]) - {""} <= known["city"]
    for code in by_group | by_city:
        declared = set(split(indicators.loc[code, "dimensions"]))
        used = {name for name, codes in (("student_group", by_group), ("city", by_city))
                if code in codes}
        assert used == declared, code
        rows = obs[obs["indicator"] == code]
        for period, at in rows.groupby("period"):
            assert is_total(at).sum() == 1, (code, period)
            if code in by_city and at.loc[is_total(at), "value"].iloc[0] != "":
                assert set(at["city"]) - {""} == CITIES, (code, period)
    undeclared = indicators[indicators["dimensions"] == ""].index
    assert is_total(obs[obs["indicator"].isin(undeclared)]).all()


def test_city_totals_are_the_sum_of_the_cities(indicators, obs):
    by_city = set(obs.loc[obs["city"] != "", "indicator"])
    for code in by_city:
        rows = obs[(obs["indicator"] == code) & (obs["student_group"] == "")]
        for period, at in rows.groupby("period"):
            total = at[at["city"] == ""].iloc[0]
            parts = at[at["city"] != ""]
            if total["value"] == "":
                continue
            if indicators.loc[code, "unit"] in ("percent", "rate"):
                for column in ("numerator", "denominator"):
                    assert num(total[column]) == parts[column].astype(float).sum(), (
                        code, period, column)
            else:
                assert num(total["value"]) == parts["value"].astype(float).sum(), (code, period)


def test_small_groups_for_suppression(indicators, obs):
    sierra = obs[(obs["city"] == "Sierra Madre") & (obs["value"] != "")]
    ratio = sierra[sierra["denominator"] != ""]
    small_ratio = ratio[ratio["denominator"].astype(float) < 11]
    counts = sierra[sierra["indicator"].map(indicators["unit"]) == "count"]
    small_count = counts[counts["value"].astype(float) < 11]
    assert len(small_ratio) + len(small_count) >= 3
    assert len(small_ratio) >= 1


def test_targets(indicators, sheets):
    targets = sheets["targets"]
    assert set(targets["indicator"]) <= set(indicators.index)
    headline = set(indicators.index[indicators["kind"] == "headline"])
    with_target = set(targets["indicator"]) & headline
    assert len(with_target) >= len(headline) * 0.6
    for code, rows in targets.groupby("indicator"):
        pattern = PERIOD_PATTERNS[indicators.loc[code, "frequency"]]
        assert rows["period"].str.fullmatch(pattern).all(), code
        assert (rows["rationale"] != "").all(), code
        assert len(rows[is_total(rows)]) >= 2, code  # a final and an interim target
    final_periods = {"2027-28", "2028", "2028-Q4"}
    assert final_periods <= set(targets["period"])


# ------------------------------------------------------------------------------ performance


def test_partners(sheets):
    partners = sheets["partners"]
    assert len(partners) >= 12
    types = dict(zip(partners["name"], partners["type"], strict=True))
    assert types["Pasadena Unified School District"] == "school_district"
    assert types["City of Pasadena"] == "city"
    assert "county" in types.values() and "faith" in types.values()
    assert "business" in types.values()
    assert sum(t == "nonprofit" for t in types.values()) >= 3


def test_programs_reference_existing_codes(sheets, indicators):
    programs, partners = sheets["programs"], set(sheets["partners"]["name"])
    results = set(sheets["results"]["code"])
    assert len(programs) >= 7
    for _, p in programs.iterrows():
        assert p["lead_partner"] in partners, p["code"]
        assert set(split(p["partners"], ";")) <= partners, p["code"]
        assert split(p["results"]) and set(split(p["results"])) <= results, p["code"]
        assert split(p["indicators"]) and set(split(p["indicators"])) <= set(
            indicators.index), p["code"]
        for code in split(p["indicators"]):
            assert indicators.loc[code, "result"] in split(p["results"]), (p["code"], code)
        assert p["population"], p["code"]
    assert (programs["annual_funding"] != "").mean() > 0.5


def test_programs_show_a_gap_and_a_duplication(sheets):
    programs = sheets["programs"]
    served = {r for cell in programs["results"] for r in split(cell)}
    assert set(sheets["results"]["code"]) - served, "no result without a program"
    pairs = [
        (ind, p["population"]) for _, p in programs.iterrows() for ind in split(p["indicators"])
    ]
    assert len(pairs) > len(set(pairs)), "no two programs serve the same indicator and people"


def test_measures(sheets):
    measures, programs = sheets["measures"], sheets["programs"]
    assert set(measures["program"]) <= set(programs["code"])
    assert measures["code"].str.fullmatch(r"[a-z][a-z0-9_]*").all()
    per_program = measures.groupby("program")
    assert per_program.size().between(3, 4).all()
    assert set(per_program.size().index) == set(programs["code"])
    full = [p for p, rows in per_program if set(rows["kind"]) == {
        "how_much", "how_well", "better_off"}]
    assert len(full) >= 5
    assert set(measures["frequency"]) <= {"school_year", "quarter"}


def test_measure_observations_and_targets(sheets):
    measures = sheets["measures"].set_index("code")
    figures = sheets["measure_observations"]
    assert set(figures["measure"]) == set(measures.index)
    assert figures.groupby("measure")["period"].nunique().between(4, 8).all()
    for _, row in figures.iterrows():
        assert re.fullmatch(PERIOD_PATTERNS[measures.loc[row["measure"], "frequency"]],
                            row["period"])
        if measures.loc[row["measure"], "unit"] == "percent":
            n, d = num(row["numerator"]), num(row["denominator"])
            assert abs(num(row["value"]) - n / d * 100) <= TOLERANCE, dict(row)
    targets = sheets["measure_targets"]
    assert len(targets) >= 3
    assert set(targets["measure"]) <= set(measures.index)


# ------------------------------------------------------------------------------ stories


def test_turn_the_curve_stories(sheets, indicators):
    stories = sheets["stories"]
    assert set(stories["indicator"]) <= set(indicators.index)
    headline = set(indicators.index[indicators["kind"] == "headline"])
    assert len(set(stories["indicator"]) & headline) >= 10
    for column in ("story_behind_the_curve", "partners", "what_works", "action_plan",
                   "saved_by", "saved_at"):
        assert (stories[column] != "").all(), column
    assert stories["what_works"].str.contains(r"(?i)no-cost|low-cost").all()
    spanish = stories[stories["story_behind_the_curve_es"] != ""]
    assert spanish["indicator"].nunique() >= 3
    assert (spanish[["partners_es", "what_works_es", "action_plan_es"]] != "").all().all()
    assert stories["saved_at"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    pd.to_datetime(stories["saved_at"], format="%Y-%m-%d")
    versions = stories.groupby("indicator")["saved_at"]
    assert (versions.size() >= 2).any()
    assert versions.apply(lambda s: s.is_monotonic_increasing).all()  # older first
