"""`rba serve`: the dashboard's command, which it adds to the `rba` CLI through the
``rba.commands`` entry point (pyproject.toml), so the library never imports the dashboard.

It serves under gunicorn, a production WSGI server (``--workers`` processes, each with
``--threads`` threads, all sharing the database and the cache folder), or with ``--debug``
under Flask's development server. Either way it starts the cache warmer, and SIGTERM (or
Ctrl-C) stops everything it started: the workers and the warmer.

Loading this module is cheap: Dash is imported only when the command runs.
"""

from __future__ import annotations

import secrets
import signal
import sys
from typing import Any

import click

from rba.config import get_settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8050, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Processes of the production server (gunicorn), e.g. one per core.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Threads per worker process (requests each serves at once).")
@click.option("--debug", is_flag=True, help="Flask's development server instead, with Dash's "
              "dev tools (never in production).")
@click.option("--public", is_flag=True, help="The public site: the scorecard, result, "
              "indicator, equity and alignment pages only, no sign-in, only published "
              "indicators and final figures (run it as the role `rba db public-role` makes).")
def serve(host: str, port: int, workers: int, threads: int, debug: bool, public: bool) -> None:
    """Serve the dashboard (with --public, the public site).

    Example: rba serve --workers 3, then open http://127.0.0.1:8050
    """
    from dashboards import warm

    # Every worker must sign and accept the same cookies: without RBA_SECRET_KEY, one random
    # key for this run.
    secret_key = get_settings().secret_key or secrets.token_hex(32)
    # SIGTERM exits like Ctrl-C, so the warmer (a daemon process) is stopped on the way out.
    signal.signal(signal.SIGTERM, _exit)
    if debug:
        from dashboards.app import create_app

        app = create_app(secret_key=secret_key, public=public)
        warm.start(public=public)
        click.echo(f"serving {site(public)} on http://{host}:{port} (development server)")
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    if sys.platform == "win32":  # pragma: no cover - gunicorn runs on POSIX systems only
        raise click.ClickException("the production server needs Linux or macOS; use --debug")
    warm.start(public=public)
    click.echo(f"serving {site(public)} on http://{host}:{port} "
               f"({workers} workers x {threads} threads)")
    production_server(host, port, workers, threads, secret_key, public).run()


def site(public: bool) -> str:
    return "the public site" if public else "the dashboard"


def _exit(signum: int, frame: Any) -> None:
    sys.exit(0)


def _forget_parents_children(server: Any, worker: Any) -> None:
    """In a new worker: the warmer is the master's child, not the worker's, so the worker's
    exit must not try to stop or wait for it (multiprocessing keeps the set it inherited)."""
    import multiprocessing.process

    multiprocessing.process._children.clear()  # type: ignore[attr-defined]


def production_server(host: str, port: int, workers: int, threads: int,
                      secret_key: str, public: bool = False) -> Any:
    """A gunicorn application serving the dashboard; each worker builds its own app (its
    own database connections) after it starts."""
    from gunicorn.app.base import BaseApplication

    class Dashboard(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread",
                # Drawing the scorecard from a cold cache at a million rows takes ~15 s.
                "timeout": 120, "graceful_timeout": 10, "keepalive": 5,
                "accesslog": None, "errorlog": "-", "loglevel": "warning",
                "proc_name": "rba-serve", "post_fork": _forget_parents_children,
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from dashboards.app import create_app

            return create_app(secret_key=secret_key, public=public).server

    return Dashboard()
