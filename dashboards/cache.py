"""A cache of computed figures shared by every server process, invalidated by any write.

Reads from the store (`cached`) are keyed by (function name, arguments, database, *data
version*). The data version is the id of the newest audit event: every write to the store
(import, form, grid, CLI, undo, baseline freeze, story save) records audit events in the
same transaction, so any write changes the version and later reads miss the old entries;
nothing has to be deleted.

What is computed from such a read (`memo`) is keyed by a fingerprint of what was read
instead (`read_with_fingerprint`): after a write, an indicator's figures are read again,
but its curves and charts are computed again only if its figures changed.

Every key also carries a fingerprint of the code (`code_version`), so a deploy starts
afresh.

Entries are pickle files in one folder (``RBA_CACHE_DIR``, default ``rba-cache`` in the
system's temp folder), written to a temporary file and renamed into place, so several
dashboard processes share the cache safely and no state lives in module globals. Reads
of one database at one data version share a subfolder; the first entry of a new version
deletes the folders of versions before the previous one (at a million observations a
version's scorecard alone is tens of megabytes, so keeping them would fill the disk).
Computed entries (``memo``) live in ``memo/`` and, like anything else not written for a
week, are deleted by ``prune``, which the cache warmer runs after each round.

Whole responses (`install_shared_responses`): what an anonymous visitor or a viewer is
sent for a public page's content, and what an anonymous visitor is sent for the page
shell, depend on nothing but published data, the language, the day and the address. They
are kept here too, keyed by those and the data version, compressed once, and sent to every
such visitor without drawing anything; the warmer draws them after each write. A signed-in
coordinator, admin or team member (who see more: forms, drafts, their own team's records)
is never sent a shared response and never adds one.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import importlib
import json
import os
import pickle
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import parse_qs

import dash
import flask
from sqlalchemy.orm import Session

from dashboards.auth import account, pages_router_id
from dashboards.data import read_session
from dashboards.i18n import current_language, use_language
from rba.config import get_settings
from rba.services.database import data_version, database_name
from rba.services.people import Role

T = TypeVar("T")


def cache_dir() -> Path:
    """The cache folder (created on first use): RBA_CACHE_DIR or <tmp>/rba-cache."""
    folder = get_settings().cache_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@functools.cache
def code_version() -> str:
    """A fingerprint of the code that computes the cached values (rba and dashboards).

    Part of every key, so after a deploy nothing computed by the old code is served,
    even at the same data version.
    """
    digest = hashlib.sha256()
    for package in ("rba", "dashboards"):
        root = Path(importlib.import_module(package).__file__ or "").resolve().parent
        # The code, and the translations it draws pages with.
        for path in sorted(p for pattern in ("*.py", "*.po") for p in root.rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(name: str, args: tuple[Any, ...], database: str, version: int) -> str:
    """A file-name-safe key of a computation on one database at one data version, by this
    code (`code_version`)."""
    text = repr((name, args, database, version, code_version())).encode()
    return hashlib.sha256(text).hexdigest()


def _load(path: Path) -> tuple[bool, Any]:
    try:
        with path.open("rb") as handle:
            return True, pickle.load(handle)
    except (FileNotFoundError, EOFError, pickle.UnpicklingError):
        return False, None


def _store(path: Path, value: Any) -> None:
    try:  # the folder may have been dropped meanwhile (a newer version): then keep nothing
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # atomic: readers see the whole entry or none
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def _through(path: Path, compute: Callable[[], T]) -> T:
    found, value = _load(path)
    if found:
        return cast(T, value)
    value = compute()
    _store(path, value)
    return value


def cached(session: Session, name: str, args: tuple[Any, ...], compute: Callable[[], T]
           ) -> T:
    """``compute()``'s value for (name, args) at the store's current data version.

    Read from the shared cache when present; otherwise computed, stored and returned.
    ``args`` must have a stable ``repr`` (strings, numbers, tuples, sorted items).
    """
    database, version = database_name(session=session), data_version(session=session)
    key = cache_key(name, args, database, version)
    return _through(version_folder(database, version) / f"{key}.pkl", compute)


def version_folder(database: str, version: int) -> Path:
    """The folder of one database's entries at one data version (made on first use, when
    the folders of versions before the previous one are deleted)."""
    stem = hashlib.sha256(database.encode()).hexdigest()[:12]
    folder = cache_dir() / f"{stem}-v{version}"
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        for old in cache_dir().glob(f"{stem}-v*"):
            number = old.name.rpartition("-v")[2]
            # The previous version stays: requests that read it may still be writing.
            if number.isdigit() and int(number) < version - 1:
                shutil.rmtree(old, ignore_errors=True)
    return folder


def fingerprint(value: Any) -> str:
    """A digest of ``value``'s pickled bytes: equal for the same figures read twice.

    Two equal values could in principle pickle differently (which costs only a miss); two
    different values never share a fingerprint (short of a SHA-256 collision).
    """
    return hashlib.sha256(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def read_with_fingerprint(session: Session, name: str, args: tuple[Any, ...],
                          read: Callable[[], T], of: Callable[[T], Any] | None = None
                          ) -> tuple[T, str]:
    """``read()``'s value at the current data version (as `cached`) and the fingerprint
    of ``of(value)``: the part of it what is computed from it reads (default: all)."""
    def both() -> tuple[T, str]:
        value = read()
        return value, fingerprint(value if of is None else of(value))
    return cached(session, name, args, both)


def memo(name: str, args: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``'s value for (name, args), whatever the data version.

    Only for computations that read nothing but ``args``: include the fingerprint of
    everything read from the store (`read_with_fingerprint`) among them.
    """
    key = cache_key(name, args, "", 0)
    folder = cache_dir() / "memo"
    folder.mkdir(exist_ok=True)
    return _through(folder / f"{key}.pkl", compute)


