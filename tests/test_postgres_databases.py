"""Test sessions' PostgreSQL databases are their own: named for the session (so checkouts
testing at once on one server never drop each other's schemas), dropped when the session
ends, and those of sessions over a day old that nobody uses are cleaned up."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from postgres_databases import DATABASE_NAME, RUN_VARIABLE, database_name, stale_databases
from sqlalchemy.engine import make_url

TESTS = Path(__file__).resolve().parent

CHILD_CONFTEST = f"""
import importlib.util
import sys

sys.path.insert(0, {str(TESTS)!r})  # where the plugin and the fixtures' factories live
pytest_plugins = ["postgres_databases"]

_spec = importlib.util.spec_from_file_location("rba_conftest", {str(TESTS / "conftest.py")!r})
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
empty_db_url = _module.empty_db_url
"""
CHILD_TEST = """
import os
from pathlib import Path

import sqlalchemy as sa


def test_write_in_my_database(empty_db_url):
    if empty_db_url.startswith("postgresql"):
        engine = sa.create_engine(empty_db_url)
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE child_was_here (n int)"))
        engine.dispose()
        Path(os.environ["RBA_CHILD_OUT"]).write_text(empty_db_url)
"""


def test_a_session_is_named_for_its_start_and_a_random_token() -> None:
    run = os.environ[RUN_VARIABLE]
    assert re.fullmatch(r"\d{14}_[0-9a-f]{8}", run)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    assert database_name() == f"rba_test_{run}_{worker}"
    assert database_name("other") == f"rba_test_{run}_{worker}_other"
    assert DATABASE_NAME.fullmatch(database_name("other"))
    assert len(database_name("other")) < 64  # PostgreSQL's limit on names


def test_only_this_conftests_databases_over_a_day_old_are_stale() -> None:
    now = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    names = ["rba_test_20261121115959_0a1b2c3d_gw0",        # a day and a second old
             "rba_test_20261121120100_0a1b2c3d_gw1",        # just under a day
             "rba_test_20261001080000_ffffffff_main_other",
             "rba_test_gw0", "rba_test_main", "rba_test_other",  # the old, shared names
             "rba_test_20261001080000_nothex00_gw0", "postgres", "test"]
    assert stale_databases(names, now) == ["rba_test_20261121115959_0a1b2c3d_gw0",
                                           "rba_test_20261001080000_ffffffff_main_other"]


def databases(url: str) -> set[str]:
    engine = sa.create_engine(make_url(url).set(database="postgres"))
    with engine.connect() as connection:
        names = set(connection.scalars(sa.text("SELECT datname FROM pg_database")))
    engine.dispose()
    return names


@pytest.mark.postgres
@pytest.mark.parametrize("empty_db_url", ["postgresql"], indirect=True)
def test_another_session_meanwhile_uses_and_drops_only_its_own_database(
        empty_db_url: str, tmp_path: Path) -> None:
    mine = make_url(empty_db_url).database
    engine = sa.create_engine(empty_db_url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE mine (n int)"))
    (tmp_path / "conftest.py").write_text(CHILD_CONFTEST, encoding="utf-8")
    (tmp_path / "test_child.py").write_text(CHILD_TEST, encoding="utf-8")
    out = tmp_path / "child_url.txt"
    env = {**os.environ, "RBA_CHILD_OUT": str(out)}
    env.pop("PYTEST_XDIST_WORKER", None)  # the child is a session of its own, not a worker
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "--rootdir", str(tmp_path), str(tmp_path / "test_child.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stdout + child.stderr
    theirs = make_url(out.read_text()).database
    assert theirs != mine and DATABASE_NAME.fullmatch(theirs)
    assert theirs not in databases(empty_db_url)  # dropped when the child's session ended
    with engine.connect() as connection:  # ours is untouched
        assert connection.scalar(sa.text("SELECT count(*) FROM mine")) == 0
    engine.dispose()
