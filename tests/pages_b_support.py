"""A dashboard over the bundled sample data, shared by the team, equity and alignment tests."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from conftest import SAMPLE_DIR
from dash import Dash

from dashboards.app import create_app
from rba.services.demo import load_sample
from rba.store import connect, migrate, session_scope


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dash]:
    folder = tmp_path_factory.mktemp("sample")
    url = f"sqlite:///{folder / 'rba.db'}"
    migrate.upgrade(url)
    with session_scope(connect(url)) as session:
        load_sample(session=session, sample_dir=SAMPLE_DIR, actor="t")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RBA_CACHE_DIR", str(folder / "cache"))
        yield create_app(url)


@contextmanager
def page(app: Dash, name: str, path: str = "/") -> Iterator[Any]:
    with app.server.test_request_context(path):
        yield importlib.import_module(f"dashboards.pages.{name}")
