"""Keep the shared cache warm: after any write, draw the public pages again in the background.

The scorecard reads every published observation, so at a million observations drawing it
takes seconds; each indicator page reads and fits its own series. Both are cached per data
version (dashboards.cache), and so are the public pages' whole responses as an anonymous
visitor gets them, so only the first visit after a write would pay; the warmer pays
instead. It runs in a process of its own (so its work never holds the dashboard's
interpreter lock), looks at the data version every few seconds and, when it has moved,
draws the curves of the indicators the writes named, then, in every language, the page
shell and the scorecard, each result, the equity and alignment pages, each team and the
named indicators' pages, then every other published indicator's curve and page, and last
the report card the scorecard offers, as a page and a PDF in every language (printing the
PDF takes seconds, longer on a busy machine: a reader should not wait for it), stopping
early if the version moves again. It asks for the pages as a browser does (through the app, as an
anonymous visitor), so what it keeps is exactly what a visitor would have been sent.

Several dashboard processes share one cache folder: a lock file named after the data
version (created with O_EXCL) lets exactly one warmer do the drawing for each version.
The warmer reads only; it never writes to the store.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import re
import threading
from typing import Any

from dashboards.auth import pages_router_id
from dashboards.cache import cache_dir, prune
from dashboards.data import read_session
from dashboards.i18n import COOKIE
from dashboards.public import public_site
from rba.config import get_settings
from rba.i18n import LANGUAGES
from rba.services import audit, catalogue
from rba.services.database import data_version
from rba.services.report_card import report_card_year

log = logging.getLogger(__name__)


def claim(version: int) -> bool:
    """True for exactly one process per data version: the one that draws it."""
    try:
        handle = os.open(cache_dir() / f"warm-{version}.lock",
                         os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.close(handle)
    return True


def current_version(server: Any) -> int:
    with server.app_context(), read_session() as session:
        return data_version(session=session)


def named_since(session: Any, version: int) -> set[str]:
    """What the audit events after ``version`` name first in their entity ids (an
    indicator's code, for its figures, targets, locks and stories: "grad_rate|2024|{}",
    "grad_rate#3"); used only to choose what to draw first."""
    ids = audit.written_since(session=session, version=version)
    return {re.split(r"[|#]", entity_id, maxsplit=1)[0] for entity_id in ids}


def content_request(path: str, search: str = "") -> dict[str, Any]:
    """The request a browser sends for a page's content (Dash's routing callback)."""
    location = "_pages_location"
    return {"output": pages_router_id(),
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": location, "property": "pathname", "value": path},
                       {"id": location, "property": "search", "value": search}],
            "changedPropIds": [f"{location}.pathname"]}


def draw_pages(server: Any, version: int, paths: list[str], shell: bool = False) -> bool:
    """Ask for each page's content (and with ``shell``, the page shell first) in every
    language as an anonymous visitor, so the shared responses are kept; False when the
    data version moved meanwhile (what is left is drawn for the newer version)."""
    client = server.test_client()
    for lang in LANGUAGES if shell else ():
        client.set_cookie(COOKIE, lang)
        client.get("/_dash-layout")
    for path in paths:
        if current_version(server) != version:
            return False
        for lang in LANGUAGES:
            client.set_cookie(COOKIE, lang)
            client.post("/_dash-update-component", json=content_request(path))
    return True


def warm_once(server: Any, last: int | None = None) -> int:
    """Draw the public pages if the data version moved since ``last``; the version seen.

    First the curves of the indicators the new writes name (a visitor looking at one just
    changed sees it drawn within moments), then (in every language) the page shell, the
    scorecard, each result, the equity and alignment pages, each team and the named
    indicators' pages, then every other published indicator's curve and page, then the
    report card the scorecard offers (`draw_report_cards`); it stops as soon as the version
    moves on. Curves whose figures did not change are found in the cache
    (dashboards.cache.memo) and cost only their read.
    """
    version = current_version(server)
    if version == last or not claim(version):
        return version
    prune()  # what nobody has written for a week (an old deploy's, unchanged figures')
    page = importlib.import_module("dashboards.pages.indicator")
    with server.app_context(), read_session() as session:
        codes = sorted(catalogue.indicator_table(session=session)["indicator"])
        results = list(catalogue.result_table(session=session)["result"])
        # The public site has no team pages, and may not read the audit trail: it draws
        # in the usual order.
        teams = ([] if public_site() else
                 list(catalogue.result_teams(session=session)["team"]))
        named = (named_since(session, last) if last is not None and not public_site()
                 else set())
    changed = [code for code in codes if code in named]
    others = [code for code in codes if code not in named]

    def draw_curves(which: list[str]) -> bool:
        for code in which:
            if current_version(server) != version:
                return False  # a newer write: its own round draws everything again
            with server.app_context(), read_session() as session:
                page.page_curve(session, code, None, None)
        return True

    if not (draw_curves(changed) and draw_pages(server, version, [
            "/", *(f"/results/{code}" for code in results), "/equity",
            "/alignment", *(f"/teams/{slug}" for slug in teams),
            *(f"/indicators/{code}" for code in changed)], shell=True)):
        return version
    if draw_curves(others) and draw_pages(server, version,
                                          [f"/indicators/{code}" for code in others]):
        draw_report_cards(server, version)
    return version


def draw_report_cards(server: Any, version: int) -> bool:
    """Ask for the report card the scorecard offers as a PDF in every language (its page is
    made on the way), so both are kept; False when the data version moved meanwhile."""
    if "rba_report_card_pdf" not in server.view_functions:  # a server without it
        return True
    with server.app_context(), read_session() as session:
        year = report_card_year(session=session)
    client = server.test_client()
    for lang in LANGUAGES if year is not None else ():
        if current_version(server) != version:
            return False
        client.get(f"/report-card/{year}.pdf?lang={lang}")
    return True


def run(database_url: str | None, seconds: float, stop: Any = None, public: bool = False
        ) -> None:
    """The warmer's loop (in its own process): draw after every write until ``stop``;
    with ``public``, the public site's pages (read through the published view)."""
    server = importlib.import_module("dashboards.app").create_app(
        database_url, public=public).server
    halt = stop or threading.Event()
    parent = multiprocessing.parent_process()
    last: int | None = None
    # Ends with the server that started it, even one killed outright (no clean-up ran).
    while not halt.is_set() and (parent is None or parent.is_alive()):
        try:
            last = warm_once(server, last)
        except Exception:  # a failed drawing must never stop the warming
            log.exception("warming the cache failed; the next visit draws it")
        halt.wait(seconds)


def start(database_url: str | None = None, seconds: float | None = None,
          public: bool = False) -> multiprocessing.Process | None:
    """Start the warmer process (``RBA_WARM_SECONDS``: how often to look; 0 turns it off).

    The process is a daemon: it ends with the dashboard that started it.
    """
    every = get_settings().warm_seconds if seconds is None else seconds
    if every <= 0:
        return None
    process = multiprocessing.get_context("spawn").Process(
        target=run, args=(database_url, every, None, public), name="rba-cache-warmer", daemon=True)
    process.start()
    return process
