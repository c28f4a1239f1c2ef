"""Every level of an indicator entered only at its finest figures, through the CLI:
`rba curve --where` finds a subtotal, `--all-levels` its sub-series, `rba scorecard` every
level (the roll-up cube, rba.calc.rollup_cells)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import RESULTS, TEAMS, write_workbook

from rba.cli import main

INDICATOR = {"code": "reading", "result": "R2", "name": "Reading at grade level",
             "unit": "percent", "polarity": "up", "frequency": "school_year",
             "kind": "headline", "dimensions": "city, student_group", "published": "yes"}
# (city, group): (hits, tested) per school year; only the finest figures are entered.
FINEST = {
    ("Altadena", "Latino"): {"2021-22": (30, 60), "2022-23": (36, 60)},
    ("Altadena", "White"): {"2021-22": (20, 40), "2022-23": (30, 50)},
    ("Pasadena", "Latino"): {"2021-22": (90, 200), "2022-23": (100, 200)},
    ("Pasadena", "White"): {"2021-22": (70, 100), "2022-23": (72, 100)},
}


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def finest_only(cli_env: str, tmp_path: Path) -> str:
    observations = [{"indicator": "reading", "period": p, "value": round(100 * n / d, 6),
                     "numerator": n, "denominator": d, "city": city, "student_group": group}
                    for (city, group), years in FINEST.items() for p, (n, d) in years.items()]
    run("import", str(write_workbook(tmp_path / "finest.xlsx", {
        "teams": TEAMS, "results": RESULTS, "indicators": [INDICATOR],
        "observations": observations})))
    return cli_env


def actuals(series: dict) -> dict[str, float]:
    return {r["period"]: r["actual"] for r in series["rows"] if r["actual"] is not None}


def test_where_returns_the_rolled_up_subtotal_itself(finest_only: str) -> None:
    doc = json.loads(run("curve", "reading", "--where", "city=Altadena", "--format", "json"))
    assert [s["dimensions"] for s in doc["series"]] == [{"city": "Altadena"}]
    got = actuals(doc["series"][0])
    assert got == pytest.approx({"2021-22": 100 * 50 / 100, "2022-23": 100 * 66 / 110})
    rows = doc["series"][0]["rows"]
    assert rows[0]["numerator"] == 50 and rows[0]["denominator"] == 100


def test_all_levels_adds_the_sub_series(finest_only: str) -> None:
    doc = json.loads(run("curve", "reading", "--where", "city=Altadena", "--all-levels",
                         "--format", "json"))
    assert [s["dimensions"] for s in doc["series"]] == [
        {"city": "Altadena"}, {"city": "Altadena", "student_group": "Latino"},
        {"city": "Altadena", "student_group": "White"}]


def test_the_total_and_each_group_are_series_too(finest_only: str) -> None:
    doc = json.loads(run("curve", "reading", "--format", "json"))
    keys = [s["dimensions"] for s in doc["series"]]
    assert keys[0] == {} and len(keys) == 1 + 2 + 2 + 4
    total = actuals(doc["series"][0])
    assert total["2021-22"] == pytest.approx(100 * 210 / 400)
    latino = next(s for s in doc["series"] if s["dimensions"] == {"student_group": "Latino"})
    assert actuals(latino)["2022-23"] == pytest.approx(100 * 136 / 260)
    text = run("curve", "reading", "--where", "student_group=White")
    assert "reading (student_group=White)" in text and "note: total rolled up" in text


def test_scorecard_has_a_row_for_every_level(finest_only: str, tmp_path: Path) -> None:
    rows = json.loads(run("scorecard", "--format", "json", "--today", "2023-12-31"))
    keys = [r["dimensions"] for r in rows if r["indicator"] == "reading"]
    assert keys[0] == {} and len(keys) == 9
    total = rows[0]
    assert total["latest_period"] == "2022-23"
    assert total["latest_value"] == pytest.approx(100 * 238 / 410)


def test_scorecard_page_filters_reach_every_level(finest_only: str) -> None:
    from datetime import date

    from rba.services.scorecard import chosen_key, scorecard_page, shown_series
    from rba.store import connect

    with connect(finest_only)() as session:
        data = scorecard_page(session=session, today=date(2023, 12, 31), lang="en")
    expected = {chosen_key(): 210 / 400, chosen_key("Altadena"): 50 / 100,
                chosen_key(group="Latino"): 120 / 260,
                chosen_key("Altadena", "Latino"): 30 / 60}
    for key, share in expected.items():
        shown = shown_series(data, key)
        assert shown["indicator"].tolist() == ["reading"], key
        row = shown.iloc[0]
        assert row["latest_period"] == "2022-23"
        assert ("reading", key) in data.spans  # its sparkline's points
        start, _ = data.spans[("reading", key)]
        assert data.points.loc[start, "value"] == pytest.approx(100 * share)


def test_equity_report_compares_groups_within_a_city(finest_only: str) -> None:
    from rba.services.equity import equity_report
    from rba.store import connect

    with connect(finest_only)() as session:
        report = equity_report(session=session)
    trends = report.trends.set_index(["dimensions", "along"])
    latino = trends.loc[('{"city":"Altadena","student_group":"Latino"}', "student_group")]
    # 2022-23: Latino students in Altadena 36/60, Altadena as a whole 66/110, White 30/50.
    assert latino["within"] == '{"city":"Altadena"}'
    assert latino["latest_total"] == pytest.approx(100 * 66 / 110)
    assert latino["gap_to_total"] == pytest.approx(100 * (36 / 60 - 66 / 110))
    assert latino["gap_to_best"] == pytest.approx(0.0)  # tied with White (30/50)
    city = trends.loc[('{"city":"Altadena"}', "city")]
    assert city["within"] == "{}" and city["latest_total"] == pytest.approx(100 * 238 / 410)
