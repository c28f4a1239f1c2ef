"""The cache warmer: after a write, one process draws the scorecard into the shared cache."""

from __future__ import annotations

import importlib
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from test_scorecard_page import make_app

from dashboards import cache, warm
from dashboards.data import read_session
from rba.i18n import LANGUAGES
from rba.store import connect, session_scope
from rba.store.stories import save_story


@pytest.fixture(autouse=True)
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(folder))
    return folder


@pytest.fixture
def app(sqlite_url: str) -> Any:
    made = make_app(sqlite_url)
    with session_scope(connect(sqlite_url)) as session:  # the seed writes no audit events
        save_story(session, "grad_rate", {"story_behind_the_curve": "v1"}, actor="t")
    return made


def drawings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every real (uncached) drawing of the scorecard page, by language."""
    home = importlib.import_module("dashboards.pages.home")
    drawn: list[str] = []
    real = home.scorecard_page

    def counting(lang: str) -> Any:
        drawn.append(lang)
        return real(lang)

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
        save_story(session, "grad_rate", {"story_behind_the_curve": "v2"}, actor="t")
    second = warm.warm_once(app.server, first)
    assert second > first
    assert sorted(drawn) == sorted([*LANGUAGES, *LANGUAGES])


def test_only_one_process_draws_each_version(app: Any, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    drawn = drawings(monkeypatch)
    with app.server.app_context(), read_session() as session:
        version = cache.data_version(session)
    assert warm.claim(version) is True  # another process got there first
    assert warm.warm_once(app.server) == version
    assert drawn == []
    assert warm.claim(version) is False


def test_the_thread_keeps_going_after_a_failure_and_stops_when_asked(
        app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def failing(server: Any, last: int | None) -> int:
        calls.append(1)
        raise RuntimeError("database away")

    monkeypatch.setattr(warm, "warm_once", failing)
    stop = threading.Event()
    thread = warm.start(app.server, seconds=0.01, stop=stop)
    assert thread is not None
    deadline = time.monotonic() + 5
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    thread.join(timeout=5)
    assert len(calls) >= 3 and not thread.is_alive()


def test_zero_seconds_turns_the_warmer_off(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warm.ENV, "0")
    assert warm.start(app.server) is None
