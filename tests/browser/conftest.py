"""A live dashboard server and headless Chromium (Debian's, driven by Playwright).

Browser tests skip when Chromium or Playwright is missing, unless RBA_REQUIRE_BROWSER=1
(set by .ci/run), when they fail. Chromium is found at RBA_CHROMIUM, else on PATH; the
Playwright package only drives it (no `playwright install`).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _missing(reason: str) -> None:
    if os.environ.get("RBA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"RBA_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = os.environ.get("RBA_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if not path or not Path(path).exists():
        _missing("Chromium is not installed (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("the playwright package is not installed (pip install -e '.[test]')")
    return str(path)


@pytest.fixture
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=chromium, headless=True,
                                          args=["--no-sandbox", "--disable-gpu"])
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def live_url(sqlite_url: str) -> Iterator[str]:
    """A dashboard serving a seeded store (factories.seed_store plus one user per role)."""
    from factories import seed_store, seed_users
    from werkzeug.serving import make_server

    from dashboards.app import create_app
    from rba.store import connect, session_scope

    with session_scope(connect(sqlite_url)) as session:
        seed_store(session)
        seed_users(session)
    server = make_server("127.0.0.1", 0, create_app(sqlite_url).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
