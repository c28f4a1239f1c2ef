"""The shared figure cache: hits until any write changes the data version."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from factories import seed_store

from dashboards import cache
from rba.services.curves import indicator_curve
from rba.services.database import data_version
from rba.store import session_scope
from rba.store.stories import save_story


@pytest.fixture
def seeded(sqlite_url: str):
    from rba.store import connect

    factory = connect(sqlite_url)
    with session_scope(factory) as session:
        seed_store(session)
    with session_scope(factory) as session:  # seed_store writes no audit events
        save_story(session=session, code="grad_rate", fields={"story_behind_the_curve": "v"},
                   actor="t")
    return factory


def test_a_value_is_computed_once_per_data_version(seeded, cache_folder: Path) -> None:
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with seeded() as session:
        assert cache.cached(session, "f", ("a",), compute) == 1
        assert cache.cached(session, "f", ("a",), compute) == 1  # a hit
        assert cache.cached(session, "f", ("b",), compute) == 2  # other arguments
    assert len(list(cache_folder.rglob("*.pkl"))) == 2
    with session_scope(seeded) as session:
        before = data_version(session=session)
        save_story(session=session, code="arrests", fields={"partners": "x"},
                   actor="t")  # any write
    with seeded() as session:
        assert data_version(session=session) > before
        assert cache.cached(session, "f", ("a",), compute) == 3


def test_another_process_reads_the_same_entries(seeded, cache_folder: Path) -> None:
    import subprocess
    import sys

    with seeded() as session:
        cache.cached(session, "shared", (1,), lambda: "from the first process")
        url = session.get_bind().url.render_as_string(hide_password=False)
    script = ("from rba.store import connect; from dashboards import cache; "
              f"s = connect({url!r})(); "
              "print(cache.cached(s, 'shared', (1,), lambda: 'recomputed'))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env={**__import__("os").environ, "RBA_CACHE_DIR": str(cache_folder)},
                         check=True)
    assert out.stdout.strip() == "from the first process"


def test_a_cached_curve_is_the_cli_curve(seeded) -> None:
    """What comes back from the cache (computed, then read from its file) is the curve."""
    def curve() -> Any:
        return indicator_curve(session=session, code="grad_rate", method="flat", level=0.8)

    with seeded() as session:
        fresh = curve()
        first = cache.cached(session, "indicator_curve", ("grad_rate", "flat", 0.8), curve)
        again = cache.cached(session, "indicator_curve", ("grad_rate", "flat", 0.8), curve)
    for curve in (first, again):
        assert curve.rows.equals(fresh.rows) and curve.summary.equals(fresh.summary)


def test_prune_removes_old_entries(seeded, cache_folder: Path) -> None:
    with seeded() as session:
        cache.cached(session, "f", (), lambda: 1)
    assert cache.prune(max_age_seconds=3600) == 0
    assert cache.prune(max_age_seconds=-1) == 1


def test_keys_change_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.cache_key("f", ("a",), "sqlite://", 7)
    assert cache.cache_key("f", ("a",), "sqlite://", 7) == before
    monkeypatch.setattr(cache, "code_version", lambda: "another deploy")
    assert cache.cache_key("f", ("a",), "sqlite://", 7) != before



def test_a_new_version_drops_the_folders_before_the_previous_one(
        seeded, cache_folder: Path) -> None:
    """At a million observations a version's scorecard alone is tens of megabytes: the
    folders of superseded versions must not pile up (the previous one stays, for requests
    that read it and are still writing)."""
    versions = []
    for step in range(3):
        with seeded() as session:
            versions.append(data_version(session=session))
            cache.cached(session, "f", (), lambda step=step: step)
            cache.memo("g", (step,), lambda step=step: step)
        with session_scope(seeded) as session:
            save_story(session=session, code="arrests", fields={"partners": f"p{step}"}, actor="t")
    with seeded() as session:
        database = session.get_bind().url.render_as_string(hide_password=True)
        cache.cached(session, "f", (), lambda: "newest")
        newest = data_version(session=session)
    kept = sorted(int(p.name.rpartition("-v")[2]) for p in cache_folder.glob("*-v*"))
    assert kept == [versions[-1], newest]
    assert len(list((cache_folder / "memo").glob("*.pkl"))) == 3  # by content: kept
    stale = cache.version_folder(database, versions[-1])
    shutil.rmtree(stale)  # dropped by a newer version while a request was computing
    cache.store(stale / "late.pkl", "late")  # nothing kept, nothing raised
    assert not stale.exists()


def test_every_test_has_its_own_cache_folder(cache_folder: Path) -> None:
    assert cache.cache_dir() == cache_folder  # tests/conftest.py sets RBA_CACHE_DIR