def prune(max_age_seconds: float = 7 * 24 * 3600) -> int:
    """Delete version folders, cache entries and the warmer's claims not written for
    ``max_age_seconds``; returns how many."""
    cutoff, removed = time.time() - max_age_seconds, 0
    root = cache_dir()
    folders = [p for p in root.glob("*-v*") if p.is_dir()]
    # Folders first: deleting the files inside one would make it look new again.
    for path in [*folders, *root.rglob("*.pkl"), *root.glob("warm-*.lock")]:
        try:
            if path.stat().st_mtime >= cutoff:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed


# -- whole responses, for visitors who see published data only -----------------------------

#: Pages whose content, for an anonymous visitor or a viewer, is drawn from published data,
#: the language, the day and the address only. Any other page (sign-in, staff pages, a
#: page added later) is drawn for each request until it is listed here.
SHARED_PAGES = re.compile(r"/|/results/[^/]+|/indicators/[^/]+|/equity|/teams/[^/]+|/alignment")
#: Responses smaller than this are sent as they are (compressing them gains nothing).
MIN_COMPRESSED = 512


@dataclass(frozen=True)
class Drawn:
    """A response as kept: its media type and body, plain and compressed with gzip."""

    mimetype: str
    body: bytes
    gzipped: bytes | None


def drawn(mimetype: str, body: bytes) -> Drawn:
    """What is kept of a response (compressed once, here, not for every visitor)."""
    small = len(body) < MIN_COMPRESSED
    return Drawn(mimetype, body, None if small else gzip.compress(body, compresslevel=6,
                                                                   mtime=0))


def accepts_gzip() -> bool:
    return flask.request.accept_encodings["gzip"] > 0


def response_of(kept: Drawn, response: flask.Response | None = None) -> flask.Response:
    """The response to send for a kept one (into ``response`` when given): compressed
    when the browser accepts gzip."""
    compressed = kept.gzipped is not None and accepts_gzip()
    body = kept.gzipped if compressed else kept.body
    if response is None:
        response = flask.Response(body, mimetype=kept.mimetype)
    else:
        response.set_data(body)
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    if kept.gzipped is not None:
        response.vary.add("Accept-Encoding")
    return response


def audience() -> str | None:
    """Whose view the current request gets: "anonymous", "viewer", or None for a signed-in
    role that may see more than published data (never sent a shared response)."""
    user = account()
    if user is None:
        return "anonymous"
    return "viewer" if user.role == Role.viewer else None


