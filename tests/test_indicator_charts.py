"""The indicator page's charts tell the truth: small multiples on one y-axis under one
legend, no stray legend glyphs, and a heading whose latest figure is the chosen group's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from dash import Dash
from factories import by_id, page, text, walk

from dashboards import ids
from dashboards.app import create_app
from rba.i18n import format_period, format_value
from rba.services.curves import freeze_baseline, indicator_detail, public_curve
from rba.store import connect, session_scope

CODE = "read_3rd"  # reported by student group and by city
TOTAL = f"{CODE}:{{}}"


@pytest.fixture(scope="module")
def sample_app(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dash]:
    """The dashboard over a copy of the sample whose reading baselines were agreed in
    2021-22, so later years have a status (drawn as symbols above the actuals)."""
    folder = tmp_path_factory.mktemp("frozen-sample")
    shutil.copyfile(sample_db, folder / "sample.db")
    url = f"sqlite:///{folder / 'sample.db'}"
    with session_scope(connect(url)) as session:
        assert freeze_baseline(session=session, code=CODE, through="2021-22", actor="test",
                               method="linear") > 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RBA_CACHE_DIR", str(folder / "cache"))
        yield create_app(url)


def meta(lang: str = "en") -> dict[str, str]:
    return {"code": CODE, "lang": lang}


def graphs(node: Any) -> list[Any]:
    return [n for n in walk(node) if getattr(n, "figure", None) is not None]


def curve(sample_app: Any) -> dict[str, Any]:
    with sample_app.server.config["RBA_SESSION_FACTORY"]() as session:
        detail = indicator_detail(session=session, code=CODE)
    return public_curve(detail, None, None)


def numbers(values: Any) -> list[float]:
    return [float(v) for v in values if v is not None and pd.notna(v)]


def test_small_multiples_share_one_y_axis(sample_app) -> None:
    with page(sample_app, "indicator") as indicator:
        _f, _t, _s, multiples, style = indicator.update_curve(TOTAL, True, None, None, meta())
    panels = [g.figure for g in graphs(multiples)]
    assert len(panels) > 3 and style == {"display": "none"}
    ranges = [tuple(p["layout"]["yaxis"]["range"]) for p in panels]
    assert len(set(ranges)) == 1 and all(p["layout"]["yaxis"]["autorange"] is False
                                         for p in panels)
    low, high = ranges[0]
    drawn = [numbers(t["y"]) for p in panels for t in p["data"]]
    every = [v for values in drawn for v in values]
    assert low <= min(every) and max(every) <= high  # nothing is cut off
    # The groups really differ: on axes of their own, each panel would have its own range.
    own = {(min(v for t in p["data"] for v in numbers(t["y"])),
            max(v for t in p["data"] for v in numbers(t["y"]))) for p in panels}
    assert len(own) > 1


def test_small_multiples_have_one_legend(sample_app) -> None:
    with page(sample_app, "indicator") as indicator:
        single, *_rest = indicator.update_curve(TOTAL, False, None, None, meta())
        _f, _t, _s, multiples, _style = indicator.update_curve(TOTAL, True, None, None,
                                                               meta())
    panels = [g.figure for g in graphs(multiples)]
    assert all(p["layout"]["showlegend"] is False for p in panels)
    legend = by_id(multiples, ids.CURVE_MULTIPLES_LEGEND)
    words = text(legend)
    # Named once, above the panels: what the single chart's legend names.
    named = [t["name"] for t in single["data"] if t.get("showlegend", True) is not False]
    assert named and all(words.count(name) == 1 for name in named)
    assert "▲ better than, ≈ within, ▼ worse than the baseline" in words
    children = multiples[0], multiples[1]
    assert children[0] is legend and graphs(children[1])  # the legend comes first


def legend_traces(figure: dict[str, Any]) -> list[dict[str, Any]]:
    layout = figure.get("layout", {})
    if layout.get("showlegend") is False:
        return []
    return [t for t in figure["data"] if t.get("showlegend", True) is not False]


@pytest.mark.parametrize("all_groups", [False, True])
def test_no_text_trace_in_a_legend(sample_app, all_groups: bool) -> None:
    """Plotly draws a text trace's legend entry as "Aa": none may reach a legend."""
    with page(sample_app, "indicator") as indicator:
        single, _t, _s, multiples, _style = indicator.update_curve(
            TOTAL, all_groups, None, None, meta())
        layout = indicator.layout(code=CODE)
    figures = [g.figure for g in graphs(multiples) + graphs(layout)]
    if not all_groups:
        figures.append(single)
    texts = [t for f in figures for t in f["data"] if "text" in str(t.get("mode", ""))]
    assert texts  # the status symbols are drawn...
    assert all(t.get("showlegend") is False for t in texts)  # ...but never in a legend
    assert not [t for f in figures for t in legend_traces(f)
                if "text" in str(t.get("mode", ""))]


