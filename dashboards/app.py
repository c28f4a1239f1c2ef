"""The dashboard app: `create_app()` builds it; `rba serve` runs it.

Nothing here connects to a database at import time: `create_app` makes the session
factory and keeps it on the Flask app (see dashboards.data), where pages find it, and
installs sign-in and the access check of every callback (see dashboards.auth).
"""

from __future__ import annotations

from typing import Any

from dash import Dash

from dashboards.components import PARTNERSHIP, shell
from dashboards.data import install_sessions
from dashboards.signin import install_auth
from rba.store import connect

INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
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

    def run(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("dev_tools_disable_version_check", True)
        super().run(*args, **kwargs)


def create_app(database_url: str | None = None) -> Dash:
    """The multi-page dashboard reading the store at ``database_url`` (default: settings)."""
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
    install_sessions(app.server, connect(database_url))
    install_auth(app)
    app.layout = shell
    return app
