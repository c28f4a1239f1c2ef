"""Keep the shared cache warm: after any write, draw the scorecard again in the background.

The scorecard reads every published observation, so at a million observations drawing it
takes seconds. Its drawing is cached per data version (dashboards.cache), so only the
first visit after a write would pay; the warmer pays instead. A daemon thread of the
dashboard process looks at the data version every few seconds and, when it has moved,
draws the scorecard in every language into the cache.

Several dashboard processes share one cache folder: a lock file named after the data
version (created with O_EXCL) lets exactly one of them do the drawing for each version.
The warmer reads only; it never writes to the store.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from typing import Any

from dashboards.cache import cache_dir, data_version
from dashboards.data import read_session
from rba.i18n import LANGUAGES

log = logging.getLogger(__name__)
ENV = "RBA_WARM_SECONDS"
DEFAULT_SECONDS = 3.0


def claim(version: int) -> bool:
    """True for exactly one process per data version: the one that draws it."""
    try:
        handle = os.open(cache_dir() / f"warm-{version}.lock",
                         os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.close(handle)
    return True


def warm_once(server: Any, last: int | None = None) -> int:
    """Draw the scorecard in every language if the data version moved since ``last``.

    Returns the version seen. Runs inside a request context of the dashboard's Flask
    ``server`` (the pages read the store through it), one per language.
    """
    with server.app_context(), read_session() as session:
        version = data_version(session)
    if version == last or not claim(version):
        return version
    home = importlib.import_module("dashboards.pages.home")
    for lang in LANGUAGES:
        with server.test_request_context(f"/?lang={lang}"):
            home.layout(lang=lang)
    return version


def start(server: Any, seconds: float | None = None,
          stop: threading.Event | None = None) -> threading.Thread | None:
    """Start the warmer thread (``RBA_WARM_SECONDS``: how often to look; 0 turns it off)."""
    every = float(os.environ.get(ENV, DEFAULT_SECONDS) if seconds is None else seconds)
    if every <= 0:
        return None
    halt = stop or threading.Event()

    def loop() -> None:
        last: int | None = None
        while not halt.is_set():
            try:
                last = warm_once(server, last)
            except Exception:  # a failed drawing must never take the dashboard down
                log.exception("warming the scorecard failed; the next visit draws it")
            halt.wait(every)

    thread = threading.Thread(target=loop, name="rba-cache-warmer", daemon=True)
    thread.start()
    return thread
