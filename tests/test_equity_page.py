"""The equity page: one result at a time, each group's gap to the best, and verdicts
matching rba.report.equity."""

from __future__ import annotations

from typing import Any

import dash
import pytest
from factories import by_id, page, text, walk

from dashboards.components.badges import verdict_words
from rba.dimensions import parse_dimension_key
from rba.i18n import label_map
from rba.services.catalogue import dimension_labels
from rba.services.equity import equity_report

#: data/sample: the results with indicators by group, and those indicators in order.
SAMPLE = {"R1": ["kinder_ready"], "R2": ["read_3rd", "grad_rate", "a_g_complete", "math_8th"],
          "R4": ["child_obesity"],
          "R5": ["chronic_absence", "suspension_rate", "student_homeless", "juvenile_arrests"],
          "R6": ["family_engagement"], "R7": ["park_access"]}


def sections(layout: Any) -> list[str]:
    """The indicator codes drawn on a page, in order."""
    return [n.id.removeprefix("equity-") for n in walk(layout)
            if type(n).__name__ == "Section" and str(getattr(n, "id", "")).startswith(
                "equity-")]


def picker(layout: Any) -> Any:
    return by_id(layout, "equity-result")


def test_verdicts_match_the_equity_report(sample_app) -> None:
    with sample_app.server.config["RBA_SESSION_FACTORY"]() as session:
        report = equity_report(session=session)
    assert not report.trends.empty
    drawn: list[str] = []
    with page(sample_app, "equity") as equity:
        for result in SAMPLE:
            layout = equity.layout(result=result)
            drawn += sections(layout)
            for code in sections(layout):
                section = by_id(layout, f"equity-{code}")
                rows = [n for body in walk(section) if type(body).__name__ == "Tbody"
                        for n in body.children]
                trends = report.trends[report.trends["indicator"] == code]
                assert [text(r.children[-1]) for r in rows] == [
                    verdict_words(v, "en") for v in trends["verdict"]], code
        words = text(equity.layout(result="R2"))
    # Every indicator of the whole report is drawn once, on its result's page.
    assert drawn == list(report.trends["indicator"].drop_duplicates())
    assert "↘ Gap narrowing" in words or "↗ Gap widening" in words


def test_the_picker_lists_results_with_their_counts(sample_app) -> None:
    with page(sample_app, "equity") as equity:
        layout = equity.layout()
    dropdown = picker(layout)
    assert [o["value"] for o in dropdown.options] == list(SAMPLE)
    assert dropdown.value == "R1"  # the first result with indicators by group
    labels = {o["value"]: o["label"] for o in dropdown.options}
    assert labels["R1"] == "1. Children's developmental needs are met (1 indicator by group)"
    assert labels["R2"] == "2. Students succeed academically (4 indicators by group)"
    assert sections(layout) == SAMPLE["R1"]  # only the chosen result is drawn


@pytest.mark.parametrize("result", ["R2", "R5", "R7"])
def test_the_address_chooses_the_result(sample_app, result: str) -> None:
    with page(sample_app, "equity", f"/?result={result}") as equity:
        layout = equity.layout(result=result)
    assert picker(layout).value == result
    assert sections(layout) == SAMPLE[result]
    assert f"/results/{result}" in [getattr(n, "href", None) for n in walk(layout)]


def test_a_result_without_groups_falls_back_to_the_first(sample_app) -> None:
    with page(sample_app, "equity") as equity:
        layout = equity.layout(result="R3")  # R3 has no indicator by group
    assert picker(layout).value == "R1" and sections(layout) == SAMPLE["R1"]
    assert "“R3”" in text(by_id(layout, "equity-unknown"))
    with page(sample_app, "equity") as equity:
        assert not [n for n in walk(equity.layout(result="R2"))
                    if getattr(n, "id", None) == "equity-unknown"]


def test_only_the_chosen_indicators_are_computed(sample_app, monkeypatch) -> None:
    with page(sample_app, "equity") as equity:
        asked: list[Any] = []
        real = equity.equity_report

        def spy(**kwargs: Any) -> Any:
            asked.append(kwargs.get("indicators"))
            return real(**kwargs)

        monkeypatch.setattr(equity, "equity_report", spy)
        monkeypatch.setattr(equity, "cached", lambda _s, _n, _a, compute: compute())
        equity.layout(result="R5")
    assert asked == [SAMPLE["R5"]]


