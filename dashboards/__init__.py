"""The Dash dashboard of rba: `create_app` in dashboards.app, one module per page."""
