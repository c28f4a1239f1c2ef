"""Equity gaps between groups over time, from published (suppressed) figures only."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import seed_store

from rba.dimensions import dimension_key
from rba.models import Indicator
from rba.report.equity import (
    GAP_COLUMNS,
    TREND_COLUMNS,
    display_trends,
    equity_tables,
    verdicts,
)
from rba.services.equity import equity_report, equity_results
from rba.store import connect, session_scope
from rba.store.catalogue import dimension_labels, indicators_with_groups

A, B, C = (dimension_key({"city": c}) for c in ("A", "B", "C"))
X, Y, Z = (dimension_key({"student_group": g}) for g in ("X", "Y", "Z"))

INDICATORS = pd.DataFrame({
    "indicator": ["read", "absent"], "unit": ["percent", "percent"], "per": [None, None],
    "polarity": ["up", "down"], "frequency": ["school_year", "school_year"],
    "periods_per_year": [1.0, 1.0], "kind": ["headline", "headline"], "result": ["R2", "R5"],
    "min_n": [11, 11], "name": ["Reading", "Absence"], "name_es": ["Lectura", None]})


def observations() -> pd.DataFrame:
    cells = [  # indicator, year, group, numerator, denominator
        ("read", 2021, "{}", 50, 100), ("read", 2021, A, 30, 50), ("read", 2021, B, 15, 40),
        ("read", 2021, C, 5, 10),  # C is small, so B is hidden too
        ("read", 2022, A, 33, 50), ("read", 2022, B, 18, 40),  # no total: rolled up
        ("read", 2022, C, 6, 12),
        ("read", 2023, "{}", 60, 100), ("read", 2023, A, 35, 50), ("read", 2023, B, 20, 40),
        ("read", 2023, C, 5, 10),
    ]
    for year, total, x, y, z in ((2021, 15, 10, 20, 15), (2022, 15.5, 12, 19, 18),
                                 (2023, 16, 14, 18, 21)):
        cells += [("absent", year, "{}", total * 10, 1000), ("absent", year, X, x * 3, 300),
                  ("absent", year, Y, y * 3, 300), ("absent", year, Z, z * 4, 400)]
    frame = pd.DataFrame(cells, columns=["indicator", "ordinal", "dimensions", "numerator",
                                         "denominator"])
    frame["numerator"] = frame["numerator"].astype(float)
    frame["denominator"] = frame["denominator"].astype(float)
    frame["value"] = 100 * frame["numerator"] / frame["denominator"]
    frame["period"] = frame["ordinal"].map(lambda y: f"{y}-{(y + 1) % 100:02d}")
    frame["series"] = frame["indicator"] + ":" + frame["dimensions"]
    return frame.sort_values(["series", "ordinal"]).reset_index(drop=True)


@pytest.fixture
def report():
    return equity_tables(observations(), INDICATORS)


def test_gaps_use_published_cells_only(report) -> None:
    gaps = report.gaps[report.gaps["indicator"] == "read"]
    assert list(report.gaps.columns) == GAP_COLUMNS
    got = {(r.period, r.dimensions): (round(r.gap_to_total, 4), None if pd.isna(
        r.gap_to_best) else round(r.gap_to_best, 4)) for r in gaps.itertuples()}
    rolled = 100 * 57 / 102  # 2022's total, rolled up from numerators and denominators
    assert got == {
        # B and C withheld in 2021: A, compared with nothing, has no gap to the best.
        ("2021-22", A): (10.0, None),
        ("2022-23", A): (round(66 - rolled, 4), 0.0),
        ("2022-23", B): (round(45 - rolled, 4), -21.0),
        ("2022-23", C): (round(50 - rolled, 4), -16.0),
        ("2023-24", A): (10.0, None),
    }
    alone = gaps[gaps["gap_to_best"].isna()]
    assert alone["best_dimensions"].isna().all() and alone["behind_best"].isna().all()
    assert report.withheld.values.tolist() == [
        ["read", "2021-22", B, "complementary"], ["read", "2021-22", C, "small_group"],
        ["read", "2023-24", B, "complementary"], ["read", "2023-24", C, "small_group"]]


def test_best_follows_polarity_and_verdicts(report) -> None:
    absent = report.gaps[report.gaps["indicator"] == "absent"]
    y = absent[absent["dimensions"] == Y]
    assert y["gap_to_best"].round(6).tolist() == [10.0, 7.0, 4.0]  # X is lowest: best
    assert y["gap_to_total"].round(6).tolist() == [5.0, 3.5, 2.0]
    assert set(absent["best_dimensions"]) == {X}
    trends = report.trends.set_index("dimensions")
    assert list(report.trends.columns) == TREND_COLUMNS
    assert trends.loc[Y, "verdict"] == "narrowing"
    assert trends.loc[Y, "gap_slope_per_year"] == pytest.approx(-3.0)
    assert trends.loc[Z, "verdict"] == "widening"  # 5, 6, 7 points from the best
    assert trends.loc[X, "verdict"] == "steady" and trends.loc[X, "is_best"]
    assert trends.loc[B, "verdict"] == "unknown" and trends.loc[B, "periods_used"] == 1
    assert trends.loc[A, ["latest_period", "latest_value", "latest_total", "gap_to_total"]
                      ].tolist() == ["2023-24", 70.0, 60.0, 10.0]
    # Indicators in the order given, groups of a dimension together.
    assert report.trends["indicator"].tolist() == ["read"] * 3 + ["absent"] * 3


def test_verdict_words() -> None:
    assert verdicts(pd.Series([-0.5, 0.0, 2.0, None])).tolist() == [
        "narrowing", "steady", "widening", "unknown"]


def test_indicators_without_groups_are_left_out() -> None:
    totals_only = observations()
    totals_only = totals_only[totals_only["dimensions"] == "{}"]
    report = equity_tables(totals_only, INDICATORS)
    assert report.gaps.empty and report.trends.empty and report.indicators.empty


def test_display_in_spanish(report) -> None:
    labels = pd.DataFrame({"dimension": ["city", "city"], "value": [None, "A"],
                           "label": ["City", "A town"], "label_es": ["Ciudad", None],
                           "order": [-1, 1]})
    table = display_trends(report, labels, "es")
    assert list(table.columns) == ["Indicador", "Grupo", "Período", "Valor",
                                   "Comparado dentro de", "Frente al total",
                                   "Por detrás del mejor grupo", "Con el tiempo"]
    # A is the only city published in 2023-24: ahead of the total, but not "the best".
    assert table.iloc[0].tolist() == ["Lectura", "Ciudad: A town", "Año escolar 2023-24",
                                      "70.0%", "Total", "10.0 por delante", "–",
                                      "No hay suficientes períodos para saberlo"]
    english = display_trends(report, labels, "en")
    assert english.iloc[4].tolist()[:2] == ["Absence", "Student group: Y"]
    assert english.iloc[4, -1] == "Gap narrowing"


def test_gaps_read_as_behind_whichever_way_is_good(report) -> None:
    """One convention for every indicator: how far behind (positive: worse), never value
    minus value, whose sign flips with polarity."""
    trends = report.trends.set_index("dimensions")
    # Reading (up is good): A is 10 points above the total, i.e. ahead of it.
    assert trends.loc[A, ["gap_to_total", "behind_total"]].tolist() == [10.0, -10.0]
    read = report.gaps[report.gaps["period"] == "2022-23"].set_index("dimensions")
    assert read.loc[[A, B, C], "behind_best"].round(6).tolist() == [0.0, 21.0, 16.0]
    # Absence (down is good): Y is 2 points above the total and 4 above X, the lowest:
    # behind both, though the signed gaps are positive.
    assert trends.loc[Y, ["gap_to_total", "gap_to_best"]].round(6).tolist() == [2.0, 4.0]
    assert trends.loc[Y, ["behind_total", "behind_best"]].round(6).tolist() == [2.0, 4.0]
    assert (report.gaps["behind_best"].dropna() >= 0).all()
    english = display_trends(report, pd.DataFrame(columns=["dimension", "value", "label",
                                                           "label_es", "order"]), "en")
    rows = dict(zip(report.trends["dimensions"], english.itertuples(index=False),
                    strict=True))
    assert list(english.columns[5:7]) == ["Against the total", "Behind the best group"]
    assert rows[A][5:7] == ("10.0 ahead", "–")  # the only city published: no best
    assert rows[Y][5:7] == ("2.0 behind", "4.0")
    assert rows[Z][5:7] == ("5.0 behind", "7.0")  # 21% against 16% and 14%
    assert rows[X][5:7] == ("2.0 ahead", "Best group")


def test_sample_equity_report(sample_url: str) -> None:
    factory = connect(sample_url)
    with factory() as session:
        report = equity_report(session=session)
        labels = dimension_labels(session=session)
    factory.kw["bind"].dispose()
    assert set(report.indicators["indicator"]) == {
        "kinder_ready", "read_3rd", "grad_rate", "a_g_complete", "math_8th", "child_obesity",
        "chronic_absence", "suspension_rate", "student_homeless", "juvenile_arrests",
        "family_engagement", "park_access"}
    sierra_madre = dimension_key({"city": "Sierra Madre"})
    withheld = report.withheld
    # 9 and 10 Sierra Madre families answered the survey in 2020-21 and 2021-22.
    assert {("family_engagement", "2020-21", sierra_madre),
            ("family_engagement", "2021-22", sierra_madre)} <= set(
        zip(withheld["indicator"], withheld["period"], withheld["dimensions"], strict=True))
    hidden = set(zip(withheld["indicator"], withheld["period"], withheld["dimensions"],
                     strict=True))
    shown = set(zip(report.gaps["indicator"], report.gaps["period"],
                    report.gaps["dimensions"], strict=True))
    assert not hidden & shown
    best = set(zip(report.gaps["indicator"], report.gaps["period"],
                   report.gaps["best_dimensions"], strict=True))
    assert not hidden & best
    assert set(report.trends["verdict"]) <= {"narrowing", "widening", "steady", "unknown"}
    table = display_trends(report, labels, "es")
    assert len(table) == len(report.trends)
    assert "Ciudad: Sierra Madre" in set(table["Grupo"])


def test_one_results_report_is_that_part_of_the_whole(sample_url: str) -> None:
    factory = connect(sample_url)
    with factory() as session:
        whole = equity_report(session=session)
        results = equity_results(session=session)
        parts = {r: equity_report(session=session, result=r) for r in results["result"]}
        some = equity_report(session=session, indicators=["math_8th", "park_access"])
    factory.kw["bind"].dispose()
    assert results[["result", "number", "indicators"]].values.tolist() == [
        ["R1", 1, 1], ["R2", 2, 4], ["R4", 4, 1], ["R5", 5, 4], ["R6", 6, 1], ["R7", 7, 1]]
    assert results.loc[1, "name_es"] == "Los estudiantes tienen éxito académico"
    for name in ("trends", "gaps", "withheld"):
        joined = pd.concat([getattr(parts[r], name) for r in parts], ignore_index=True)
        expected = getattr(whole, name)
        if name == "gaps":  # in series order, not indicator order
            joined, expected = (f.sort_values(["series", "ordinal"]).reset_index(drop=True)
                                for f in (joined, expected))
        pd.testing.assert_frame_equal(joined, expected, check_dtype=False, obj=name)
    for result, part in parts.items():
        assert set(part.indicators["result"]) == {result}
        assert len(part.indicators) == results.set_index("result").loc[result, "indicators"]
    assert some.indicators["indicator"].tolist() == ["math_8th", "park_access"]
    assert set(some.trends["indicator"]) == {"math_8th", "park_access"}


def test_only_indicators_with_group_figures_count(db_url: str) -> None:
    factory = connect(db_url)
    with session_scope(factory) as session:
        seed_store(session)
        # Declared by city but with totals only: nothing to compare, so not offered.
        session.query(Indicator).filter_by(code="arrests").one().dimensions = "city"
    with factory() as session:
        grouped = indicators_with_groups(session=session)
        results = equity_results(session=session)
        report = equity_report(session=session, result="R2")
    factory.kw["bind"].dispose()
    assert grouped == ["grad_rate"]
    assert results[["result", "number", "indicators"]].values.tolist() == [["R2", 2, 1]]
    assert report.indicators["indicator"].tolist() == ["grad_rate"]
