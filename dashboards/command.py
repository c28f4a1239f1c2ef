"""`rba serve`: the dashboard's command, which it adds to the `rba` CLI through the
``rba.commands`` entry point (pyproject.toml), so the library never imports the dashboard.

Loading this module is cheap: Dash is imported only when the command runs.
"""

from __future__ import annotations

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8050, show_default=True, type=int, help="Port to listen on.")
@click.option("--debug", is_flag=True, help="Reload on code changes and show Dash dev tools.")
def serve(host: str, port: int, debug: bool) -> None:
    """Serve the dashboard.

    Example: rba serve --port 8050, then open http://127.0.0.1:8050
    """
    from dashboards import warm
    from dashboards.app import create_app

    app = create_app()
    # Draws the scorecard into the shared cache after every write (RBA_WARM_SECONDS=0: off).
    warm.start()
    click.echo(f"serving on http://{host}:{port}")
    app.run(host=host, port=port, debug=debug)