def test_no_text_trace_in_the_equity_legends(sample_app) -> None:
    with page(sample_app, "equity") as equity:
        figures = [g.figure for g in graphs(equity.layout(result="R2"))]
    assert figures and not [t for f in figures for t in legend_traces(f)
                            if "text" in str(t.get("mode", ""))]


def latest_of(found: dict[str, Any], series: str) -> pd.Series:
    rows = found["rows"]
    rows = rows[(rows["series"] == series) & rows["actual"].notna()]
    return rows.sort_values("ordinal").iloc[-1]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_headings_latest_figure_follows_the_chosen_group(sample_app, lang: str) -> None:
    found = curve(sample_app)
    summary = found["summary"]
    groups = [s for s in summary["series"] if s != TOTAL]
    total = latest_of(found, TOTAL)
    # A group whose latest figure differs from the total's, so the test can tell them apart.
    chosen = next(s for s in groups if pd.notna(latest_of(found, s)["actual"])
                  and round(latest_of(found, s)["actual"], 1) != round(total["actual"], 1))
    latest = latest_of(found, chosen)
    with page(sample_app, "indicator", f"/?lang={lang}") as indicator:
        heading = text(indicator.update_latest(chosen, False, meta(lang)))
        first = text(by_id(indicator.layout(code=CODE, lang=lang), ids.INDICATOR_LATEST))
        together = text(indicator.update_latest(chosen, True, meta(lang)))
    ind = found["indicator"]
    figure = format_value(latest["actual"], ind["unit"], ind["per"], lang)
    assert figure in heading
    assert format_period(latest["period"], ind["frequency"], lang) in heading
    assert format_value(total["actual"], ind["unit"], ind["per"], lang) not in heading
    assert indicator.group_labels(found, lang)[chosen] in heading  # which group it is
    # The page opens on the total; all groups side by side show the total's figure too.
    total_words = format_value(total["actual"], ind["unit"], ind["per"], lang)
    assert total_words in first and total_words in together


@pytest.mark.parametrize("bad", [None, {}, {"code": 5}, {"code": "nope", "lang": "en"}])
def test_the_heading_ignores_crafted_calls(sample_app, bad: Any) -> None:
    from dash.exceptions import PreventUpdate

    with page(sample_app, "indicator") as indicator, pytest.raises(PreventUpdate):
        indicator.update_latest(TOTAL, False, bad)
    with page(sample_app, "indicator") as indicator, pytest.raises(PreventUpdate):
        indicator.update_latest("read_3rd:{\"city\":\"Nowhere\"}", False, meta())


def test_small_multiples_share_one_time_axis_and_frame(sample_app) -> None:
    """Panels whose figures end in different periods (a target two years out) still run
    over the same periods, with the same labels and margins, so their plots line up."""
    with page(sample_app, "indicator") as indicator:
        _f, _t, _s, multiples, _style = indicator.update_curve(TOTAL, True, None, None,
                                                               meta())
    panels = [g.figure for g in graphs(multiples)]
    ends = {max(x for t in p["data"] if t.get("name") for x in t["x"]) for p in panels}
    assert len(ends) > 1  # the panels' own figures do end in different periods
    axes = [p["layout"]["xaxis"] for p in panels]
    periods = sorted({x for p in panels for t in p["data"] for x in t["x"]})
    assert all(a["categoryarray"] == periods and a["categoryorder"] == "array" for a in axes)
    assert all(p["data"][0]["x"] == periods and p["data"][0]["showlegend"] is False
               for p in panels)  # each panel holds every period
    assert len({tuple(a["tickvals"]) for a in axes}) == 1 and len(axes[0]["tickvals"]) <= 4
    assert len({tuple(sorted(p["layout"]["margin"].items())) for p in panels}) == 1