@pytest.mark.parametrize(("search", "chosen", "expected"), [
    ("", "R5", "?result=R5"),
    ("?lang=es", "R5", "?lang=es&result=R5"),
    ("?result=R2&page=3&lang=es", "R5", "?result=R5&lang=es"),  # a new result: its first page
    ("?result=R5", "R5", dash.no_update),
    ("?lang=es", None, dash.no_update),
])
def test_choosing_a_result_changes_the_address(search: str, chosen: Any,
                                               expected: Any) -> None:
    from dashboards.pages.equity import choose_result

    assert choose_result(chosen, search) == expected


def test_a_result_with_many_indicators_is_paged(sample_app, monkeypatch) -> None:
    with page(sample_app, "equity") as equity:
        monkeypatch.setattr(equity, "PAGE_SIZE", 3)
        first = equity.layout(result="R2")
        second = equity.layout(result="R2", page="2")
        too_far = equity.layout(result="R2", page="99")
        unreadable = equity.layout(result="R2", page="two")
        single = equity.layout(result="R1")
    assert sections(first) == SAMPLE["R2"][:3] and sections(second) == SAMPLE["R2"][3:]
    assert sections(too_far) == SAMPLE["R2"][3:] and sections(unreadable) == SAMPLE["R2"][:3]
    pager = by_id(first, "equity-pager")
    assert "Indicators 1–3 of 4" in text(pager)
    links = [n.href for n in walk(pager) if getattr(n, "href", None)]
    assert links == ["/equity?result=R2&lang=en&page=2"] * 2  # page 2 and "next"
    assert "Indicator 4 of 4" in text(by_id(second, "equity-pager"))
    assert not [n for n in walk(single) if getattr(n, "id", None) == "equity-pager"]


def graphs_of(node: Any) -> list[Any]:
    return [n for n in walk(node) if getattr(n, "figure", None) is not None]


def test_each_kind_of_group_has_a_gap_chart(sample_app) -> None:
    with page(sample_app, "equity") as equity:
        layout = equity.layout(result="R2")
    graphs = graphs_of(layout)
    # read_3rd is reported by student group and by city: a chart each.
    assert len(graphs) == len(SAMPLE["R2"]) + 1 and all(g.figure["data"] for g in graphs)
    assert graphs[0].figure["layout"]["title"]["text"] == "Behind the best group (points)"
    assert "How far each group is behind the best group of its kind, in percentage points" \
        in text(layout)
    # At most eight lines, each named.
    assert all(0 < len(g.figure["data"]) <= 8 for g in graphs)
    assert all(trace["name"] for g in graphs for trace in g.figure["data"])


def table_rows(node: Any) -> list[Any]:
    return [r for body in walk(node) if type(body).__name__ == "Tbody" for r in body.children]


@pytest.mark.parametrize(("result", "code"), [("R2", "read_3rd"), ("R5", "chronic_absence"),
                                              ("R4", "child_obesity")])
def test_chart_and_table_show_the_same_gap_with_the_same_sign(sample_app, result: str,
                                                               code: str) -> None:
    """Up is good for reading, down for absence and obesity: either way the chart's last
    point and the table's "Behind the best group" are one number, never negative."""
    with sample_app.server.config["RBA_SESSION_FACTORY"]() as session:
        report = equity_report(session=session, indicators=[code])
        names = label_map(dimension_labels(session=session), "en")
    with page(sample_app, "equity") as equity:
        section = by_id(equity.layout(result=result), f"equity-{code}")
    trends = report.trends
    for group_set in trends["group_set"].unique():
        mine = trends[trends["group_set"] == group_set]
        block = by_id(section, f"equity-{code}-by-{group_set}")
        graph, = graphs_of(block)
        header = [text(th) for th in walk(block) if type(th).__name__ == "Th"
                  and getattr(th, "scope", None) == "col"]
        column = header.index("Behind the best group (points)")
        assert "Against the total (points)" in header
        cells = [text(row.children[column]) for row in table_rows(block)]
        plotted = {t["name"].removesuffix(" (best)"): t["y"] for t in graph.figure["data"]}
        assert len(cells) == len(mine)
        for cell, (_i, trend) in zip(cells, mine.iterrows(), strict=True):
            assert trend["behind_best"] >= 0
            (dimension, value), = parse_dimension_key(trend["dimensions"]).items()
            last = plotted[names.get((dimension, value), value)][-1]  # the latest period
            assert last == pytest.approx(trend["behind_best"]) and last >= 0
            if trend["is_best"]:
                assert cell == "Best group" and last == 0
            else:
                assert float(cell) == pytest.approx(last, abs=0.05)


