"""The indicator page's fast paths give exactly what the full computation gives.

- With Holt's method a view fits only the series it draws (`page_curve(..., only=)`):
  its rows and summary equal that series' rows and summary when every series is fitted.
- The page reads the indicator's inputs once and hands them to `indicator_curve`: the
  curve equals the one `indicator_curve` reads for itself.
- What the page computes is cached under a fingerprint of the figures read: a write to
  another indicator reuses it, a write to this one draws afresh.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from factories import GRAD_TOTALS, seed_store

from dashboards.app import create_app
from dashboards.data import read_session
from rba.models import Indicator, Observation
from rba.report.curves import compute_indicator_curve
from rba.services.curves import indicator_curve, indicator_detail
from rba.store import connect, session_scope
from rba.store.audit import new_batch, record_events
from rba.store.stories import save_story

CITIES = {"Pasadena": 7.0, "Sierra Madre": -4.0, "Altadena": -5.0}



@pytest.fixture
def page(sqlite_url: str) -> Iterator[Any]:
    """grad_rate with its total and three cities, a small one (min_n) among them."""
    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
        grad = session.query(Indicator).filter(Indicator.code == "grad_rate").one()
        grad.min_n = 30
        session.add_all([
            Observation(indicator_id=grad.id, period=p, dimensions=f'{{"city":"{c}"}}',
                        value=v + shift + i * 0.3, numerator=(v + shift) / 100 * size,
                        denominator=size, entered_by="test")
            for c, shift in CITIES.items() if c != "Altadena"
            for size in [800 if c == "Pasadena" else 20]
            for i, (p, v) in enumerate(GRAD_TOTALS.items())])
    app = create_app(sqlite_url)
    with app.server.test_request_context("/"):
        yield importlib.import_module("dashboards.pages.indicator")


@pytest.mark.parametrize("series", ['grad_rate:{}', 'grad_rate:{"city":"Pasadena"}',
                                    'grad_rate:{"city":"Sierra Madre"}'])
def test_holt_for_the_shown_series_alone_equals_holt_for_all(page: Any, series: str) -> None:
    with read_session() as session:
        every = page.page_curve(session, "grad_rate", "holt", 0.8)
        alone = page.page_curve(session, "grad_rate", "holt", 0.8, only=series)
    assert list(alone["summary"]["series"]) == [series]
    pd.testing.assert_frame_equal(
        alone["rows"].reset_index(drop=True),
        every["rows"][every["rows"]["series"] == series].reset_index(drop=True))
    pd.testing.assert_frame_equal(
        alone["summary"].reset_index(drop=True),
        every["summary"][every["summary"]["series"] == series].reset_index(drop=True))


def test_a_small_group_stays_withheld_when_only_it_is_fitted(page: Any) -> None:
    with read_session() as session:
        alone = page.page_curve(session, "grad_rate", "holt", 0.8,
                                only='grad_rate:{"city":"Sierra Madre"}')
    rows = alone["rows"]
    assert rows["withheld"].any()
    assert rows.loc[rows["withheld"], "actual"].isna().all()
    assert rows["forecast"].isna().all()  # fitted on withheld figures: not shown


def test_the_update_callback_draws_holt_from_the_shown_series(page: Any) -> None:
    meta = {"code": "grad_rate", "lang": "en"}
    figure, *_rest = page.update_curve('grad_rate:{"city":"Pasadena"}', False, "holt", 0.8,
                                       meta)
    with read_session() as session:
        every = page.page_curve(session, "grad_rate", "holt", 0.8)
    rows = every["rows"][every["rows"]["series"] == 'grad_rate:{"city":"Pasadena"}']
    drawn = next(t for t in figure["data"] if t.get("line", {}).get("dash") == "dash")
    expected = rows["forecast"].dropna().round(9).tolist()
    assert [round(v, 9) for v in page.decoded(drawn["y"]) if v is not None][-len(expected):] \
        == expected


def test_inputs_read_once_give_the_same_curve(page: Any) -> None:
    with read_session() as session:
        detail = indicator_detail(session=session, code="grad_rate")
        assert detail is not None
        given = compute_indicator_curve(detail.curve_inputs, code="grad_rate",
                                        declared=detail.indicator["dimensions"])
        read = indicator_curve(session=session, code="grad_rate")
    pd.testing.assert_frame_equal(given.rows, read.rows)
    pd.testing.assert_frame_equal(given.summary, read.summary)


def test_a_write_elsewhere_reuses_the_drawn_view_and_a_write_to_it_redraws(
        page: Any, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Curves and views are keyed by a fingerprint of the indicator's figures as read at the
    current data version: any write makes the page read them again, but only a change to
    them computes and draws again, and the new figure is then what is drawn."""
    curve_module = importlib.import_module("dashboards.components.turn_the_curve")
    computed: list[Any] = []
    real = curve_module.public_curve
    monkeypatch.setattr(curve_module, "public_curve",
                        lambda *a: computed.append(a) or real(*a))
    meta, total = {"code": "grad_rate", "lang": "en"}, "grad_rate:{}"

    def actual_drawn() -> list[float]:
        figure, *_rest = page.update_curve(total, False, "linear", 0.9, meta)
        trace = next(t for t in figure["data"] if t.get("mode") == "lines+markers")
        return [v for v in page.decoded(trace["y"]) if v == v]

    before = actual_drawn()
    assert len(computed) == 1
    assert actual_drawn() == before and len(computed) == 1  # same version: a hit
    with session_scope(connect(sqlite_url)) as session:  # a write to another indicator
        save_story(session=session, code="arrests", fields={"partners": "a new partner"}, actor="t")
    assert actual_drawn() == before and len(computed) == 1  # read again, same figures
    with session_scope(connect(sqlite_url)) as session:  # its story: no figure changes
        save_story(session=session, code="grad_rate", fields={"what_works": "tutoring"}, actor="t")
    assert actual_drawn() == before and len(computed) == 1
    with session_scope(connect(sqlite_url)) as session:  # a write to this indicator
        grad = session.query(Indicator).filter(Indicator.code == "grad_rate").one()
        last = session.query(Observation).filter(
            Observation.indicator_id == grad.id, Observation.dimensions == "{}").order_by(
            Observation.period.desc()).first()
        assert last is not None
        last.value = 99.5
        record_events(session=session, batch=new_batch(session=session, actor="t", source="cli"),
                      entity="t",
                      changes=[("update", "observation", str(last.id), {"value": 99.5})])
    after = actual_drawn()
    assert len(computed) == 2 and after[-1] == 99.5 and after[:-1] == before[:-1]
