"""Whole responses shared by the visitors who see published data only, kept in the cache.

What an anonymous visitor or a viewer is sent for a public page's HTML and its content
(Dash's routing callback for a page in SHARED_PAGES), and what an anonymous visitor is
sent for the page shell (Dash's layout: the navbar names whoever is signed in), depend on
nothing but published data, the language, the day and the page's address. Such a response is kept in
the shared cache folder (dashboards.cache) under those, who asks (anonymous or viewer), the
app's pages and callbacks, and the store's data version, compressed once, and sent to every
such visitor without drawing anything: any write moves the data version, so the next
request after it is drawn afresh. The cache warmer (dashboards.warm) asks for the public
pages after each write, so visitors rarely wait for a drawing.

A signed-in coordinator, admin or team member sees more than published data (the baseline
form, the turn-the-curve editor, revisions, their own team's records): their requests are
never answered from here and never add a response. The callback gate
(dashboards.signin.gate_callbacks) runs before these hooks, so a request the caller may not
make is refused before the cache is looked at.

Why a folder rather than each worker's memory: the workers of `rba serve` (and the warmer,
a process of its own) then draw each response once per data version between them, not once
each, and the warmer's drawings reach every worker; reading a kept response costs a file
read (from the page cache) and one query for the data version (one round trip, once per
request: dashboards.data.shared_data_version).

A kept page's HTML carries its Content-Security-Policy (the hashes of the page's own
scripts, dashboards.security) worked out when it was kept: the body is then sent
compressed, where the policy could not be read from it again.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import dash
import flask

from dashboards.auth import account, pages_router_id
from dashboards.cache import cache_key, load, store, version_folder
from dashboards.data import read_session, shared_data_version
from dashboards.i18n import current_language, use_language
from dashboards.security import content_security_policy
from rba.services.database import database_name
from rba.services.people import Role

#: Pages whose content, for an anonymous visitor or a viewer, is drawn from published data,
#: the language, the day and the address only. Any other page (sign-in, staff pages, a
#: page added later) is drawn for each request until it is listed here.
SHARED_PAGES = re.compile(r"/|/results/[^/]+|/indicators/[^/]+|/equity|/teams/[^/]+|/alignment")
#: Responses smaller than this are sent as they are (compressing them gains nothing).
MIN_COMPRESSED = 512
#: Responses one process keeps per data version at most: addresses and queries are the
#: visitor's to make up (``/indicators/x?any=thing``), so what they can add to the disk is
#: bounded; past it a response is drawn for each request, as for a signed-in editor. The
#: sample's pages in both languages, with their filters, are a few thousand.
MAX_KEPT = 10_000


@dataclass(frozen=True)
class Drawn:
    """A response as kept: its media type and body, plain and compressed with gzip."""

    mimetype: str
    body: bytes
    gzipped: bytes | None
    policy: str | None = None


def drawn(mimetype: str, body: bytes) -> Drawn:
    """What is kept of a response (compressed once, here, not for every visitor; a page's
    security policy worked out once, here too)."""
    small = len(body) < MIN_COMPRESSED
    policy = content_security_policy(body, embed=False) if mimetype == "text/html" else None
    return Drawn(mimetype, body, None if small else gzip.compress(body, compresslevel=6,
                                                                   mtime=0), policy)


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
    if kept.policy is not None:
        response.headers["Content-Security-Policy"] = kept.policy
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
    HTML of a page in SHARED_PAGES (its title and link-preview tags, which carry its full
    address) and its content (Dash's routing callback), for an anonymous visitor or a
    viewer, by who they are, language, address and any other input of the request.
    The caller adds the day, the database, its data version and the app.
    """
    request = flask.request
    layout = request.method == "GET" and request.path == prefix + "_dash-layout"
    content = request.method == "POST" and request.path == prefix + "_dash-update-component"
    page = request.method == "GET" and request.path.startswith(prefix) \
        and SHARED_PAGES.fullmatch("/" + request.path[len(prefix):]) is not None
    if not (layout or content or page):
        return None
    who = audience()
    if who is None:
        return None
    if page:  # the page's HTML: its title and link-preview tags name what it shows
        return ("page", who, current_language(), request.url)
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
        self.kept: tuple[Path | None, int] = (None, 0)  # (version folder, responses kept)
        self.counting = threading.Lock()

    def entry(self, key: tuple[Any, ...]) -> Path:
        """The file of a shared response at the store's current data version, today."""
        version = shared_data_version()
        if self.database is None:
            with read_session() as session:
                self.database = database_name(session=session)
        database = self.database
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
        found, kept = load(path)
        if not found:
            lock = self.locks[hash(path.name) % len(self.locks)]
            lock.acquire()
            found, kept = load(path)  # drawn meanwhile by another thread?
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
            if self.may_keep(pending[0].parent):
                store(pending[0], kept)
            return response_of(kept, response)  # compressed once: here
        return response

    def may_keep(self, folder: Path) -> bool:
        """Whether this process may keep one more response in a version's folder."""
        with self.counting:
            count = self.kept[1] if self.kept[0] == folder else 0
            if count >= MAX_KEPT:
                return False
            self.kept = (folder, count + 1)
            return True

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
