"""The dashboard app: `create_app()` builds it; `rba serve` runs it.

Nothing here connects to a database at import time: `create_app` makes the session
factory and keeps it on the Flask app (see dashboards.data), where pages find it, and
installs sign-in and the access check of every callback (see dashboards.auth).
"""

from __future__ import annotations

import gc
from html import escape
from typing import Any

import flask
from dash import Dash, _callback
from dash.development.base_component import ComponentRegistry
from threadpoolctl import threadpool_limits
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboards.api import install_api
from dashboards.auth import install_callbacks
from dashboards.components.page_meta import page_title
from dashboards.components.shell import PARTNERSHIP, shell
from dashboards.compression import install_compression
from dashboards.data import install_sessions
from dashboards.embed import install_embeds
from dashboards.i18n import current_language, install_language
from dashboards.page_cache import install_shared_responses
from dashboards.public import install_public
from dashboards.report_card import install_report_card
from dashboards.security import install_security_headers
from dashboards.signin import install_auth
from rba.config import get_settings
from rba.services.database import open_database

INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        <a class="visually-hidden-focusable skip-link" href="#main">Skip to content</a>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


class OfflineDash(Dash):
    """Dash whose debug mode does not ask plotly's server for a newer version.

    The dashboard must work on machines without internet access, where that request only
    fills the browser console with errors.
    """

    def interpolate_index(self, **kwargs: Any) -> str:
        """The page's HTML, its ``<html lang>`` naming the language the request is served in
        and its ``<title>`` the page's (e.g. the indicator's name in that language)."""
        if flask.has_request_context():  # the page's own title, not the app's, for previews
            kwargs["title"] = escape(page_title(flask.request.path))
        html = super().interpolate_index(**kwargs)
        return html.replace('<html lang="en">', f'<html lang="{current_language()}">', 1)

    def _generate_scripts_html(self) -> str:
        """Dash's script tags, written once while the app's scripts stay the same: Dash
        otherwise looks up every script file's version and time on every page load."""
        return self._written("scripts", super()._generate_scripts_html)

    def _generate_css_dist_html(self) -> str:
        return self._written("css", super()._generate_css_dist_html)

    def _written(self, name: str, write: Any) -> str:
        if self._dev_tools.hot_reload:  # files change while one develops
            return str(write())
        state = (len(self._inline_scripts), len(_callback.GLOBAL_INLINE_SCRIPTS),
                 len(ComponentRegistry.registry))
        kept = self.__dict__.setdefault("_rba_written", {})
        if kept.get(name, (None,))[0] != state:
            text = str(write())
            # Writing the scripts takes the pending clientside scripts in: look again after.
            kept[name] = ((len(self._inline_scripts), len(_callback.GLOBAL_INLINE_SCRIPTS),
                           len(ComponentRegistry.registry)), text)
        return str(kept[name][1])

    def run(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("dev_tools_disable_version_check", True)
        super().run(*args, **kwargs)


def create_app(database_url: str | None = None, *, secret_key: str | None = None,
               public: bool = False) -> Dash:
    """The multi-page dashboard reading the store at ``database_url`` (default: settings),
    signing cookies with ``secret_key`` (default: RBA_SECRET_KEY, else a random one).

    With ``public``, the public site (dashboards.public): the public pages only, no
    sign-in, every read through the published view (rba.store.published)."""
    app = OfflineDash(
        "dashboards",  # the package: pages are found in dashboards/pages, CSS in assets/
        use_pages=True,
        title=PARTNERSHIP,
        update_title=None,
        serve_locally=True,
        # Page layouts are built per visit, so their components are not in the app layout.
        suppress_callback_exceptions=True,
        index_string=INDEX,
    )
    # A page's linear algebra is tiny (one series' fit): BLAS threads only contend with
    # the server's own threads and with other processes, and made Holt fits 2-3x slower.
    threadpool_limits(limits=1, user_api="blas")
    # First: its after_request hook then runs last, on the final body.
    install_compression(app.server, app.config.routes_pathname_prefix)
    install_sessions(app.server, open_database(database_url, check_schema=False,
                                               published=public))
    if public:
        install_public(app)
    install_auth(app, secret_key, sign_in=not public)
    install_language(app.server)
    install_security_headers(app.server)
    install_api(app.server)  # open data: /api/v1, read-only, no sign-in
    install_embeds(app.server)
    # After the callback gate: a request is refused before any cached response is sent.
    install_shared_responses(app)
    proxies = get_settings().proxies
    if proxies:  # the visitor's address and scheme as the proxies in front saw them
        app.server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.layout = shell
    install_callbacks(app)
    install_report_card(app.server)  # a public document: it reads only the published view
    # What is built so far (modules, components, plotly's validators) lives as long as the
    # process: leave it out of the collector's full scans, which otherwise paused a request
    # for 100-150 ms every few updates.
    gc.collect()
    gc.freeze()
    return app
