"""The cache warmer: after a write, one process draws the scorecard into the shared cache."""

from __future__ import annotations

import datetime as dt
import importlib
import pickle
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from factories import pasadena_app

from dashboards import cache, warm
from dashboards.data import read_session
from rba.i18n import LANGUAGES
from rba.models import Observation, ObservationStatus
from rba.services.database import data_version
from rba.services.report_card import report_card_year
from rba.store import connect, session_scope
from rba.store.stories import save_story


@pytest.fixture
def app(sqlite_url: str) -> Any:
    made = pasadena_app(sqlite_url)
    with session_scope(connect(sqlite_url)) as session:  # the seed writes no audit events
        save_story(session=session, code="grad_rate", fields={"story_behind_the_curve": "v1"},
                   actor="t")
    return made


def drawings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every real (uncached) drawing of the scorecard page, by language."""
    home = importlib.import_module("dashboards.pages.home")
    drawn: list[str] = []
    real = home.scorecard_page

    def counting(lang: str, *filters: str | None) -> Any:
        drawn.append(lang)
        return real(lang, *filters)

    monkeypatch.setattr(home, "scorecard_page", counting)
    return drawn


def test_a_write_is_drawn_once_in_every_language_then_visits_hit_the_cache(
        app: Any, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = drawings(monkeypatch)
    first = warm.warm_once(app.server)
    assert sorted(drawn) == sorted(LANGUAGES)
    assert warm.warm_once(app.server, first) == first  # nothing moved: nothing drawn
    assert sorted(drawn) == sorted(LANGUAGES)

    home = importlib.import_module("dashboards.pages.home")
    for lang in LANGUAGES:  # a visit now is served from what the warmer drew
        with app.server.test_request_context(f"/?lang={lang}"):
            home.layout(lang=lang)
    assert sorted(drawn) == sorted(LANGUAGES)

    with session_scope(connect(sqlite_url)) as session:
        save_story(session=session, code="grad_rate", fields={"story_behind_the_curve": "v2"},
                   actor="t")
    second = warm.warm_once(app.server, first)
    assert second > first
    assert sorted(drawn) == sorted([*LANGUAGES, *LANGUAGES])


def test_only_one_process_draws_each_version(app: Any, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    drawn = drawings(monkeypatch)
    with app.server.app_context(), read_session() as session:
        version = data_version(session=session)
    assert warm.claim(version) is True  # another process got there first
    assert warm.warm_once(app.server) == version
    assert drawn == []
    assert warm.claim(version) is False


def test_the_loop_keeps_going_after_a_failure_and_stops_when_asked(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()
    calls: list[int | None] = []

    def failing(server: Any, last: int | None) -> int:
        calls.append(last)
        if len(calls) == 3:
            stop.set()
        raise RuntimeError("database away")

    monkeypatch.setattr(warm, "warm_once", failing)
    warm.run(sqlite_url, 0.01, stop)  # returns only because the third call set `stop`
    assert calls == [None, None, None]


def test_indicator_curves_are_drawn_too(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    page = importlib.import_module("dashboards.pages.indicator")
    # where page_curve reads
    curves = importlib.import_module("dashboards.components.turn_the_curve")
    warm.warm_once(app.server)
    with app.server.app_context(), read_session() as session:
        monkeypatch.setattr(curves, "indicator_detail", None)  # any real drawing would fail
        monkeypatch.setattr(curves, "public_curve", None)
        curve = page.page_curve(session, "grad_rate", None, None)
    assert curve is not None and len(curve["rows"])


def test_the_warmer_process_draws_after_a_write(app: Any, sqlite_url: str,
                                                cache_folder: Path) -> None:
    process = warm.start(sqlite_url, seconds=0.2)
    assert process is not None
    try:
        with session_scope(connect(sqlite_url)) as session:
            save_story(session=session, code="grad_rate", fields={"story_behind_the_curve": "v3"},
                       actor="t")
        with app.server.app_context(), read_session() as session:
            version = data_version(session=session)
        lock = cache_folder / f"warm-{version}.lock"
        deadline = time.monotonic() + 90
        while not lock.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert lock.exists(), "the warmer never claimed the new version"
        database = connect(sqlite_url).kw["bind"].url.render_as_string(hide_password=True)
        entry = cache.version_folder(database, version) / (cache.cache_key(
            "scorecard_page", ("es", None, None, dt.date.today().isoformat()), database,
            version) + ".pkl")
        deadline = time.monotonic() + 90
        while not entry.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert entry.exists(), "the warmer did not draw the Spanish scorecard"
        assert "Tablero de resultados" in str(pickle.loads(entry.read_bytes()))
    finally:
        process.terminate()
        process.join(timeout=10)
    assert not process.is_alive()


def test_zero_seconds_turns_the_warmer_off(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RBA_WARM_SECONDS", "0")
    assert warm.start() is None


def test_the_indicators_a_write_names_are_drawn_before_the_scorecard(
        app: Any, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = warm.warm_once(app.server)
    order: list[str] = []
    page = importlib.import_module("dashboards.pages.indicator")  # what the warmer calls
    home = importlib.import_module("dashboards.pages.home")
    real_curve, real_page = page.page_curve, home.scorecard_page
    monkeypatch.setattr(page, "page_curve",
                        lambda s, code, *a: order.append(code) or real_curve(s, code, *a))
    monkeypatch.setattr(home, "scorecard_page",
                        lambda lang, *filters: order.append(f"scorecard {lang}")
                        or real_page(lang, *filters))
    with session_scope(connect(sqlite_url)) as session:
        save_story(session=session, code="arrests", fields={"partners": "a partner"}, actor="t")
    warm.warm_once(app.server, first)
    assert order[0] == "arrests"  # named by the write: drawn first
    assert sorted(order[1:1 + len(LANGUAGES)]) == [f"scorecard {lang}" for lang in LANGUAGES]
    assert {"grad_rate", "in_college"} <= set(order[1 + len(LANGUAGES):])
    assert order.count("arrests") == 1


def test_the_offered_report_card_is_printed_by_the_warmer_not_the_reader(
        app: Any, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with session_scope(connect(sqlite_url)) as session:  # final figures: a report card
        session.execute(sa.update(Observation).values(status=ObservationStatus.final))
        save_story(session=session, code="grad_rate", fields={"story_behind_the_curve": "v2"},
                   actor="t")
    served = importlib.import_module("dashboards.report_card")
    made: list[str] = []
    for name in ("report_card_html_text", "report_card_pdf"):
        real = getattr(served, name)

        def counting(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            made.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(served, name, counting)
    warm.warm_once(app.server)
    assert sorted(made) == sorted(["report_card_html_text", "report_card_pdf"] * len(LANGUAGES))
    with app.server.app_context(), read_session() as session:
        year = report_card_year(session=session)
    made.clear()
    client = app.server.test_client()
    for lang in LANGUAGES:
        pdf = client.get(f"/report-card/{year}.pdf?lang={lang}")
        assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
        page = client.get(f"/report-card/{year}?lang={lang}")
        assert page.status_code == 200 and f'lang="{lang}"' in page.get_data(as_text=True)
    assert year is not None and made == []  # both kept by the warmer, in every language
