"""The public site (`rba serve --public`): the scorecard, results, indicators, equity and
alignment pages, the annual report card (dashboards.report_card) and open data for anyone,
with nothing else behind them.

`create_app(public=True)` calls `install_public` instead of sign-in:
- every read goes through the published view (the session factory's sessions carry
  rba.store.published's flag, so the services read only the ``published_*`` views: published
  indicators, final figures, no people); small groups are suppressed on top as everywhere;
- nobody can sign in: no /login or /logout route, and no cookie makes anyone signed in
  (the user loader knows nobody), so every role-bound callback is refused;
- the staff pages (sign-in, upload, entry, targets, batches, history, team pages) answer
  404, both as addresses and through Dash's page router, however the request is made;
- a callback runs only if its policy is public **and** it belongs to a public page or
  component (`PUBLIC_MODULES`); anything else is refused with 404 before Dash runs it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import dash
import flask

from dashboards.auth import CALLBACKS, POLICIES, PUBLIC, pages_router_id
from dashboards.i18n import _

CONFIG_KEY = "RBA_PUBLIC"

#: The modules whose pages and callbacks the public site serves (pages and the components
#: they draw with). A page built later joins the public site by being named here.
PUBLIC_MODULES = frozenset({
    "dashboards.pages.home", "dashboards.pages.result", "dashboards.pages.indicator",
    "dashboards.pages.equity", "dashboards.pages.alignment", "dashboards.pages.not_found_404",
    "dashboards.components.scorecard", "dashboards.components.downloads",
    "dashboards.components.turn_the_curve", "dashboards.components.equity_gaps",
    "dashboards.components.results", "dashboards.components.tables",
    "dashboards.components.shared_axes", "dashboards.components.badges",
})


def public_site() -> bool:
    """Whether the app serving this request is the public site."""
    return flask.has_app_context() and bool(flask.current_app.config.get(CONFIG_KEY))


def _pattern(page: dict[str, Any]) -> re.Pattern[str]:
    template = str(page.get("path_template") or page.get("path") or "")
    parts = re.split(r"(<[^>]+>)", template.rstrip("/") or "/")
    body = "".join("[^/]+" if p.startswith("<") else re.escape(p) for p in parts)
    return re.compile(f"{body}/*", re.IGNORECASE)


def staff_pages() -> list[re.Pattern[str]]:
    """The addresses of every registered page that is not public (pages register at start)."""
    return [_pattern(page) for page in dash.page_registry.values()
            if page.get("module") not in PUBLIC_MODULES]


def is_staff_path(path: str, patterns: list[re.Pattern[str]]) -> bool:
    """Whether ``path`` (with any query string or fragment cut off) is a staff page."""
    clean = re.split(r"[?#]", path or "/", maxsplit=1)[0] or "/"
    clean = re.sub(r"/{2,}", "/", clean)
    return any(p.fullmatch(clean) for p in patterns)


def install_public(app: dash.Dash) -> None:
    """Make ``app`` the public site (see the module's docstring)."""
    server = app.server
    server.config[CONFIG_KEY] = True
    server.before_request(functools.partial(refuse_staff_requests, app))


def _not_found(message: str) -> flask.Response:
    response = flask.jsonify({"error": message})
    response.status_code = 404
    return response


def _router_path(body: dict[str, Any]) -> str | None:
    """The pathname a request to Dash's page router asks for."""
    for item in body.get("inputs") or []:
        if isinstance(item, dict) and item.get("property") == "pathname":
            value = item.get("value")
            return value if isinstance(value, str) else "/"
    return None


def callback_is_public(app: dash.Dash, output: str) -> bool:
    """Whether the public site runs the callback with this output id."""
    if output == pages_router_id():
        return True
    if POLICIES.get(output) is not PUBLIC or output not in app.callback_map:
        return False
    entry = CALLBACKS.get(output, (None, app.callback_map[output]))[1]
    function = entry.get("callback")
    return getattr(function, "__module__", None) in PUBLIC_MODULES


def refuse_staff_requests(app: dash.Dash) -> flask.Response | None:
    """404 for a staff page's address, for the page router asked for one, and for any
    callback that is not a public page's (before Dash runs anything)."""
    request = flask.request
    patterns = staff_pages()
    prefix = app.config.routes_pathname_prefix
    if request.path in ("/login", "/logout") or is_staff_path(request.path, patterns):
        return _not_found(_("Page not found"))
    if request.path != prefix + "_dash-update-component":
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return None  # the callback gate answers 400
    output = body["output"]
    if not callback_is_public(app, output):
        return _not_found(_("No such callback on the public site."))
    if output == pages_router_id() and is_staff_path(_router_path(body) or "/", patterns):
        return _not_found(_("Page not found"))
    return None
