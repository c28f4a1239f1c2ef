"""rba: a Results-Based Accountability metrics tracker.

The library never imports Dash; the dashboard in ``dashboards/`` and the CLI in
``rba.cli`` both call the same functions from here.
"""

__version__ = "0.1.0"