def test_cities_and_student_groups_never_share_an_axis(sample_app) -> None:
    with sample_app.server.config["RBA_SESSION_FACTORY"]() as session:
        report = equity_report(session=session, indicators=["chronic_absence"])
        labels = label_map(dimension_labels(session=session), "en")
    with page(sample_app, "equity") as equity:
        section = by_id(equity.layout(result="R5"), "equity-chronic_absence")
    headings = [text(n) for n in walk(section) if type(n).__name__ == "H4"]
    assert headings == ["Student group", "City"]
    for group_set in ("student_group", "city"):
        graph, = graphs_of(by_id(section, f"equity-chronic_absence-by-{group_set}"))
        mine = report.trends[report.trends["group_set"] == group_set]
        names = {t["name"].removesuffix(" (best)") for t in graph.figure["data"]}
        # Every line is a group of this kind, and every group of this kind is drawn.
        assert names == {labels.get((group_set, v), v) for key in mine["dimensions"]
                         for v in parse_dimension_key(key).values()}


def test_the_best_group_is_always_drawn(sample_app, monkeypatch) -> None:
    """With more groups than lines, the chart keeps the best group beside those furthest
    behind, so the 0 it measures from is on the chart."""
    from dashboards.components import equity_gaps

    monkeypatch.setattr(equity_gaps, "MAX_LINES", 3)
    with page(sample_app, "equity") as equity:
        section = by_id(equity.layout(result="R2"), "equity-grad_rate")
    graph, = graphs_of(section)
    names = [t["name"] for t in graph.figure["data"]]
    assert len(names) == 3 and names[0].endswith(" (best)")
    assert graph.figure["data"][0]["y"][-1] == 0
    assert graph.figure["data"][0]["line"]["color"] == "#000000"
    assert "The chart draws the best group and the 2 furthest behind; the table lists all " \
        in text(section)
    # The others are the two furthest behind in the latest period, nearest first.
    lasts = [t["y"][-1] for t in graph.figure["data"]]
    assert lasts == sorted(lasts) and lasts[1] > 0


def test_equity_page_in_spanish(sample_app) -> None:
    with page(sample_app, "equity", "/?lang=es&result=R2") as equity:
        layout = equity.layout(lang="es", result="R2")
    words = text(layout)
    assert "Equidad: brechas entre grupos" in words
    assert "La brecha se reduce" in words or "La brecha aumenta" in words
    # Group labels in Spanish where the dimensions sheet has them (not the English).
    headings = [text(n) for n in walk(layout) if type(n).__name__ == "H4"]
    assert headings[:2] == ["Grupo de estudiantes", "Ciudad"]  # read_3rd's two kinds
    rows = [text(r.children[0]) for r in table_rows(by_id(layout, "equity-read_3rd"))]
    assert any(r.startswith("Afroamericanos") for r in rows)
    assert "African American" not in words and "Student group" not in words
    assert "Por detrás del mejor grupo (puntos)" in words and "Frente al total (puntos)" in words
    graphs = [n for n in walk(layout) if getattr(n, "figure", None) is not None]
    assert "Afroamericanos" in {t["name"].removesuffix(" (mejor)")
                                for g in graphs for t in g.figure["data"]}
    assert graphs[0].figure["layout"]["title"]["text"] == "Por detrás del mejor grupo (puntos)"
    labels = [o["label"] for o in picker(layout).options]
    assert labels[1] == "2. Los estudiantes tienen éxito académico (4 indicadores por grupo)"


def test_the_gap_axis_runs_in_time_order(sample_app) -> None:
    """Groups first reported in different years still share one time axis, in order."""
    with page(sample_app, "equity") as equity:
        section = by_id(equity.layout(result="R5"), "equity-student_homeless")
    graph, = graphs_of(section)
    axis = graph.figure["layout"]["xaxis"]
    starts = {t["x"][0] for t in graph.figure["data"]}
    assert len(starts) > 1  # the groups do start in different years
    assert axis["categoryorder"] == "array"
    assert axis["categoryarray"] == sorted(axis["categoryarray"])  # school years sort as text
    assert {x for t in graph.figure["data"] for x in t["x"]} == set(axis["categoryarray"])
    low, high = graph.figure["layout"]["yaxis"]["range"]
    drawn = [y for t in graph.figure["data"] for y in t["y"]]
    assert low < 0 <= min(drawn) and max(drawn) < high  # the best group's 0 clears the axis