def page_query(search: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The query of a page's address as its layout receives it (Dash's reading of it), in a
    canonical order: ``?b=2&a=1`` and ``?a=1&b=2`` draw the same page."""
    if not search.startswith("?"):
        return ()
    return tuple(sorted((k, tuple(v)) for k, v in parse_qs(search[1:],
                                                           keep_blank_values=True).items()))


def shared_request(prefix: str = "/") -> tuple[Any, ...] | None:
    """What the current request's response is shared under, or None when it is not shared.

    Shared: the page shell (Dash's layout) for an anonymous visitor, by language; the
    content of a page in SHARED_PAGES (Dash's routing callback) for an anonymous visitor
    or a viewer, by who they are, language, address and any other input of the request.
    The caller adds the day, the database, its data version and the app.
    """
    request = flask.request
    layout = request.method == "GET" and request.path == prefix + "_dash-layout"
    content = request.method == "POST" and request.path == prefix + "_dash-update-component"
    if not (layout or content):
        return None
    who = audience()
    if who is None:
        return None
    if layout:
        return ("layout", current_language()) if who == "anonymous" else None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or body.get("output") != pages_router_id():
        return None
    inputs = {f"{i.get('id')}.{i.get('property')}": i.get("value")
              for i in body.get("inputs") or [] if isinstance(i, dict)}
    pathname = inputs.pop("_pages_location.pathname", None)
    search = inputs.pop("_pages_location.search", None) or ""
    if not isinstance(pathname, str) or not isinstance(search, str) \
            or not SHARED_PAGES.fullmatch(pathname):
        return None
    query = page_query(search)
    asked = dict(query).get("lang", ())
    # The language the page is drawn in: ?lang= when it names one, else the cookie's or
    # the browser's (the same choice the page's layout makes).
    lang = use_language(asked[0] if asked else None)
    others = json.dumps([sorted(inputs.items()), body.get("state") or []], sort_keys=True,
                        default=str)
    return ("content", who, lang, pathname, query, others)


def app_fingerprint(app: dash.Dash) -> str:
    """A digest of the app's pages and callbacks: two servers built differently (a public
    one and a staff one, say) never share a response through one cache folder."""
    pages = sorted(str(p.get("path_template") or p.get("path")) for p in
                   dash.page_registry.values())
    return hashlib.sha256(repr((pages, sorted(app.callback_map))).encode()).hexdigest()[:16]


class SharedResponses:
    """The hooks that send shared responses from the cache and keep new ones (one per app).

    Checked after the callback gate (dashboards.signin.gate_callbacks), so a request the
    caller may not make is refused before the cache is looked at. While one thread draws a
    response, the worker's other threads asking for the same one wait for it instead of
    drawing it again (a lock per key, 64 stripes).
    """

    def __init__(self, app: dash.Dash) -> None:
        self.app = app
        self.locks = [threading.Lock() for _i in range(64)]
        self.dependencies: tuple[int, Drawn] | None = None
        self.fingerprint: tuple[int, str] = (-1, "")
        self.database: str | None = None

    def entry(self, key: tuple[Any, ...]) -> Path:
        """The file of a shared response at the store's current data version, today."""
        with read_session() as session:
            # One statement, so no transaction: one round trip to the database, not three.
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            if self.database is None:
                self.database = database_name(session=session)
            database, version = self.database, data_version(session=session)
        if self.fingerprint[0] != len(self.app.callback_map):
            self.fingerprint = (len(self.app.callback_map), app_fingerprint(self.app))
        args = (*key, dt.date.today().isoformat(), self.fingerprint[1])
        return version_folder(database, version) / (
            f"{cache_key('response', args, database, version)}.pkl")

    def before(self) -> flask.Response | None:
        """Send a shared response when one is kept; else let Dash draw it (and keep it)."""
        prefix = self.app.config.routes_pathname_prefix
        if flask.request.method == "GET" and flask.request.path == prefix + "_dash-dependencies":
            return self.callbacks()
        key = shared_request(prefix)
        if key is None:
            return None
        path = self.entry(key)
        found, kept = _load(path)
        if not found:
            lock = self.locks[hash(path.name) % len(self.locks)]
            lock.acquire()
            found, kept = _load(path)  # drawn meanwhile by another thread?
            if not found:
                flask.g.rba_shared = (path, lock)  # kept by `after`, released by `release`
                return None
            lock.release()
        return response_of(kept)

    def after(self, response: flask.Response) -> flask.Response:
        """Keep the response Dash drew for a shared request (a successful one only)."""
        pending = flask.g.get("rba_shared")
        if pending is not None and response.status_code == 200 \
                and not response.direct_passthrough \
                and "Content-Encoding" not in response.headers \
                and "Set-Cookie" not in response.headers:
            kept = drawn(response.mimetype or "application/json", response.get_data())
            _store(pending[0], kept)
            return response_of(kept, response)  # compressed once: here
        return response

    def release(self, _error: BaseException | None = None) -> None:
        pending = flask.g.pop("rba_shared", None)
        if pending is not None:
            pending[1].release()

    def callbacks(self) -> flask.Response | None:
        """Dash's list of callbacks: the same for everyone while the app runs, so it is
        written out once per process (again only if a callback is added)."""
        count = len(self.app._callback_list)
        if self.dependencies is None or self.dependencies[0] != count:
            response = self.app.dependencies()
            self.dependencies = (count, drawn("application/json", response.get_data()))
        return response_of(self.dependencies[1])


def install_shared_responses(app: dash.Dash) -> SharedResponses:
    """Serve shared responses from the cache (call after the callback gate is installed)."""
    hooks = SharedResponses(app)
    app.server.before_request(hooks.before)
    app.server.after_request(hooks.after)
    app.server.teardown_request(hooks.release)
    return hooks
