"""The equity page: each group's gap to the best, and verdicts matching rba.report.equity."""

from __future__ import annotations

from pages_b_support import page, sample_app  # noqa: F401  (fixture)
from test_dashboard_pages import text, walk

from dashboards.pages._common import verdict_words
from rba.report.equity import equity_report


def test_verdicts_match_the_equity_report(sample_app) -> None:  # noqa: F811
    with sample_app.server.config["RBA_SESSION_FACTORY"]() as session:
        report = equity_report(session=session)
    with page(sample_app, "equity") as equity:
        layout = equity.layout()
    assert not report.trends.empty
    for code, trends in report.trends.groupby("indicator", sort=False):
        section = next(n for n in walk(layout) if getattr(n, "id", None) == f"equity-{code}")
        rows = [n for n in walk(section) if type(n).__name__ == "Tr"][1:]
        assert [text(r.children[-1]) for r in rows] == [
            verdict_words(v, "en") for v in trends["verdict"]], code
    words = text(layout)
    assert "↘ Gap narrowing" in words or "↗ Gap widening" in words


def test_each_indicator_has_a_gap_chart(sample_app) -> None:  # noqa: F811
    with page(sample_app, "equity") as equity:
        layout = equity.layout()
    graphs = [n for n in walk(layout) if getattr(n, "figure", None) is not None]
    assert graphs and all(g.figure.data for g in graphs)
    assert "Gap to the best group" in graphs[0].figure.layout.yaxis.title.text


def test_equity_page_in_spanish(sample_app) -> None:  # noqa: F811
    with page(sample_app, "equity", "/?lang=es") as equity:
        words = text(equity.layout(lang="es"))
    assert "Equidad: brechas entre grupos" in words and "La brecha se reduce" in words
