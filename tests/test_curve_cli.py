"""`rba curve`, `rba baseline freeze` and `rba scorecard`: the public interfaces of issue 3."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm
from click.testing import CliRunner
from factories import INDICATORS, RESULTS, TEAMS, write_workbook

from rba.cli import main
from rba.store import connect
from rba.store.replay import current_state, replayed

HISTORY = {"2016-17": 70.1, "2017-18": 71.0, "2018-19": 72.4, "2019-20": 72.0,
           "2020-21": 73.9, "2021-22": 74.5}
ALTADENA = {"2016-17": 60.0, "2017-18": 62.5, "2018-19": 61.0, "2019-20": 64.0,
            "2020-21": 66.5, "2021-22": 65.0}


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def loaded(cli_env: str, tmp_path: Path) -> str:
    observations = [{"indicator": "grad_rate", "period": p, "value": v, "city": None}
                    for p, v in HISTORY.items()]
    observations += [{"indicator": "grad_rate", "period": p, "value": v, "city": "Altadena"}
                     for p, v in ALTADENA.items()]
    targets = [{"indicator": "grad_rate", "period": "2024-25", "value": 80}]
    run("import", str(write_workbook(tmp_path / "b.xlsx", {
        "teams": TEAMS, "results": RESULTS, "indicators": INDICATORS,
        "observations": observations, "targets": targets})))
    return cli_env


def test_notes_are_printed_in_the_english_words_they_always_had(loaded: str) -> None:
    """The calculation gives each note as a code (point_only_method); the CLI writes it."""
    words = "this method gives no interval: status compares actuals with the point forecast"
    doc = json.loads(run("curve", "grad_rate", "--method", "flat", "--format", "json"))
    assert [s["notes"] for s in doc["series"]] == [[words], [words]]
    assert f"  note: {words}\n" in run("curve", "grad_rate", "--method", "flat")


def ols_reference(values: dict[str, float], future: int, level: float = 0.95) -> np.ndarray:
    """statsmodels' OLS prediction frame for the next `future` school years."""
    x = np.arange(len(values), dtype=float)
    model = sm.OLS(np.array(list(values.values())), sm.add_constant(x)).fit()
    new = sm.add_constant(np.arange(len(values), len(values) + future, dtype=float))
    frame = model.get_prediction(new).summary_frame(alpha=1 - level)
    return frame[["mean", "obs_ci_lower", "obs_ci_upper"]].to_numpy()


def test_curve_json_has_the_documented_shape_and_statsmodels_numbers(loaded: str) -> None:
    doc = json.loads(run("curve", "grad_rate", "--format", "json"))
    assert doc["indicator"] == "grad_rate"
    assert [s["dimensions"] for s in doc["series"]] == [{}, {"city": "Altadena"}] or \
        [s["dimensions"] for s in doc["series"]] == [{"city": "Altadena"}, {}]
    total = next(s for s in doc["series"] if s["dimensions"] == {})
    assert set(total) == {"dimensions", "verdict", "verdict_basis", "verdict_period",
                          "verdict_periods", "method", "backtest_mase", "level",
                          "history_through", "notes", "rows",
                          "summary"}
    assert set(total["summary"]) == {
        "latest_period", "latest_value", "current_trend", "baseline_value",
        "baseline_pct_change", "variance_from_target", "progress_status", "progress_method"}
    assert set(total["rows"][0]) == {"period", "actual", "numerator", "denominator", "forecast",
                                     "forecast_lower", "forecast_upper", "forecast_lower_80",
                                     "forecast_upper_80", "target", "status"}
    assert total["method"] == "linear" and total["level"] == 0.95
    assert total["history_through"] == "2021-22"
    future = [r for r in total["rows"] if r["actual"] is None]
    expected = ols_reference(HISTORY, len(future))
    got = np.array([[r["forecast"], r["forecast_lower"], r["forecast_upper"]] for r in future])
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    inner = np.array([[r["forecast_lower_80"], r["forecast_upper_80"]] for r in future])
    np.testing.assert_allclose(inner, ols_reference(HISTORY, len(future), 0.8)[:, 1:],
                               rtol=1e-9)  # the 80% band of the same fit
    assert future[0]["period"] == "2022-23" and len(future) >= 5
    summary = total["summary"]
    assert summary["latest_period"] == "2021-22" and summary["latest_value"] == 74.5
    assert summary["current_trend"] == {"direction": "improving", "periods": 2}
    assert summary["baseline_value"] == 70.1
    assert summary["baseline_pct_change"] == pytest.approx((74.5 - 70.1) / 70.1 * 100)
    # No actual in the target's period yet: the latest actual against the next target.
    assert summary["variance_from_target"] == pytest.approx((74.5 - 80) / 80 * 100)


def test_curve_csv_columns_and_where(loaded: str) -> None:
    text = run("curve", "grad_rate", "--where", "city=Altadena", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["indicator", "city", "period", "actual", "numerator",
                             "denominator", "forecast", "forecast_lower", "forecast_upper",
                             "forecast_lower_80", "forecast_upper_80", "target", "status"]
    assert {r["city"] for r in rows} == {"Altadena"}
    assert [float(r["actual"]) for r in rows if r["actual"]] == list(ALTADENA.values())
    everything = list(csv.DictReader(io.StringIO(run("curve", "grad_rate", "--format", "csv"))))
    assert {r["city"] for r in everything} == {"", "Altadena"}  # blank: the total


@pytest.mark.parametrize(("args", "message"), [
    (["curve", "nope"], "no indicator 'nope'"),
    (["curve", "grad_rate", "--where", "school=X"], "not a dimension of this indicator: school"),
    (["curve", "grad_rate", "--where", "city=Narnia"], "no series with city=Narnia"),
    (["curve", "grad_rate", "--where", "city"], "expected DIM=VALUE"),
    (["curve", "grad_rate", "--baseline-through", "2020"], "not a school year"),
])
def test_curve_errors_say_what_is_accepted(loaded: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and message in result.output


def test_frozen_baseline_is_what_later_data_is_judged_against(loaded: str,
                                                              tmp_path: Path) -> None:
    run("baseline", "freeze", "grad_rate", "--through", "2019-20")
    before = json.loads(run("curve", "grad_rate", "--format", "json"))
    total = next(s for s in before["series"] if s["dimensions"] == {})
    assert total["history_through"] == "2019-20"
    frozen = {r["period"]: r["forecast"] for r in total["rows"] if r["forecast"] is not None}
    expected = ols_reference(dict(list(HISTORY.items())[:4]), len(frozen))
    np.testing.assert_allclose(list(frozen.values()), expected[:, 0], rtol=1e-9)
    judged = {r["period"]: r["status"] for r in total["rows"] if r["status"]}
    assert set(judged) == {"2020-21", "2021-22"}
    # New data and a revised history do not move the frozen forecast.
    more = tmp_path / "observations.csv"
    more.write_text("indicator,period,value,note\ngrad_rate,2022-23,90,New program\n"
                    "grad_rate,2016-17,60,State revised the count\n")
    run("import", str(more))
    after = json.loads(run("curve", "grad_rate", "--format", "json"))
    total_after = next(s for s in after["series"] if s["dimensions"] == {})
    frozen_after = {r["period"]: r["forecast"] for r in total_after["rows"]
                    if r["forecast"] is not None}
    assert {p: frozen_after[p] for p in frozen} == frozen
    status = {r["period"]: r["status"] for r in total_after["rows"]}
    assert status["2022-23"] == "better_than_forecast"  # 90 is far above the frozen interval
    # A forecast fitted now is available without touching the frozen one.
    fresh = json.loads(run("curve", "grad_rate", "--baseline-through", "2022-23",
                           "--format", "json"))
    assert next(s for s in fresh["series"] if s["dimensions"] == {})["history_through"] \
        == "2022-23"
    with connect(loaded)() as session:
        assert replayed(session=session) == current_state(session=session)


def test_scorecard_has_a_row_per_series_with_freshness(loaded: str, tmp_path: Path) -> None:
    out = tmp_path / "card.csv"
    run("scorecard", "--out", str(out), "--today", "2023-12-31")
    rows = list(csv.DictReader(out.open()))
    assert [r["dimensions"] for r in rows if r["indicator"] == "grad_rate"] == [
        "{}", '{"city":"Altadena"}']
    total = rows[0]
    assert total["result"] == "R2" and total["kind"] == "headline"
    assert total["next_expected_period"] == "2022-23"
    assert total["overdue"] == "True"  # 2022-23 ended June 2023; 120 days later is past
    on_time = json.loads(run("scorecard", "--format", "json", "--today", "2023-07-01"))
    assert on_time[0]["overdue"] is False and on_time[0]["dimensions"] == {}


def test_freeze_shows_the_candidates_and_wants_a_note_for_a_flagged_series(loaded: str
                                                                           ) -> None:
    # Altadena rose by 2.5, fell 1.5, rose 3.0 and 2.5, then fell 1.5: an unusual last step.
    where = ["--through", "2021-22", "--where", "city=Altadena"]
    shown = run("baseline", "candidates", "grad_rate", *where)
    assert "history ends in an unusual shock" in shown
    assert all(m in shown for m in ("linear", "seasonal_naive", "ets", "theta", "ets_theta"))
    refused = CliRunner().invoke(main, ["baseline", "freeze", "grad_rate", *where])
    assert refused.exit_code != 0 and "say in a note why the team agrees" in refused.output
    assert "city=Altadena: flagged" in refused.output  # the group as --where names it
    assert "froze" not in refused.output
    out = run("baseline", "freeze", "grad_rate", *where, "--note", "Remote learning dip")
    assert "history ends in an unusual shock" in out  # shown before it is stored
    assert "froze 1 baseline(s) of grad_rate through 2021-22" in out
